import { JqBudgetError, JqRuntimeError } from './errors';
import type { Json, JsonObject } from './value';
import { describe, dumpTruncated } from './value';

/** Per-evaluation state shared by every closure of one run. */
export interface Ctx {
  steps: number;
  readonly maxSteps: number;
  readonly maxOutputSize: number;
  /** Variables bound by the host (`$input`, `$context`, …), looked up by name. */
  readonly globals: Readonly<Record<string, Json>>;
  /** What `$ENV` and `env` return: the host decides, default empty. */
  readonly envObject: JsonObject;
  readonly now: () => number;
}

/**
 * The runtime environment: a linked list whose shape mirrors the compile-time scope, so a name is
 * resolved once at compile time to a number of hops. Nodes hold a variable's value, a filter
 * argument (`Closure`), a label token, or nothing (a function's own node, for recursion).
 */
export interface Env {
  readonly v: unknown;
  readonly next: Env | null;
  readonly ctx: Ctx;
}

/** Receives one output; returns false to ask the producer to stop (`limit`, `first`, …). */
export type Emit = (v: Json) => boolean;
export type Path = Json[];
/**
 * Receives a value and its path; the path is null when the value was computed, not reached (like
 * jq, path mode carries such values on, and fails only when one is indexed or must be a path).
 */
export type PathEmit = (v: Json, path: Path | null) => boolean;

/**
 * A compiled jq expression. `run` emits values; `paths` emits (value, path) pairs for path
 * expressions (`path(f)`, assignment), starting from the value `input` found at `path`.
 * Both return false when a consumer asked to stop, true when the stream ended.
 */
export interface Filter {
  run(input: Json, env: Env, emit: Emit): boolean;
  paths(input: Json, path: Path | null, env: Env, emit: PathEmit): boolean;
  /**
   * Present when the expression always yields exactly one value (or throws): `.a.b`, `$x`,
   * `.x + 1`, `[…]`, `length`… Callers use it to skip the callback, which is most of the cost of
   * the small expressions a workflow evaluates.
   */
  single?: (input: Json, env: Env) => Json;
}

/** A filter argument bound with the environment of its call site. */
export interface Closure {
  readonly filter: Filter;
  readonly env: Env;
}

export function push(env: Env, v: unknown): Env {
  return { v, next: env, ctx: env.ctx };
}

export function lookup(env: Env, hops: number): Env {
  let e: Env | null = env;
  for (let i = 0; i < hops && e !== null; i++) e = e.next;
  if (e === null) throw new Error('jq: environment shorter than its scope (compiler bug)');
  return e;
}

/** A value the program built, checked against the output budget (strings and arrays only grow). */
export function checkSize(ctx: Ctx, v: Json): Json {
  if ((typeof v === 'string' || Array.isArray(v)) && v.length > ctx.maxOutputSize) {
    throw new JqBudgetError('output', ctx.maxOutputSize);
  }
  return v;
}

/** Counts one unit of work; the cheap guard against runaway programs. */
export function step(ctx: Ctx): void {
  if (++ctx.steps > ctx.maxSteps) throw new JqBudgetError('steps', ctx.maxSteps);
}

export function fail(message: string | Json): never {
  throw new JqRuntimeError(message);
}

/** The path of a path-mode result, which must be a real path (`path(f)`, assignment). */
export function realPath(v: Json, p: Path | null): Path {
  return p === null ? invalidPath(v) : p;
}

/** Extends a path by one step; a computed value cannot be stepped into. */
export function stepPath(parent: Json, p: Path | null, key: Json): Path {
  if (p === null) {
    return fail(
      `Invalid path expression near attempt to access element ${dumpTruncated(key)} of ${dumpTruncated(parent)}`,
    );
  }
  return [...p, key];
}

export function invalidPath(v: Json): never {
  return fail(`Invalid path expression with result ${dumpTruncated(v)}`);
}

/** A filter usable only for values: in path mode every output is an invalid path. */
export function valueOnly(run: Filter['run'], single?: Filter['single']): Filter {
  const paths: Filter['paths'] = (input, _path, env, emit) => run(input, env, (v) => emit(v, null));
  return single === undefined ? { run, paths } : { run, paths, single };
}

/** A filter of exactly one output, from its `single` function. */
export function singleValued(single: (input: Json, env: Env) => Json): Filter {
  return valueOnly((input, env, emit) => emit(single(input, env)), single);
}

/** Thrown by `break $label`; only the matching `label` catches it, never `try`. */
export class BreakSignal extends Error {
  constructor(readonly label: object) {
    super('break');
  }
}

export function typeFail(v: Json, msg: string): never {
  return fail(`${describe(v)} ${msg}`);
}
