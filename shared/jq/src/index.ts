// @wormhole/jq: a jq 1.8 engine compiled to JavaScript closures (see README.md).
export { clearJqCache, compileJq, DEFAULT_MAX_OUTPUT_SIZE, DEFAULT_MAX_STEPS, JqProgram } from './program';
export type { CompileOptions, RunOptions } from './program';
export { JqBudgetError, JqError, JqRuntimeError, JqSyntaxError } from './errors';
export type { JqBudgetKind, JqErrorCode } from './errors';
export type { Json, JsonObject } from './value';
export { compare as compareJson, equals as jsonEquals, toJson } from './value';
