import { splitString } from '../ops';
import { defineFn } from '../registry';
import { fail } from '../runtime';
import type { Json } from '../value';
import { describe } from '../value';

function str(v: Json, msg: string): string {
  if (typeof v !== 'string') return fail(msg);
  return v;
}

defineFn('startswith', 1, (v, p) =>
  str(v, 'startswith() requires string inputs').startsWith(str(p, 'startswith() requires string inputs')),
);
defineFn('endswith', 1, (v, p) =>
  str(v, 'endswith() requires string inputs').endsWith(str(p, 'endswith() requires string inputs')),
);
defineFn('ltrimstr', 1, (v, p) => {
  if (typeof v !== 'string' || typeof p !== 'string') return fail('startswith() requires string inputs');
  return v.startsWith(p) ? v.slice(p.length) : v;
});
defineFn('rtrimstr', 1, (v, p) => {
  if (typeof v !== 'string' || typeof p !== 'string') return fail('endswith() requires string inputs');
  return v.endsWith(p) && p !== '' ? v.slice(0, v.length - p.length) : v;
});

// The whitespace jq 1.8 trims: ASCII and the Unicode space separators.
const WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEFT = new RegExp(`^${WS}+`);
const RIGHT = new RegExp(`${WS}+$`);
defineFn('trim', 0, (v) =>
  typeof v === 'string' ? v.replace(LEFT, '').replace(RIGHT, '') : fail('trim input must be a string'),
);
defineFn('ltrim', 0, (v) => (typeof v === 'string' ? v.replace(LEFT, '') : fail('trim input must be a string')));
defineFn('rtrim', 0, (v) => (typeof v === 'string' ? v.replace(RIGHT, '') : fail('trim input must be a string')));

defineFn('explode', 0, (v) => {
  if (typeof v !== 'string') return fail('explode input must be a string');
  const out: number[] = [];
  for (const c of v) out.push(c.codePointAt(0) as number);
  return out;
});

defineFn('implode', 0, (v) => {
  if (!Array.isArray(v)) return fail('implode input must be an array');
  let s = '';
  for (const c of v) {
    if (typeof c !== 'number' || Number.isNaN(c)) {
      return fail(`${describe(c)} can't be imploded, unicode codepoint needs to be numeric`);
    }
    const cp = Math.trunc(c);
    // Invalid codepoints (surrogates, out of range) become U+FFFD, as jq does.
    s += cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
  }
  return s;
});

defineFn('split', 1, (v, sep) => {
  if (typeof v !== 'string' || typeof sep !== 'string') return fail('split input and separator must be strings');
  return splitString(v, sep);
});

defineFn('ascii_downcase', 0, (v) =>
  typeof v === 'string' ? v.replace(/[A-Z]/g, (c) => c.toLowerCase()) : fail('explode input must be a string'),
);
defineFn('ascii_upcase', 0, (v) =>
  typeof v === 'string' ? v.replace(/[a-z]/g, (c) => c.toUpperCase()) : fail('explode input must be a string'),
);
