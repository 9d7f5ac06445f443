import { index, setIndex, sliceBounds } from './ops';
import { fail } from './runtime';
import type { Json, JsonObject } from './value';
import { compare, copyObject, getKey, isObject, typeOf } from './value';

/** jq's limit on path length (a CVE fix in jq): longer paths fail instead of exhausting memory. */
const MAX_PATH_DEPTH = 10000;

function checkPath(path: Json): Json[] {
  if (!Array.isArray(path)) return fail('Path must be specified as an array');
  if (path.length > MAX_PATH_DEPTH) return fail('Path too deep');
  return path;
}

export function getpath(root: Json, path: Json): Json {
  let v = root;
  for (const k of checkPath(path)) {
    if (v === null) return null;
    v = index(v, k);
  }
  return v;
}

/** Iterative (down collecting the containers, then back up), so long paths do not use the stack. */
export function setpath(root: Json, path: Json, value: Json): Json {
  const keys = checkPath(path);
  const parents: Json[] = [];
  let cur = root;
  for (const k of keys) {
    parents.push(cur);
    cur = cur === null ? null : index(cur, k);
  }
  let out = value;
  for (let i = keys.length - 1; i >= 0; i--) out = setIndex(parents[i] as Json, keys[i] as Json, out);
  return out;
}

/**
 * Deletes every path at once, as jq does: negative indices and slices are first resolved against
 * the original value, then paths are deleted last first, so no deletion shifts a later one.
 */
export function delpaths(root: Json, paths: Json): Json {
  if (!Array.isArray(paths)) fail('Paths must be specified as an array');
  const resolved: Json[] = [];
  for (const p of paths) {
    resolve(root, checkPath(p), resolved);
  }
  const sorted = resolved.sort(compare);
  let out = root;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Json[];
    if (i < sorted.length - 1 && compare(p, sorted[i + 1] as Json) === 0) continue;
    out = delpath(out, p);
  }
  return out;
}

/** A path with negative indices made absolute and a final slice expanded to its indices. */
function resolve(root: Json, path: Json[], out: Json[]): void {
  const prefix: Json[] = [];
  let v = root;
  for (let i = 0; i < path.length; i++) {
    let k = path[i] as Json;
    const last = i === path.length - 1;
    if (Array.isArray(v)) {
      if (typeof k === 'number' && k < 0) {
        k = Math.floor(k + v.length);
        if (k < 0) return;
      } else if (isObject(k) && last) {
        const [s, e] = sliceBounds(v.length, getKey(k, 'start') ?? null, getKey(k, 'end') ?? null);
        for (let j = s; j < e; j++) out.push([...prefix, j]);
        return;
      }
    }
    prefix.push(k);
    if (!last) {
      try {
        v = v === null ? null : index(v, k);
      } catch {
        // The deletion itself reports the type error with jq's wording.
        v = null;
      }
    }
  }
  out.push(prefix);
}

function delpath(root: Json, path: Json[]): Json {
  if (path.length === 0) return null;
  const parents: Json[] = [];
  let cur = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur === null) return root;
    parents.push(cur);
    cur = index(cur, path[i] as Json);
  }
  // A missing intermediate container means there is nothing to delete.
  if (cur === null && path.length > 1) return root;
  let out = deleteKey(cur, path[path.length - 1] as Json);
  for (let i = parents.length - 1; i >= 0; i--) out = setIndex(parents[i] as Json, path[i] as Json, out);
  return out;
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
