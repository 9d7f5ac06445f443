import { delpaths, getpath, setpath } from '../pathops';
import { defineFn, defineNative } from '../registry';
import type { Filter, Path } from '../runtime';
import { fail, invalidPath, realPath, step } from '../runtime';
import type { Json } from '../value';
import { isObject } from '../value';

defineNative('path', 1, {
  run: (input, args, env, emit) => (args[0] as Filter).paths(input, [], env, (v, p) => emit(realPath(v, p))),
});
defineNative('getpath', 1, {
  run: (input, args, env, emit) => (args[0] as Filter).run(input, env, (p) => emit(getpath(input, p))),
  paths: (input, path, args, env, emit) =>
    (args[0] as Filter).run(input, env, (p) => {
      if (!Array.isArray(p)) return fail('Path must be specified as an array');
      return emit(getpath(input, p), path === null ? invalidPath(input) : [...path, ...p]);
    }),
});
defineFn('setpath', 2, (v, p, x) => setpath(v, p, x));
defineFn('delpaths', 1, (v, ps) => delpaths(v, ps));

defineNative('limit', 2, {
  run: (input, args, env, emit) =>
    (args[0] as Filter).run(input, env, (n) => {
      if (typeof n !== 'number') return fail('Invalid limit: must be a number');
      if (n < 0) return fail("limit doesn't support negative count");
      if (n === 0) return true;
      let count = 0;
      let stopped = false;
      (args[1] as Filter).run(input, env, (v) => {
        if (!emit(v)) {
          stopped = true;
          return false;
        }
        return ++count < n;
      });
      return !stopped;
    }),
  paths: (input, path, args, env, emit) =>
    (args[0] as Filter).run(input, env, (n) => {
      if (typeof n !== 'number' || n < 0) return fail("limit doesn't support negative count");
      if (n === 0) return true;
      let count = 0;
      let stopped = false;
      (args[1] as Filter).paths(input, path, env, (v, p) => {
        if (!emit(v, p)) {
          stopped = true;
          return false;
        }
        return ++count < n;
      });
      return !stopped;
    }),
});

defineNative('skip', 2, {
  run: (input, args, env, emit) =>
    (args[0] as Filter).run(input, env, (n) => {
      if (typeof n !== 'number') return fail('Invalid skip: must be a number');
      if (n < 0) return fail("skip doesn't support negative count");
      let count = 0;
      return (args[1] as Filter).run(input, env, (v) => (count++ < n ? true : emit(v)));
    }),
  paths: (input, path, args, env, emit) =>
    (args[0] as Filter).run(input, env, (n) => {
      if (typeof n !== 'number' || n < 0) return fail("skip doesn't support negative count");
      let count = 0;
      return (args[1] as Filter).paths(input, path, env, (v, p) => (count++ < n ? true : emit(v, p)));
    }),
});

defineNative('first', 1, {
  run: (input, args, env, emit) => {
    let found: { v: Json } | null = null;
    (args[0] as Filter).run(input, env, (v) => {
      found = { v };
      return false;
    });
    return found === null ? true : emit((found as { v: Json }).v);
  },
  paths: (input, path, args, env, emit) => {
    let found: { v: Json; p: Path | null } | null = null;
    (args[0] as Filter).paths(input, path, env, (v, p) => {
      found = { v, p };
      return false;
    });
    const f = found as { v: Json; p: Path | null } | null;
    return f === null ? true : emit(f.v, f.p);
  },
});

defineNative('last', 1, {
  run: (input, args, env, emit) => {
    let found: { v: Json } | null = null;
    (args[0] as Filter).run(input, env, (v) => {
      found = { v };
      return true;
    });
    const f = found as { v: Json } | null;
    return f === null ? true : emit(f.v);
  },
  paths: (input, path, args, env, emit) => {
    let found: { v: Json; p: Path | null } | null = null;
    (args[0] as Filter).paths(input, path, env, (v, p) => {
      found = { v, p };
      return true;
    });
    const f = found as { v: Json; p: Path | null } | null;
    return f === null ? true : emit(f.v, f.p);
  },
});

/** `tostream`: [path, leaf] events, and [path] to close each array or object, depth first. */
function streamEvents(v: Json, path: Path, emit: (e: Json) => boolean, ctx: { steps: number }): boolean {
  const container = Array.isArray(v) || isObject(v);
  const keys: Json[] = Array.isArray(v) ? v.map((_, i) => i) : isObject(v) ? Object.keys(v) : [];
  if (!container || keys.length === 0) {
    if (!emit([path, v])) return false;
  } else {
    let last: Json = null;
    for (const k of keys) {
      ctx.steps++;
      const child = Array.isArray(v) ? (v[k as number] as Json) : ((v as Record<string, Json>)[k as string] as Json);
      if (!streamEvents(child, [...path, k], emit, ctx)) return false;
      last = k;
    }
    if (!emit([[...path, last]])) return false;
  }
  return true;
}

defineNative('tostream', 0, {
  run: (input, _args, env, emit) => streamEvents(input, [], emit, env.ctx),
});

defineNative('fromstream', 1, {
  run: (input, args, env, emit) => {
    let acc: Json = null;
    let open = false;
    return (args[0] as Filter).run(input, env, (ev) => {
      step(env.ctx);
      if (!Array.isArray(ev) || !Array.isArray(ev[0])) return fail('Invalid stream event');
      const path = ev[0];
      if (ev.length === 2) {
        if (path.length === 0) {
          acc = null;
          open = false;
          return emit(ev[1] as Json);
        }
        acc = setpath(open ? acc : null, path, ev[1] as Json);
        open = true;
        return true;
      }
      if (path.length === 1) {
        const done = acc;
        acc = null;
        open = false;
        return emit(done);
      }
      return true;
    });
  },
});

defineNative('truncate_stream', 1, {
  run: (input, args, env, emit) => {
    if (typeof input !== 'number') return fail('truncate_stream depth must be a number');
    const depth = input;
    // jq runs the stream on null: the input is the depth.
    return (args[0] as Filter).run(null, env, (ev) => {
      if (!Array.isArray(ev) || !Array.isArray(ev[0])) return fail('Invalid stream event');
      const path = ev[0];
      if (path.length <= depth) return true;
      return emit([path.slice(depth), ...ev.slice(1)]);
    });
  },
});
