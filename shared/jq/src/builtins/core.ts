import { eachValue, RECURSE } from '../filters';
import { JqRuntimeError } from '../errors';
import { tostring } from '../formats';
import { parseJson } from '../json';
import { add, has, keysOf } from '../ops';
import { preludeNames } from '../prelude';
import { nativeNames } from '../registry';
import { defineFn, defineNative } from '../registry';
import type { Env, Filter } from '../runtime';
import { checkSize, fail, step, typeFail } from '../runtime';
import type { Json, JsonObject } from '../value';
import { codepointLength, compare, describe, equals, getKey, isObject, toJson, truthy, typeOf } from '../value';

function length(v: Json): Json {
  if (v === null) return 0;
  if (typeof v === 'boolean') return typeFail(v, 'has no length');
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'string') return codepointLength(v);
  if (Array.isArray(v)) return v.length;
  return Object.keys(v).length;
}

/** jq's `contains`: substring for strings, recursive for arrays and objects, equality otherwise. */
export function contains(a: Json, b: Json): boolean {
  if (typeOf(a) !== typeOf(b) && !(typeof a === 'boolean' && typeof b === 'boolean')) {
    fail(`${describe(a)} and ${describe(b)} cannot have their containment checked`);
  }
  if (typeof a === 'string') return a.includes(b as string);
  if (Array.isArray(a)) return (b as Json[]).every((y) => a.some((x) => typeOf(x) === typeOf(y) && contains(x, y)));
  if (isObject(a)) {
    const bo = b as JsonObject;
    return Object.keys(bo).every((k) => {
      const av = getKey(a, k);
      return av !== undefined && typeOf(av) === typeOf(bo[k] as Json) && contains(av, bo[k] as Json);
    });
  }
  return equals(a, b);
}

function tonumber(v: Json): Json {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === v && /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
    if (v === 'nan' || v === '-nan') return NaN;
  }
  return typeFail(v, 'cannot be parsed as a number');
}

export function fromjson(v: Json): Json {
  if (typeof v !== 'string') return typeFail(v, 'only strings can be parsed');
  return parseJson(v);
}

function toarray(v: Json): Json {
  return Array.isArray(v) ? v : [v];
}

function addAll(v: Json, env: Env): Json {
  let acc: Json = null;
  let first = true;
  eachValue(v, env, (x) => {
    if (first) {
      acc = x;
      first = false;
    } else acc = addTwo(acc, x);
    return true;
  });
  return acc;
}

function addTwo(a: Json, b: Json): Json {
  // Building strings and arrays by repeated `+` is quadratic; `add` is hot enough to special-case.
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  return add(a, b);
}

function emitError(v: Json): never {
  throw new JqRuntimeError(v);
}

defineFn('length', 0, length);
defineFn('utf8bytelength', 0, (v) =>
  typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : typeFail(v, 'only strings have UTF-8 byte length'),
);
defineFn('not', 0, (v) => !truthy(v));
defineFn('type', 0, (v) => typeOf(v));
defineFn('keys', 0, (v) => keysOf(v, true));
defineFn('keys_unsorted', 0, (v) => keysOf(v, false));
defineFn('has', 1, (v, k) => has(v, k));
defineFn('contains', 1, (a, b) => contains(a, b));
defineFn('tostring', 0, (v) => tostring(v));
defineFn('tonumber', 0, tonumber);
defineFn('tojson', 0, (v) => toJson(v));
defineFn('fromjson', 0, fromjson);
defineFn('toarray', 0, toarray);
defineFn('infinite', 0, () => Infinity);
defineFn('nan', 0, () => NaN);
defineFn('isinfinite', 0, (v) =>
  typeof v === 'number' ? v === Infinity || v === -Infinity : typeFail(v, 'number required'),
);
defineFn('isnan', 0, (v) => (typeof v === 'number' ? Number.isNaN(v) : typeFail(v, 'number required')));
defineFn('isnormal', 0, (v) => {
  if (typeof v !== 'number') return typeFail(v, 'number required');
  return Number.isFinite(v) && v !== 0 && Math.abs(v) >= 2.2250738585072014e-308;
});
// jq 1.8: `if . < 0 then -. else . end`, so null and booleans (which sort below 0) fail to negate.
defineFn('abs', 0, (v) => {
  if (compare(v, 0) >= 0) return v;
  return typeof v === 'number' ? -v : fail(`${describe(v)} cannot be negated`);
});
defineFn('error', 0, emitError);
defineFn('error', 1, (_v, msg) => emitError(msg));
defineFn('halt_error', 1, (v) => emitError(v));
defineFn('halt', 0, () => fail('halt is not supported in this jq'));
defineFn('input', 0, () => fail('No more inputs'));
defineFn('debug', 0, (v) => v);
defineFn('stderr', 0, (v) => v);
defineFn('input_line_number', 0, () => 0);
defineFn('min', 0, (v) => extreme(v, (c) => c < 0));
defineFn('max', 0, (v) => extreme(v, (c) => c >= 0));

defineNative('empty', 0, { run: () => true, paths: () => true });
// `select` and `map` are the hottest builtins; natively they avoid a closure call per element.
defineNative('select', 1, {
  run: (input, args, env, emit) => {
    const f = args[0] as Filter;
    if (f.single !== undefined) {
      const c = f.single(input, env);
      return c !== null && c !== false ? emit(input) : true;
    }
    return f.run(input, env, (c) => (c !== null && c !== false ? emit(input) : true));
  },
  paths: (input, path, args, env, emit) =>
    (args[0] as Filter).run(input, env, (c) => (c !== null && c !== false ? emit(input, path) : true)),
});
function mapValues(input: Json, f: Filter, env: Env): Json[] {
  const out: Json[] = [];
  const one = f.single;
  if (one !== undefined) eachValue(input, env, (x) => (out.push(one(x, env)), true));
  else {
    const push = (v: Json): boolean => (out.push(v), true);
    eachValue(input, env, (x) => f.run(x, env, push));
  }
  return out;
}
defineNative('map', 1, {
  run: (input, args, env, emit) => emit(mapValues(input, args[0] as Filter, env)),
  single: (args) => (input, env) => mapValues(input, args[0] as Filter, env),
});
// jq 1.8: `repeat(f)` emits f's outputs on the same input, again and again, until an error or a stop.
defineNative('repeat', 1, {
  run: (input, args, env, emit) => {
    for (;;) {
      step(env.ctx);
      if (!(args[0] as Filter).run(input, env, emit)) return false;
    }
  },
  paths: (input, path, args, env, emit) => {
    for (;;) {
      step(env.ctx);
      if (!(args[0] as Filter).paths(input, path, env, emit)) return false;
    }
  },
});
defineNative('inputs', 0, { run: () => true });
defineNative('add', 0, { run: (input, _args, env, emit) => emit(checkSize(env.ctx, addAll(input, env))) });
defineNative('recurse', 0, {
  run: (input, _args, env, emit) => RECURSE.run(input, env, emit),
  paths: (input, path, _args, env, emit) => RECURSE.paths(input, path, env, emit),
});
defineNative('now', 0, { run: (_input, _args, env, emit) => emit(env.ctx.now()) });
defineNative('env', 0, { run: (_input, _args, env, emit) => emit(env.ctx.envObject) });
defineNative('builtins', 0, {
  run: (_input, _args, _env, emit) =>
    emit([...new Set([...nativeNames(), ...preludeNames()])].filter((n) => !n.startsWith('_'))),
});

function extreme(v: Json, better: (c: number) => boolean): Json {
  if (!Array.isArray(v)) return fail(`${describe(v)} and ${describe(v)} cannot be iterated over`);
  let best: Json | undefined = undefined;
  for (const x of v) if (best === undefined || better(compare(x, best))) best = x;
  return best ?? null;
}
