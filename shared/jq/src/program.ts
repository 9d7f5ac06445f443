import './builtins';
import type { CompileOptions } from './compile';
import { Compiler, ROOT_SCOPE } from './compile';
import { JqBudgetError, JqError } from './errors';
import { LruCache } from './lru';
import { parse } from './parser';
import type { Ctx, Filter } from './runtime';
import type { Json, JsonObject } from './value';

export type { CompileOptions } from './compile';

export interface RunOptions {
  /** Values of `$name` variables (`{ input: …, context: … }` binds `$input`, `$context`). */
  readonly vars?: Readonly<Record<string, Json>>;
  /** What `$ENV` and `env` see. Default: an empty object (the host's environment is never exposed). */
  readonly env?: JsonObject;
  /** Evaluation steps allowed (function calls, iterations, reductions). Default 10,000,000. */
  readonly maxSteps?: number;
  /**
   * Longest string (UTF-16 units) or array (elements) the program may build. Checked where values
   * grow (`+`, `*`, `[…]`, string interpolation, `add`), so it costs nothing per output. Default 16 Mi.
   */
  readonly maxOutputSize?: number;
  /** Clock for `now`, in seconds since the epoch. Default: the system clock. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_STEPS = 10_000_000;
export const DEFAULT_MAX_OUTPUT_SIZE = 16 * 1024 * 1024;

const EMPTY_ENV: JsonObject = Object.freeze({});

/** A parsed and compiled jq program; immutable, reusable, safe to share. */
export class JqProgram {
  constructor(
    readonly source: string,
    private readonly filter: Filter,
  ) {}

  /**
   * Runs the program, calling `onOutput` for each output until it returns false. Returns false if
   * stopped early. @throws JqRuntimeError (uncaught jq error), JqBudgetError (a limit was hit)
   */
  each(input: Json, onOutput: (v: Json) => boolean, options: RunOptions = {}): boolean {
    const ctx: Ctx = {
      steps: 0,
      maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
      maxOutputSize: options.maxOutputSize ?? DEFAULT_MAX_OUTPUT_SIZE,
      globals: options.vars ?? {},
      envObject: options.env ?? EMPTY_ENV,
      now: options.now ?? (() => Date.now() / 1000),
    };
    try {
      return this.filter.run(input, { v: null, next: null, ctx }, onOutput);
    } catch (e) {
      throw translate(e, ctx);
    }
  }

  /** Every output, in order. Outputs are computed eagerly, within the step budget. */
  *run(input: Json, options: RunOptions = {}): Generator<Json, void, undefined> {
    yield* this.all(input, options);
  }

  all(input: Json, options: RunOptions = {}): Json[] {
    const out: Json[] = [];
    this.each(input, (v) => (out.push(v), true), options);
    return out;
  }

  /** The first output, or undefined when there is none; evaluation stops there. */
  first(input: Json, options: RunOptions = {}): Json | undefined {
    let result: Json | undefined = undefined;
    this.each(
      input,
      (v) => {
        result = v;
        return false;
      },
      options,
    );
    return result;
  }
}

/** JS engine limits reached by a runaway program become budget errors the host can handle. */
function translate(e: unknown, ctx: Ctx): unknown {
  if (e instanceof JqError) return e;
  if (e instanceof RangeError) {
    if (/call stack/i.test(e.message)) return new JqBudgetError('depth', 0);
    return new JqBudgetError('output', ctx.maxOutputSize);
  }
  return e;
}

const cache = new LruCache<string, JqProgram>(1000);

/**
 * Parses and compiles a program, reusing a cached compilation of the same text and options.
 * @throws JqSyntaxError (with line and column) when it does not parse or names something undefined
 */
export function compileJq(source: string, options: CompileOptions = {}): JqProgram {
  const key = options.variables === undefined ? `*\0${source}` : `${options.variables.join(',')}\0${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const program = new JqProgram(source, new Compiler(options).compile(parse(source), ROOT_SCOPE));
  cache.set(key, program);
  return program;
}

/** Drops every cached compilation (tests; hosts that load many one-off programs). */
export function clearJqCache(): void {
  cache.clear();
}
