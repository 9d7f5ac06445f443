/** A JSON value as plain JavaScript: what jq programs consume and produce. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export type JqType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function typeOf(v: Json): JqType {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(v) ? 'array' : 'object';
  }
}

export function isObject(v: Json): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function truthy(v: Json): boolean {
  return v !== null && v !== false;
}

/**
 * Reads an own key. Plain objects inherit `toString`, `__proto__`…, which a jq object never has,
 * so inherited members (all functions, or the prototype) read as absent.
 */
export function getKey(o: JsonObject, k: string): Json | undefined {
  const v = o[k];
  if (v === undefined || typeof v === 'function') return undefined;
  if (k === '__proto__' && !Object.hasOwn(o, k)) return undefined;
  return v;
}

export function hasKey(o: JsonObject, k: string): boolean {
  return Object.hasOwn(o, k);
}

/** Writes an own key; `__proto__` must be defined, not assigned, or it would replace the prototype. */
export function setKey(o: JsonObject, k: string, v: Json): void {
  if (k === '__proto__') {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else o[k] = v;
}

export function copyObject(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) setKey(out, k, o[k] as Json);
  return out;
}

/** Sorted the way jq sorts keys: by codepoint, which for keys is close enough to UTF-16 order. */
export function sortedKeys(o: JsonObject): string[] {
  return Object.keys(o).sort(compareStrings);
}

/** Codepoint order (jq compares UTF-8 bytes, which orders like codepoints, unlike UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate (astral codepoint) sorts above every BMP codepoint, though its unit is lower.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

const ORDER: Record<JqType, number> = { null: 0, boolean: 1, number: 3, string: 4, array: 5, object: 6 };

function rank(v: Json): number {
  return v === false ? 1 : v === true ? 2 : ORDER[typeOf(v)];
}

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
export function compare(a: Json, b: Json): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number') {
    const bn = b as number;
    // jq sorts nan below every number, itself included (so `nan < nan` holds).
    if (Number.isNaN(a)) return -1;
    if (Number.isNaN(bn)) return 1;
    return a < bn ? -1 : a > bn ? 1 : 0;
  }
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (Array.isArray(a)) return compareArrays(a, b as Json[]);
  if (isObject(a)) return compareObjects(a, b as JsonObject);
  return 0;
}

function compareArrays(a: Json[], b: Json[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i] as Json, b[i] as Json);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareObjects(a: JsonObject, b: JsonObject): number {
  const ka = sortedKeys(a);
  const kb = sortedKeys(b);
  const c = compareArrays(ka, kb);
  if (c !== 0) return c;
  for (const k of ka) {
    const d = compare(a[k] as Json, b[k] as Json);
    if (d !== 0) return d;
  }
  return 0;
}

export function equals(a: Json, b: Json): boolean {
  if (a === b) return true;
  // Scalars are equal only when identical (nan is never equal to itself, as in jq).
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return compare(a, b) === 0;
}

/** Length in codepoints, as jq counts it (not UTF-16 units). */
export function codepointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * jq's number formatting (jvp_dtoa_fmt): the shortest round-trip digits, in exponential form when
 * the decimal point would sit 4+ places left of the digits or 16+ places right of them, with a
 * two-digit exponent; infinities print as the largest double, nan as null.
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'null';
  if (!Number.isFinite(n)) return n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const exp = n.toExponential();
  const e = exp.indexOf('e');
  const sign = n < 0 ? '-' : '';
  const digits = exp.slice(sign.length, e).replace('.', '');
  const decpt = Number(exp.slice(e + 1)) + 1;
  if (decpt <= -4 || decpt > digits.length + 15) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const x = decpt - 1;
    const abs = String(Math.abs(x));
    return `${sign}${mantissa}e${x < 0 ? '-' : '+'}${abs.length < 2 ? '0' + abs : abs}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** jq prints containers nested deeper than this as `<skipped: too deep>` (jv_print.c). */
const MAX_PRINT_DEPTH = 10000;

type PrintFrame = { a: Json[]; i: number } | { o: JsonObject; keys: string[]; i: number };

/**
 * Compact JSON text the way jq prints it (`tojson`, `@json`, error messages). Iterative, so the
 * depth of a value is not limited by the JavaScript stack.
 */
export function toJson(v: Json): string {
  if (v === null || typeof v !== 'object') return scalarJson(v);
  const out: string[] = [];
  const stack: PrintFrame[] = [];
  const open = (x: Json): void => {
    if (x === null || typeof x !== 'object') out.push(scalarJson(x));
    else if (stack.length > MAX_PRINT_DEPTH) out.push('<skipped: too deep>');
    else if (Array.isArray(x)) {
      out.push('[');
      stack.push({ a: x, i: 0 });
    } else {
      out.push('{');
      stack.push({ o: x, keys: Object.keys(x), i: 0 });
    }
  };
  open(v);
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as PrintFrame;
    if ('a' in f) {
      if (f.i === f.a.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (f.i > 0) out.push(',');
      open(f.a[f.i++] as Json);
    } else {
      if (f.i === f.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      if (f.i > 0) out.push(',');
      const k = f.keys[f.i++] as string;
      out.push(quote(k) + ':');
      open(f.o[k] as Json);
    }
  }
  return out.join('');
}

function scalarJson(v: Json): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

function quote(s: string): string {
  // jq escapes DEL as well; JSON.stringify leaves it raw.
  const q = JSON.stringify(s);
  return q.includes('\x7f') ? q.replace(/\x7f/g, '\\u007f') : q;
}

/**
 * A value dumped for an error message, cut like jq's 30-byte buffer: UTF-8 bytes, never inside a
 * character, marked with "..." and the closing delimiter.
 */
export function dumpTruncated(v: Json, size = 30): string {
  const text = toJson(typeof v === 'string' && v.length > size ? Array.from(v).slice(0, size).join('') : v);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= size - 1) return text;
  const first = text[0];
  const delim = first === '"' ? '"' : first === '[' ? ']' : first === '{' ? '}' : '';
  let keep = size - (delim === '' ? 4 : 5);
  // Back up to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (keep > 0 && ((bytes[keep] as number) & 0xc0) === 0x80) keep--;
  return bytes.subarray(0, keep).toString('utf8') + '...' + delim;
}

/** "number (1)", the way jq names a value in its messages. */
export function describe(v: Json): string {
  return `${typeOf(v)} (${dumpTruncated(v)})`;
}
