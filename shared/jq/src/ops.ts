import { fail, typeFail } from './runtime';
import type { Json, JsonObject } from './value';
import * as values from './value';

// Read once: CommonJS getter-backed imports are slow in the hot paths (see compile.ts).
const { codepointLength, compare, copyObject, describe, dumpTruncated, equals, getKey, isObject, setKey, typeOf } =
  values;

const SURROGATE = /[\uD800-\uDFFF]/;

/** A string as codepoints, only when it has astral characters (the common case stays a string). */
export function codepoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

export function sliceString(s: string, from: number, to: number): string {
  const cps = codepoints(s);
  return cps === null ? s.slice(from, to) : cps.slice(from, to).join('');
}

/** jq's slice bounds: negative from the end, start rounded down, end rounded up, clamped. */
export function sliceBounds(len: number, from: Json, to: Json): [number, number] {
  if (from === null) from = 0;
  if (to === null) to = len;
  if (typeof from !== 'number' || typeof to !== 'number') {
    fail('Start and end indices of an array slice must be numbers');
  }
  let s = Number.isNaN(from) ? 0 : from;
  if (s < 0) s += len;
  if (s < 0) s = 0;
  if (s > len) s = len;
  const start = Math.floor(s);
  let e = Number.isNaN(to) ? len : to;
  if (e < 0) e += len;
  if (e < 0) e = start;
  let end = Math.floor(e);
  if (end > len) end = len;
  if (end < len && end < e) end += 1;
  if (end < start) end = start;
  return [start, end];
}

export function slice(t: Json, from: Json, to: Json): Json {
  if (t === null) return null;
  if (typeof t === 'string') {
    const [s, e] = sliceBounds(codepointLength(t), from, to);
    return sliceString(t, s, e);
  }
  if (Array.isArray(t)) {
    const [s, e] = sliceBounds(t.length, from, to);
    return t.slice(s, e);
  }
  return fail(`Cannot index ${typeOf(t)} with object`);
}

/** `.[k]`, jq's jv_get. */
export function index(t: Json, k: Json): Json {
  if (typeof k === 'string') {
    if (isObject(t)) return getKey(t, k) ?? null;
    if (t === null) return null;
  } else if (typeof k === 'number') {
    if (Array.isArray(t)) {
      if (Number.isNaN(k)) return null;
      let i = Math.floor(k);
      if (i < 0) i += t.length;
      return i >= 0 && i < t.length ? (t[i] as Json) : null;
    }
    if (t === null) return null;
  } else if (isObject(k) && (Array.isArray(t) || typeof t === 'string' || t === null)) {
    if (t === null) return null;
    return slice(t, getKey(k, 'start') ?? null, getKey(k, 'end') ?? null);
  } else if (Array.isArray(k) && Array.isArray(t)) {
    return indicesOf(t, k);
  }
  return fail(`Cannot index ${typeOf(t)} with ${typeOf(k)} (${dumpTruncated(k)})`);
}

/** Positions where `sub` occurs in `arr` (`.[[1,2]]`, `indices`). */
export function indicesOf(arr: Json[], sub: Json[]): Json {
  if (sub.length === 0) return null;
  const out: number[] = [];
  for (let i = 0; i + sub.length <= arr.length; i++) {
    let ok = true;
    for (let j = 0; j < sub.length && ok; j++) ok = equals(arr[i + j] as Json, sub[j] as Json);
    if (ok) out.push(i);
  }
  return out;
}

/** Sets `.[k] = v`, returning a new container (jq values are immutable). */
export function setIndex(t: Json, k: Json, v: Json): Json {
  if (typeof k === 'string' && (isObject(t) || t === null)) {
    const o: JsonObject = t === null ? {} : copyObject(t);
    setKey(o, k, v);
    return o;
  }
  if (typeof k === 'number' && (Array.isArray(t) || t === null)) {
    if (Number.isNaN(k)) fail('Cannot set array element at NaN index');
    const a = t === null ? [] : t.slice();
    let i = Math.floor(k);
    if (i < 0) i += a.length;
    if (i < 0) fail('Out of bounds negative array index');
    // Very large indices would allocate without bound; jq caps them too.
    if (i > 536870911) fail('Array index too large');
    while (a.length < i) a.push(null);
    a[i] = v;
    return a;
  }
  if (isObject(k) && (Array.isArray(t) || t === null)) {
    const a = t === null ? [] : t;
    const [s, e] = sliceBounds(a.length, getKey(k, 'start') ?? null, getKey(k, 'end') ?? null);
    if (!Array.isArray(v)) fail('A slice of an array can only be assigned another array');
    return [...a.slice(0, s), ...v, ...a.slice(e)];
  }
  if (isObject(k) && typeof t === 'string') fail('Cannot update string slices');
  return fail(`Cannot update field at ${typeOf(k)} index of ${typeOf(t)}`);
}

export function has(t: Json, k: Json): boolean {
  if (t === null) return false;
  if (isObject(t) && typeof k === 'string') return getKey(t, k) !== undefined;
  if (Array.isArray(t) && typeof k === 'number') return !Number.isNaN(k) && k >= 0 && k < t.length;
  return fail(`Cannot check whether ${typeOf(t)} has a ${typeOf(k)} key`);
}

export function keysOf(t: Json, sorted: boolean): Json[] {
  if (isObject(t)) {
    const ks = Object.keys(t);
    return sorted ? ks.sort((a, b) => compare(a, b)) : ks;
  }
  if (Array.isArray(t)) return t.map((_, i) => i);
  return typeFail(t, 'has no keys');
}

function deepMerge(a: JsonObject, b: JsonObject): JsonObject {
  const out = copyObject(a);
  for (const k of Object.keys(b)) {
    const bv = b[k] as Json;
    const av = getKey(out, k);
    setKey(out, k, av !== undefined && isObject(av) && isObject(bv) ? deepMerge(av, bv) : bv);
  }
  return out;
}

function opFail(a: Json, b: Json, verb: string): never {
  return fail(`${describe(a)} and ${describe(b)} cannot be ${verb}`);
}

export function add(a: Json, b: Json): Json {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === null) return b;
  if (b === null) return a;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (isObject(a) && isObject(b)) {
    const out = copyObject(a);
    for (const k of Object.keys(b)) setKey(out, k, b[k] as Json);
    return out;
  }
  return opFail(a, b, 'added');
}

export function subtract(a: Json, b: Json): Json {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => equals(x, y)));
  return opFail(a, b, 'subtracted');
}

function repeatString(s: string, n: number): Json {
  if (n < 0 || Number.isNaN(n)) return null;
  const times = Math.floor(n);
  // Guards memory before the repeat allocates; the output budget catches the rest.
  if (s.length * times > 1e8) fail('Repeat string result too long');
  return s.repeat(times);
}

export function multiply(a: Json, b: Json): Json {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (typeof a === 'string' && typeof b === 'number') return repeatString(a, b);
  if (typeof a === 'number' && typeof b === 'string') return repeatString(b, a);
  if (isObject(a) && isObject(b)) return deepMerge(a, b);
  return opFail(a, b, 'multiplied');
}

export function divide(a: Json, b: Json): Json {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) opFail(a, b, 'divided because the divisor is zero');
    return a / b;
  }
  if (typeof a === 'string' && typeof b === 'string') return splitString(a, b);
  return opFail(a, b, 'divided');
}

export function modulo(a: Json, b: Json): Json {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
    const x = Math.trunc(a);
    const y = Math.trunc(b);
    if (y === 0) opFail(a, b, 'divided (remainder) because the divisor is zero');
    if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) {
      const r = x % y;
      return r === 0 ? 0 : r;
    }
    // Beyond 2^53 jq's intmax_t arithmetic is exact where doubles are not.
    return Number(toInt64(x) % toInt64(y));
  }
  return opFail(a, b, 'divided');
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** C's cast of a double to intmax_t, saturating instead of undefined behaviour. */
function toInt64(n: number): bigint {
  if (n >= 9223372036854775807) return INT64_MAX;
  if (n <= -9223372036854775808) return INT64_MIN;
  return BigInt(n);
}

export function splitString(s: string, sep: string): Json[] {
  if (s === '') return [];
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

export function binaryOp(op: string, a: Json, b: Json): Json {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return subtract(a, b);
    case '*':
      return multiply(a, b);
    case '/':
      return divide(a, b);
    case '%':
      return modulo(a, b);
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    default:
      return compare(a, b) >= 0;
  }
}
