import type { CompiledPattern } from './patterns';
import { JqRuntimeError } from './errors';
import * as ops from './ops';
import type { Emit, Env, Filter, Path, PathEmit } from './runtime';
import * as runtime from './runtime';
import type { Json } from './value';
import * as values from './value';

// The combinators the compiler assembles: each returns a Filter (value mode, path mode and, when
// there is always one output, the `single` fast path).

// CommonJS output of tsx and swc reads every imported binding through a getter; the evaluation
// loops call these millions of times, so they are read once here.
const { binaryOp, index, slice } = ops;
const { BreakSignal, checkSize, fail, push, singleValued, step, stepPath, valueOnly } = runtime;
const { describe, dumpTruncated, getKey, isObject, truthy } = values;

export const IDENTITY: Filter = {
  run: (input, _env, emit) => emit(input),
  paths: (input, path, _env, emit) => emit(input, path),
  single: (input) => input,
};

export function guardDownstream(emit: Emit): { emit: Emit; isDownstream: (e: unknown) => boolean } {
  let thrown: unknown = undefined;
  let any = false;
  return {
    emit: (v) => {
      try {
        return emit(v);
      } catch (e) {
        thrown = e;
        any = true;
        throw e;
      }
    },
    isDownstream: (e) => any && e === thrown,
  };
}

export function guardDownstreamPaths(emit: PathEmit): { emit: PathEmit; isDownstream: (e: unknown) => boolean } {
  let thrown: unknown = undefined;
  let any = false;
  return {
    emit: (v, p) => {
      try {
        return emit(v, p);
      } catch (e) {
        thrown = e;
        any = true;
        throw e;
      }
    },
    isDownstream: (e) => any && e === thrown,
  };
}

/** Steps into `t` at `k` in path mode: the path check comes first, as in jq's error order. */
export function at(t: Json, p: Path | null, k: Json, emit: PathEmit): boolean {
  const next = stepPath(t, p, k);
  return emit(index(t, k), next);
}

export function emitSlice(v: Json, p: Path | null, from: Json, to: Json, emit: PathEmit): boolean {
  const next = stepPath(v, p, { start: from, end: to });
  return emit(slice(v, from, to), next);
}

export function eachValue(t: Json, env: Env, emit: Emit): boolean {
  if (Array.isArray(t)) {
    for (const x of t) {
      step(env.ctx);
      if (!emit(x)) return false;
    }
    return true;
  }
  if (isObject(t)) {
    for (const k of Object.keys(t)) {
      step(env.ctx);
      if (!emit(getKey(t, k) ?? null)) return false;
    }
    return true;
  }
  return fail(`Cannot iterate over ${describe(t)}`);
}

export function eachPath(t: Json, path: Path | null, env: Env, emit: PathEmit): boolean {
  if (path === null) return fail(`Invalid path expression near attempt to iterate through ${dumpTruncated(t)}`);
  if (Array.isArray(t)) {
    for (let i = 0; i < t.length; i++) {
      step(env.ctx);
      if (!emit(t[i] as Json, [...path, i])) return false;
    }
    return true;
  }
  if (isObject(t)) {
    for (const k of Object.keys(t)) {
      step(env.ctx);
      if (!emit(getKey(t, k) ?? null, [...path, k])) return false;
    }
    return true;
  }
  // jq lets a path expression iterate null (`path(.a[])` on {}): nothing to visit.
  if (t === null) return true;
  return fail(`Cannot iterate over ${describe(t)}`);
}

export function iterate(target: Filter): Filter {
  return {
    run: (input, env, emit) => target.run(input, env, (t) => eachValue(t, env, emit)),
    paths: (input, path, env, emit) => target.paths(input, path, env, (t, p) => eachPath(t, p, env, emit)),
  };
}

export function recurseValues(v: Json, env: Env, emit: Emit): boolean {
  if (!emit(v)) return false;
  if (Array.isArray(v) || isObject(v)) return eachValue(v, env, (x) => recurseValues(x, env, emit));
  return true;
}

export function recursePaths(v: Json, path: Path | null, env: Env, emit: PathEmit): boolean {
  if (!emit(v, path)) return false;
  if (path === null) return true;
  if (Array.isArray(v) || isObject(v)) return eachPath(v, path, env, (x, p) => recursePaths(x, p, env, emit));
  return true;
}

export const RECURSE: Filter = {
  run: (input, env, emit) => recurseValues(input, env, emit),
  paths: (input, path, env, emit) => recursePaths(input, path, env, emit),
};

export function tryFilter(body: Filter, handler: Filter | undefined): Filter {
  const onError = (e: unknown, env: Env, emit: Emit): boolean => {
    if (!(e instanceof JqRuntimeError)) throw e;
    // `error(null)` is caught as null; jq's special "break" error is not a value here.
    return handler === undefined ? true : handler.run(e.value, env, emit);
  };
  return {
    run: (input, env, emit) => {
      const guard = guardDownstream(emit);
      try {
        return body.run(input, env, guard.emit);
      } catch (e) {
        if (guard.isDownstream(e)) throw e;
        return onError(e, env, emit);
      }
    },
    paths: (input, path, env, emit) => {
      const guard = guardDownstreamPaths(emit);
      try {
        return body.paths(input, path, env, guard.emit);
      } catch (e) {
        if (guard.isDownstream(e) || !(e instanceof JqRuntimeError)) throw e;
        return handler === undefined ? true : handler.run(e.value, env, (v) => emit(v, null));
      }
    },
  };
}

export function negate(operand: Filter): Filter {
  const neg = (v: Json): Json => (typeof v === 'number' ? -v : fail(`${describe(v)} cannot be negated`));
  const one = operand.single;
  if (one !== undefined) return singleValued((input, env) => neg(one(input, env)));
  return valueOnly((input, env, emit) => operand.run(input, env, (v) => emit(neg(v))));
}

export function collect(body: Filter | null): Filter {
  return singleValued((input, env) => {
    const out: Json[] = [];
    if (body !== null) body.run(input, env, (v) => (out.push(v), true));
    return checkSize(env.ctx, out);
  });
}

export function pipe(left: Filter, right: Filter): Filter {
  const paths: Filter['paths'] = (input, path, env, emit) =>
    left.paths(input, path, env, (v, p) => right.paths(v, p, env, emit));
  const one = left.single;
  const two = right.single;
  if (one !== undefined && two !== undefined) {
    return {
      run: (input, env, emit) => emit(two(one(input, env), env)),
      paths,
      single: (input, env) => two(one(input, env), env),
    };
  }
  if (one !== undefined) return { run: (input, env, emit) => right.run(one(input, env), env, emit), paths };
  return { run: (input, env, emit) => left.run(input, env, (v) => right.run(v, env, emit)), paths };
}

export function comma(left: Filter, right: Filter): Filter {
  return {
    run: (input, env, emit) => left.run(input, env, emit) && right.run(input, env, emit),
    paths: (input, path, env, emit) => left.paths(input, path, env, emit) && right.paths(input, path, env, emit),
  };
}

export function binary(op: string, left: Filter, right: Filter): Filter {
  const l = left.single;
  const r = right.single;
  if (l !== undefined && r !== undefined) {
    // jq evaluates the right operand first; with single values that only orders the errors.
    return singleValued((input, env) => {
      const b = r(input, env);
      return checkSize(env.ctx, binaryOp(op, l(input, env), b));
    });
  }
  return valueOnly((input, env, emit) =>
    right.run(input, env, (b) => left.run(input, env, (a) => emit(checkSize(env.ctx, binaryOp(op, a, b))))),
  );
}

export function logical(kind: 'and' | 'or', left: Filter, right: Filter): Filter {
  const shortCircuit = kind === 'or';
  return valueOnly((input, env, emit) =>
    left.run(input, env, (a) =>
      truthy(a) === shortCircuit ? emit(shortCircuit) : right.run(input, env, (b) => emit(truthy(b))),
    ),
  );
}

export function alternative(left: Filter, right: Filter): Filter {
  return {
    run: (input, env, emit) => {
      let found = false;
      const more = left.run(input, env, (v) => {
        if (!truthy(v)) return true;
        found = true;
        return emit(v);
      });
      if (!more) return false;
      return found ? true : right.run(input, env, emit);
    },
    paths: (input, path, env, emit) => {
      let found = false;
      const more = left.paths(input, path, env, (v, p) => {
        if (!truthy(v)) return true;
        found = true;
        return emit(v, p);
      });
      if (!more) return false;
      return found ? true : right.paths(input, path, env, emit);
    },
  };
}

export function ifFilter(cond: Filter, then: Filter, otherwise: Filter | undefined): Filter {
  const other = otherwise ?? IDENTITY;
  return {
    run: (input, env, emit) =>
      cond.run(input, env, (c) => (truthy(c) ? then.run(input, env, emit) : other.run(input, env, emit))),
    paths: (input, path, env, emit) =>
      cond.run(input, env, (c) =>
        truthy(c) ? then.paths(input, path, env, emit) : other.paths(input, path, env, emit),
      ),
  };
}

export function reduceFilter(source: Filter, bind: CompiledPattern, init: Filter, update: Filter): Filter {
  return {
    run: (input, env, emit) =>
      init.run(input, env, (start) => {
        let acc: Json = start;
        source.run(input, env, (v) =>
          bind.bind(v, input, env, (e) => {
            step(env.ctx);
            let last: Json = null;
            update.run(acc, e, (u) => ((last = u), true));
            acc = last;
            return true;
          }),
        );
        return emit(acc);
      }),
    paths: (input, path, env, emit) =>
      init.paths(input, path, env, (start, startPath) => {
        let acc: Json = start;
        let accPath = startPath;
        source.run(input, env, (v) =>
          bind.bind(v, input, env, (e) => {
            step(env.ctx);
            let last: [Json, Path | null] = [null, accPath];
            update.paths(acc, accPath, e, (u, p) => ((last = [u, p]), true));
            [acc, accPath] = last;
            return true;
          }),
        );
        return emit(acc, accPath);
      }),
  };
}

export function foreachFilter(
  source: Filter,
  bind: CompiledPattern,
  init: Filter,
  update: Filter,
  extract: Filter | null,
): Filter {
  return valueOnly((input, env, emit) =>
    init.run(input, env, (start) => {
      let state: Json = start;
      return source.run(input, env, (v) =>
        bind.bind(v, input, env, (e) => {
          step(env.ctx);
          return update.run(state, e, (u) => {
            state = u;
            return extract === null ? emit(u) : extract.run(u, e, emit);
          });
        }),
      );
    }),
  );
}

export function label(body: Filter): Filter {
  const caught = (e: unknown, token: object): boolean => {
    if (e instanceof BreakSignal && e.label === token) return true;
    throw e;
  };
  return {
    run: (input, env, emit) => {
      const token = {};
      try {
        return body.run(input, push(env, token), emit);
      } catch (e) {
        return caught(e, token);
      }
    },
    paths: (input, path, env, emit) => {
      const token = {};
      try {
        return body.paths(input, path, push(env, token), emit);
      } catch (e) {
        return caught(e, token);
      }
    },
  };
}
