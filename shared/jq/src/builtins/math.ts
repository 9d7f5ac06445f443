import { defineFn } from '../registry';
import { typeFail } from '../runtime';
import type { Json } from '../value';

function num(v: Json): number {
  return typeof v === 'number' ? v : typeFail(v, 'number required');
}

/** Round half to even, like C's rint/nearbyint in the default rounding mode. */
function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  // Subnormals: scale into the normal range first, or 2^-e below would overflow.
  if (Math.abs(x) < 2.2250738585072014e-308) {
    const [m, e] = frexp(x * 2 ** 64);
    return [m, e - 64];
  }
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = x * Math.pow(2, -e);
  // log2 can be off by one near powers of two.
  if (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  } else if (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  return [m, e];
}

function lgamma(x: number): number {
  return Math.log(Math.abs(gamma(x)));
}

// Lanczos approximation; good to ~15 digits, enough for jq's gamma family.
const G = 7;
const C = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const y = x - 1;
  let a = C[0] as number;
  const t = y + G + 0.5;
  for (let i = 1; i < G + 2; i++) a += (C[i] as number) / (y + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, y + 0.5) * Math.exp(-t) * a;
}

const UNARY: Record<string, (x: number) => Json> = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: (x) => (x < 0 ? -Math.round(-x) : Math.round(x)),
  sqrt: Math.sqrt,
  fabs: Math.abs,
  exp: Math.exp,
  exp2: (x) => Math.pow(2, x),
  exp10: (x) => Math.pow(10, x),
  pow10: (x) => Math.pow(10, x),
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  cbrt: Math.cbrt,
  trunc: Math.trunc,
  rint,
  nearbyint: rint,
  significand: (x) => (x === 0 || !Number.isFinite(x) ? x : frexp(x)[0] * 2),
  logb: (x) => (x === 0 ? -Infinity : !Number.isFinite(x) ? Math.abs(x) : frexp(x)[1] - 1),
  gamma: lgamma,
  lgamma,
  tgamma: gamma,
  lgamma_r: (x) => [lgamma(x), gamma(x) < 0 ? -1 : 1],
  frexp: (x) => frexp(x),
  modf: (x) => (Number.isFinite(x) ? [x - Math.trunc(x), Math.trunc(x)] : [Number.isNaN(x) ? x : 0, x]),
  ilogb: (x) => (x === 0 ? -2147483648 : frexp(x)[1] - 1),
};

const BINARY: Record<string, (x: number, y: number) => Json> = {
  pow: Math.pow,
  atan2: Math.atan2,
  fmod: (x, y) => x % y,
  hypot: Math.hypot,
  ldexp: (x, y) => x * Math.pow(2, Math.trunc(y)),
  scalb: (x, y) => x * Math.pow(2, y),
  scalbln: (x, y) => x * Math.pow(2, Math.trunc(y)),
  copysign: (x, y) => (Math.sign(y) < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)),
  drem: (x, y) => x - y * rint(x / y),
  fmin: (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.min(x, y)),
  fmax: (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y)),
  fdim: (x, y) => (x > y ? x - y : 0),
  nextafter: nextafter,
  nexttoward: nextafter,
};

function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, y > x === x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

for (const [name, f] of Object.entries(UNARY)) defineFn(name, 0, (v) => f(num(v)));
// jq's math builtins of two or three arguments ignore `.` and take their operands as arguments.
for (const [name, f] of Object.entries(BINARY)) defineFn(name, 2, (_v, a, b) => f(num(a), num(b)));
defineFn('fma', 3, (_v, a, b, c) => num(a) * num(b) + num(c));
defineFn('ldexp', 2, (_v, a, b) => num(a) * Math.pow(2, Math.trunc(num(b))));
