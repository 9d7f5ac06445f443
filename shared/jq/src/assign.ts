import type { AssignOp } from './ast';
import { binaryOp } from './ops';
import { delpaths, getpath, setpath } from './pathops';
import type { Env, Filter, Path } from './runtime';
import { checkSize, realPath, step, valueOnly } from './runtime';
import type { Json } from './value';
import { truthy } from './value';

/** Every path `lhs` designates in `input` (jq's `path(lhs)`), computed before any update. */
export function collectPaths(lhs: Filter, input: Json, env: Env): Path[] {
  const out: Path[] = [];
  lhs.paths(input, [], env, (v, p) => {
    step(env.ctx);
    out.push(realPath(v, p));
    return true;
  });
  return out;
}

/**
 * `lhs |= f`: each path gets the first output of `f` on its old value; paths where `f` is empty
 * are deleted at the end, all at once, so deleting does not shift the paths still to visit.
 */
export function modify(input: Json, lhs: Filter, env: Env, update: (old: Json) => Json | undefined): Json {
  let out = input;
  const deleted: Path[] = [];
  for (const p of collectPaths(lhs, input, env)) {
    const next = update(getpath(out, p));
    if (next === undefined) deleted.push(p);
    else out = setpath(out, p, next);
  }
  return deleted.length === 0 ? out : delpaths(out, deleted);
}

function firstOutput(f: Filter, input: Json, env: Env): Json | undefined {
  let result: Json | undefined = undefined;
  f.run(input, env, (v) => {
    result = v;
    return false;
  });
  return result;
}

export function compileAssign(op: AssignOp, lhs: Filter, rhs: Filter): Filter {
  switch (op) {
    case '|=':
      return valueOnly((input, env, emit) => emit(modify(input, lhs, env, (old) => firstOutput(rhs, old, env))));
    case '=':
      return valueOnly((input, env, emit) =>
        rhs.run(input, env, (v) => {
          let out = input;
          for (const p of collectPaths(lhs, input, env)) out = setpath(out, p, v);
          return emit(out);
        }),
      );
    case '//=':
      return valueOnly((input, env, emit) =>
        rhs.run(input, env, (v) => {
          let out = input;
          for (const p of collectPaths(lhs, input, env)) {
            const old = getpath(out, p);
            out = setpath(out, p, truthy(old) ? old : v);
          }
          return emit(out);
        }),
      );
    default: {
      const arith = op.slice(0, 1);
      return valueOnly((input, env, emit) =>
        rhs.run(input, env, (v) => emit(modify(input, lhs, env, (old) => checkSize(env.ctx, binaryOp(arith, old, v))))),
      );
    }
  }
}
