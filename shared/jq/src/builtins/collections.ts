import { eachValue } from '../filters';
import { tostring } from '../formats';
import { add, indicesOf } from '../ops';
import { defineFn, defineNative } from '../registry';
import type { Env, Filter } from '../runtime';
import { fail, step, typeFail } from '../runtime';
import type { Json } from '../value';
import { codepointLength, compare, describe, isObject, typeOf } from '../value';
import { codepoints } from '../ops';

function requireArray(v: Json, what: string): Json[] {
  if (!Array.isArray(v)) return typeFail(v, `cannot be ${what}, as it is not an array`);
  return v;
}

/** `[f]` for each element: jq's sort keys, so `sort_by(.a, .b)` sorts by both. */
function keysBy(arr: Json[], f: Filter, env: Env): Json[][] {
  return arr.map((x) => {
    const k: Json[] = [];
    f.run(x, env, (v) => (k.push(v), true));
    return k;
  });
}

/** Stable sort of the elements by their keys (Array.prototype.sort is stable). */
function sortedBy(arr: Json[], keys: Json[][]): { value: Json; key: Json[] }[] {
  return arr.map((value, i) => ({ value, key: keys[i] as Json[] })).sort((a, b) => compare(a.key, b.key));
}

function groups(arr: Json[], f: Filter, env: Env): Json[][] {
  const out: Json[][] = [];
  let lastKey: Json[] | null = null;
  for (const { value, key } of sortedBy(arr, keysBy(arr, f, env))) {
    if (lastKey !== null && compare(lastKey, key) === 0) (out[out.length - 1] as Json[]).push(value);
    else out.push([value]);
    lastKey = key;
  }
  return out;
}

function byKey(name: string, fn: (arr: Json[], f: Filter, env: Env) => Json, what = 'sorted'): void {
  defineNative(name, 1, {
    run: (input, args, env, emit) => emit(fn(requireArray(input, what), args[0] as Filter, env)),
  });
}

byKey('sort_by', (arr, f, env) => sortedBy(arr, keysBy(arr, f, env)).map((e) => e.value));
byKey('group_by', (arr, f, env) => groups(arr, f, env), 'grouped');
byKey('unique_by', (arr, f, env) => groups(arr, f, env).map((g) => g[0] as Json), 'grouped');
byKey('min_by', (arr, f, env) => extremeBy(arr, keysBy(arr, f, env), (c) => c < 0));
byKey('max_by', (arr, f, env) => extremeBy(arr, keysBy(arr, f, env), (c) => c >= 0));

function extremeBy(arr: Json[], keys: Json[][], better: (c: number) => boolean): Json {
  let best = -1;
  for (let i = 0; i < arr.length; i++) {
    if (best < 0 || better(compare(keys[i] as Json[], keys[best] as Json[]))) best = i;
  }
  return best < 0 ? null : (arr[best] as Json);
}

defineFn('sort', 0, (v) => requireArray(v, 'sorted').slice().sort(compare));
defineFn('unique', 0, (v) => {
  const sorted = requireArray(v, 'sorted').slice().sort(compare);
  return sorted.filter((x, i) => i === 0 || compare(sorted[i - 1] as Json, x) !== 0);
});
// jq 1.8: `[.[length - 1 - range(0; length)]]`, so strings and numbers fail on the indexing.
defineFn('reverse', 0, (v) => {
  if (Array.isArray(v)) return v.slice().reverse();
  if (v === null) return [];
  const n =
    typeof v === 'string'
      ? codepointLength(v)
      : typeof v === 'number'
        ? Math.abs(v)
        : isObject(v)
          ? Object.keys(v).length
          : fail(`${describe(v)} has no length`);
  if (n === 0) return [];
  return fail(`Cannot index ${typeOf(v)} with number (${n - 1})`);
});

/** Iterative, so deeply nested arrays do not exhaust the JavaScript stack. */
function flatten(arr: Json[], depth: number, out: Json[]): Json[] {
  const stack: { a: Json[]; i: number; depth: number }[] = [{ a: arr, i: 0, depth }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as { a: Json[]; i: number; depth: number };
    if (f.i === f.a.length) {
      stack.pop();
      continue;
    }
    const x = f.a[f.i++] as Json;
    if (Array.isArray(x) && f.depth !== 0) stack.push({ a: x, i: 0, depth: f.depth - 1 });
    else out.push(x);
  }
  return out;
}
defineFn('flatten', 0, (v) => flatten(requireArrayOrFail(v), -1, []));
defineFn('flatten', 1, (v, d) => {
  if (typeof d !== 'number') return fail('flatten depth must not be negative');
  if (d < 0) return fail('flatten depth must not be negative');
  return flatten(requireArrayOrFail(v), d, []);
});
/** What `.[]` iterates: array elements or object values. */
function requireArrayOrFail(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return fail(`Cannot iterate over ${describe(v)}`);
}

/** Positions of `needle`; for strings in codepoints, overlapping, as jq counts them. */
export function indices(v: Json, needle: Json): Json {
  if (v === null) return null;
  if (Array.isArray(v)) return indicesOf(v, Array.isArray(needle) ? needle : [needle]);
  if (typeof v === 'string' && typeof needle === 'string') {
    if (needle === '') return [];
    const out: number[] = [];
    const astral = codepoints(v) !== null;
    for (let i = v.indexOf(needle); i >= 0; i = v.indexOf(needle, i + 1)) {
      out.push(astral ? Array.from(v.slice(0, i)).length : i);
    }
    return out;
  }
  return fail(`Cannot index ${typeOf(v)} with ${typeOf(needle)}`);
}
defineFn('indices', 1, indices);
defineFn('index', 1, (v, n) => {
  const r = indices(v, n);
  return Array.isArray(r) ? (r[0] ?? null) : null;
});
defineFn('rindex', 1, (v, n) => {
  const r = indices(v, n);
  return Array.isArray(r) ? (r[r.length - 1] ?? null) : null;
});
defineFn('_strindices', 1, (v, needle) => {
  if (typeof v !== 'string') return typeFail(v, 'cannot be searched, as it is not a string');
  if (typeof needle !== 'string') return typeFail(needle, 'is not a string');
  return indices(v, needle);
});

// jq's join is a fold with `+`, so its errors are those of `+` on the partial result.
defineFn('join', 1, (v, sep) => {
  let acc: Json = null;
  for (const x of requireArrayOrFail(v)) {
    const part: Json = typeof x === 'number' || typeof x === 'boolean' ? tostring(x) : x === null ? '' : x;
    acc = add(acc === null ? '' : add(acc, sep), part);
  }
  return acc ?? '';
});

defineFn('bsearch', 1, (v, target) => {
  if (!Array.isArray(v)) return typeFail(v, 'cannot be searched from');
  let lo = 0;
  let hi = v.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(v[mid] as Json, target);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1 - lo;
});

defineFn('transpose', 0, (v) => {
  const rows = requireArrayOrFail(v).map((r) => (Array.isArray(r) ? r : fail(`Cannot index ${typeOf(r)} with number`)));
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, i) => rows.map((r) => (i < r.length ? (r[i] as Json) : null)));
});

function rangeNative(from: Json, upto: Json, by: Json, env: Env, emit: (v: Json) => boolean): boolean {
  if (typeof from !== 'number' || typeof upto !== 'number' || typeof by !== 'number') {
    return fail('Range bounds must be numeric');
  }
  if (by > 0) {
    for (let x = from; x < upto; x += by) {
      step(env.ctx);
      if (!emit(x)) return false;
    }
  } else if (by < 0) {
    for (let x = from; x > upto; x += by) {
      step(env.ctx);
      if (!emit(x)) return false;
    }
  }
  return true;
}

defineNative('range', 1, {
  run: (input, args, env, emit) => (args[0] as Filter).run(input, env, (n) => rangeNative(0, n, 1, env, emit)),
});
defineNative('range', 2, {
  run: (input, args, env, emit) =>
    (args[0] as Filter).run(input, env, (from) =>
      (args[1] as Filter).run(input, env, (upto) => rangeNative(from, upto, 1, env, emit)),
    ),
});
defineNative('range', 3, {
  run: (input, args, env, emit) =>
    (args[0] as Filter).run(input, env, (from) =>
      (args[1] as Filter).run(input, env, (upto) =>
        (args[2] as Filter).run(input, env, (by) => rangeNative(from, upto, by, env, emit)),
      ),
    ),
});

/** Short-circuiting `any/all` (jq's are defined with `isempty`, which stops at the first witness). */
function quantifier(want: boolean): (gen: Filter, cond: Filter | null, input: Json, env: Env) => boolean {
  return (gen, cond, input, env) => {
    let found = false;
    gen.run(input, env, (x) => {
      const check = (c: Json): boolean => {
        if ((c !== null && c !== false) === want) {
          found = true;
          return false;
        }
        return true;
      };
      return cond === null ? check(x) : cond.run(x, env, check);
    });
    return want ? found : !found;
  };
}
const anyOf = quantifier(true);
const allOf = quantifier(false);
const ITEMS: Filter = {
  run: (input, env, emit) => eachValue(input, env, emit),
  paths: () => true,
};
defineNative('any', 0, { run: (input, _a, env, emit) => emit(anyOf(ITEMS, null, input, env)) });
defineNative('all', 0, { run: (input, _a, env, emit) => emit(allOf(ITEMS, null, input, env)) });
defineNative('any', 1, { run: (input, a, env, emit) => emit(anyOf(ITEMS, a[0] as Filter, input, env)) });
defineNative('all', 1, { run: (input, a, env, emit) => emit(allOf(ITEMS, a[0] as Filter, input, env)) });
defineNative('any', 2, { run: (input, a, env, emit) => emit(anyOf(a[0] as Filter, a[1] as Filter, input, env)) });
defineNative('all', 2, { run: (input, a, env, emit) => emit(allOf(a[0] as Filter, a[1] as Filter, input, env)) });
defineNative('isempty', 1, {
  run: (input, a, env, emit) => {
    let empty = true;
    (a[0] as Filter).run(input, env, () => {
      empty = false;
      return false;
    });
    return emit(empty);
  },
});
