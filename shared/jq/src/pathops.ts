import { index, setIndex, sliceBounds } from './ops';
import { fail } from './runtime';
import type { Json, JsonObject } from './value';
import { compare, copyObject, getKey, isObject, typeOf } from './value';

export function getpath(root: Json, path: Json): Json {
  if (!Array.isArray(path)) fail('Path must be specified as an array');
  let v = root;
  for (const k of path) {
    if (v === null) return null;
    v = index(v, k);
  }
  return v;
}

export function setpath(root: Json, path: Json, value: Json): Json {
  if (!Array.isArray(path)) fail('Path must be specified as an array');
  return setAt(root, path, 0, value);
}

function setAt(root: Json, path: Json[], i: number, value: Json): Json {
  if (i >= path.length) return value;
  const k = path[i] as Json;
  const child = root === null ? null : index(root, k);
  return setIndex(root, k, setAt(child, path, i + 1, value));
}

/**
 * Deletes every path at once, as jq does: negative indices and slices are first resolved against
 * the original value, then paths are deleted last first, so no deletion shifts a later one.
 */
export function delpaths(root: Json, paths: Json): Json {
  if (!Array.isArray(paths)) fail('Paths must be specified as an array');
  const resolved: Json[] = [];
  for (const p of paths) {
    if (!Array.isArray(p)) fail('Path must be specified as an array');
    resolve(root, p, 0, [], resolved);
  }
  const sorted = resolved.sort(compare);
  let out = root;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Json[];
    if (i < sorted.length - 1 && compare(p, sorted[i + 1] as Json) === 0) continue;
    out = delpath(out, p, 0);
  }
  return out;
}

function resolve(v: Json, path: Json[], i: number, prefix: Json[], out: Json[]): void {
  if (i === path.length) {
    out.push(prefix);
    return;
  }
  let k = path[i] as Json;
  if (Array.isArray(v)) {
    if (typeof k === 'number' && k < 0) {
      k = Math.floor(k + v.length);
      if (k < 0) return;
    } else if (isObject(k) && i === path.length - 1) {
      const [s, e] = sliceBounds(v.length, getKey(k, 'start') ?? null, getKey(k, 'end') ?? null);
      for (let j = s; j < e; j++) out.push([...prefix, j]);
      return;
    }
  }
  let next: Json = null;
  try {
    next = v === null ? null : index(v, k);
  } catch {
    // The deletion itself reports the type error with jq's wording.
  }
  resolve(next, path, i + 1, [...prefix, k], out);
}

function delpath(t: Json, path: Json[], i: number): Json {
  if (path.length === 0) return null;
  const k = path[i] as Json;
  if (i === path.length - 1) return deleteKey(t, k);
  if (t === null) return null;
  const child = index(t, k);
  if (child === null) return t;
  return setIndex(t, k, delpath(child, path, i + 1));
}

function deleteKey(t: Json, k: Json): Json {
  if (t === null) return null;
  if (Array.isArray(t)) {
    if (typeof k === 'number') {
      if (Number.isNaN(k)) return t;
      const i = Math.floor(k < 0 ? k + t.length : k);
      if (i < 0 || i >= t.length) return t;
      return [...t.slice(0, i), ...t.slice(i + 1)];
    }
    if (isObject(k)) {
      const [s, e] = sliceBounds(t.length, getKey(k, 'start') ?? null, getKey(k, 'end') ?? null);
      return [...t.slice(0, s), ...t.slice(e)];
    }
    return fail(`Cannot delete ${typeOf(k)} element of array`);
  }
  if (isObject(t)) {
    if (typeof k !== 'string') fail(`Cannot delete ${typeOf(k)} field of object`);
    if (getKey(t, k) === undefined) return t;
    const o: JsonObject = copyObject(t);
    delete o[k];
    return o;
  }
  return fail(`Cannot delete fields from ${typeOf(t)}`);
}
