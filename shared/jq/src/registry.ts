import type { Emit, Env, Filter, Path, PathEmit } from './runtime';
import type { Json } from './value';

/** A builtin implemented in TypeScript. Filter arguments are run with the caller's `env`. */
export interface Native {
  run: (input: Json, args: readonly Filter[], env: Env, emit: Emit) => boolean;
  paths?: (input: Json, path: Path | null, args: readonly Filter[], env: Env, emit: PathEmit) => boolean;
  /** When the call always has exactly one output for these arguments: its direct form. */
  single?: (args: readonly Filter[]) => ((input: Json, env: Env) => Json) | undefined;
}

const natives = new Map<string, Native>();

export function defineNative(name: string, arity: number, native: Native): void {
  natives.set(`${name}/${arity}`, native);
}

export function findNative(name: string, arity: number): Native | undefined {
  return natives.get(`${name}/${arity}`);
}

export function nativeNames(): string[] {
  return [...natives.keys()];
}

/**
 * A builtin that maps values to one value (jq's "cfunction"): arguments are evaluated to values,
 * all combinations tried, the last argument varying slowest, as jq does.
 */
export function defineFn(name: string, arity: number, fn: (input: Json, ...args: Json[]) => Json): void {
  const run: Native['run'] = (input, args, env, emit) => {
    if (args.length === 0) return emit(fn(input));
    const vals: Json[] = new Array<Json>(args.length);
    const go = (i: number): boolean => {
      if (i < 0) return emit(fn(input, ...vals));
      const arg = args[i] as Filter;
      return arg.run(input, env, (v) => {
        vals[i] = v;
        return go(i - 1);
      });
    };
    return go(args.length - 1);
  };
  defineNative(name, arity, {
    run,
    paths: (input, _path, args, env, emit) => run(input, args, env, (v) => emit(v, null)),
    single: (args) => {
      if (args.length === 0) return (input) => fn(input);
      const ones = args.map((a) => a.single);
      if (ones.some((o) => o === undefined)) return undefined;
      const direct = ones as ((input: Json, env: Env) => Json)[];
      if (direct.length === 1) {
        const [a] = direct as [(input: Json, env: Env) => Json];
        return (input, env) => fn(input, a(input, env));
      }
      // The last argument is evaluated first, as in the general case.
      return (input, env) => {
        const vals: Json[] = new Array<Json>(direct.length);
        for (let i = direct.length - 1; i >= 0; i--) {
          vals[i] = (direct[i] as (input: Json, env: Env) => Json)(input, env);
        }
        return fn(input, ...vals);
      };
    },
  });
}
