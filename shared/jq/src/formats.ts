import { fail } from './runtime';
import type { Json } from './value';
import { describe, toJson } from './value';

/** jq's `tostring`: strings as they are, anything else as compact JSON. */
export function tostring(v: Json): string {
  return typeof v === 'string' ? v : toJson(v);
}

const HTML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

function csvField(v: Json): string {
  if (typeof v === 'number') return toJson(v);
  if (typeof v === 'string') return `"${v.replace(/"/g, '""')}"`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '';
  return fail(`${describe(v)} is not valid in a csv row`);
}

function tsvField(v: Json): string {
  if (typeof v === 'number') return toJson(v);
  if (typeof v === 'string') {
    return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '';
  // jq 1.8 reports tsv rows with the csv wording.
  return fail(`${describe(v)} is not valid in a csv row`);
}

function shField(v: Json): string {
  if (typeof v === 'string') return `'${v.replace(/'/g, "'\\''")}'`;
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
    return fail(`${describe(v)} can not be escaped for shell`);
  }
  return toJson(v);
}

function row(v: Json, kind: string, field: (x: Json) => string, sep: string): string {
  if (!Array.isArray(v)) return fail(`${describe(v)} cannot be ${kind}-formatted, only array`);
  return v.map(field).join(sep);
}

export function base64Decode(v: Json): string {
  const s = tostring(v);
  const clean = s.replace(/=+$/, '');
  if (/[^A-Za-z0-9+/]/.test(clean)) fail(`${describe(s)} is not valid base64 data`);
  if (clean.length % 4 === 1) fail(`${describe(s)} trailing base64 byte found`);
  return Buffer.from(clean, 'base64').toString('utf8');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function base32Decode(v: Json): string {
  const s = tostring(v).replace(/=+$/, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of s) {
    const i = B32.indexOf(c);
    if (i < 0) fail(`${describe(v)} is not valid base32 data`);
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const FORMATS: Record<string, (v: Json) => string> = {
  text: tostring,
  json: toJson,
  html: (v) => tostring(v).replace(/[<>&'"]/g, (c) => HTML[c] ?? c),
  uri: (v) =>
    Array.from(Buffer.from(tostring(v), 'utf8'))
      .map((b) =>
        /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
      )
      .join(''),
  urid: (v) => {
    try {
      return decodeURIComponent(tostring(v));
    } catch {
      return fail(`${describe(v)} is not a valid uri encoding`);
    }
  },
  csv: (v) => row(v, 'csv', csvField, ','),
  tsv: (v) => row(v, 'tsv', tsvField, '\t'),
  sh: (v) => (Array.isArray(v) ? v.map(shField).join(' ') : shField(v)),
  base64: (v) => Buffer.from(tostring(v), 'utf8').toString('base64'),
  base64d: base64Decode,
  base32: (v) => base32Encode(tostring(v)),
  base32d: base32Decode,
};

export function isFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FORMATS, name);
}

export function applyFormat(name: string, v: Json): string {
  const f = FORMATS[name];
  if (f === undefined) return fail(`${name} is not a valid format`);
  return f(v);
}
