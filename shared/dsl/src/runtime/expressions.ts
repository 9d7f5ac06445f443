import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import { WHOLE_RUNTIME_EXPRESSION } from '@wormhole/interfaces';
import { ExpressionError, configurationFault } from './errors';

/**
 * The runtime expression arguments of the DSL (dsl.md, "Runtime expression arguments"), bound as
 * `$context`, `$input`, … An argument left undefined is bound to null, so that an expression that
 * names it still compiles: which arguments exist at which stage is the caller's business.
 */
export interface ExpressionArguments {
  readonly context?: JsonValue;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly secrets?: JsonValue;
  readonly task?: JsonValue;
  readonly workflow?: JsonValue;
  readonly runtime?: JsonValue;
  readonly authorization?: JsonValue;
  /**
   * Variables a task's scope binds besides the standard arguments, as `$name`: `for.each` and
   * `for.at` inside a loop, `catch.as` inside a catch. Names must be jq identifiers; a variable
   * never hides a standard argument.
   */
  readonly variables?: JsonObject;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can be bound as a jq `$name` variable. */
export function isVariableName(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * A name a document chooses for a variable (`for.each`, `for.at`, `catch.as`).
 * @throws DslFault (configuration error) when it is not a jq identifier or would hide a standard argument
 */
export function checkVariableName(name: string, field: string): string {
  if (!isVariableName(name) || (EXPRESSION_ARGUMENT_NAMES as readonly string[]).includes(name)) {
    throw configurationFault(`${field} '${name}' must be a jq identifier other than the runtime arguments`);
  }
  return name;
}

export const EXPRESSION_ARGUMENT_NAMES = [
  'context',
  'input',
  'output',
  'secrets',
  'task',
  'workflow',
  'runtime',
  'authorization',
] as const satisfies readonly (keyof ExpressionArguments)[];

/**
 * Evaluates one jq program (already stripped of its `${ }`). Synchronous on purpose: the decider
 * is a pure function and the in-house jq is synchronous too.
 *
 * Results: no output gives null, one output gives that value, several outputs give an array of them.
 * @throws ExpressionError when the program does not compile, fails, or exceeds the evaluator's limits
 */
export interface ExpressionEvaluator {
  evaluate(expression: string, input: JsonValue, args: ExpressionArguments): JsonValue;
}

/** The DSL's rule, kept in @wormhole/interfaces so the storage's subscription index agrees with it. */
const WHOLE_EXPRESSION = WHOLE_RUNTIME_EXPRESSION;

/** True for a string that is, as a whole, a strict-mode runtime expression `${ … }`. */
export function isRuntimeExpression(value: unknown): value is string {
  return typeof value === 'string' && WHOLE_EXPRESSION.test(value);
}

/** The jq program inside `${ … }`; a string without the wrapper is returned as it is. */
export function expressionBody(value: string): string {
  const match = WHOLE_EXPRESSION.exec(value);
  return match?.[1] !== undefined ? match[1].trim() : value.trim();
}

/**
 * Evaluates the runtime expressions inside any JSON value: strings that are, as a whole, `${ … }`
 * are replaced by their result; objects and arrays are walked; everything else is kept. Strict mode
 * only: a string with `${ … }` in the middle of text is a literal (dsl-reference.md, "Evaluate").
 */
export function evaluateValue(
  evaluator: ExpressionEvaluator,
  value: unknown,
  input: JsonValue,
  args: ExpressionArguments,
): JsonValue {
  if (isRuntimeExpression(value)) return run(evaluator, expressionBody(value), input, args);
  if (Array.isArray(value)) return value.map((item) => evaluateValue(evaluator, item, input, args));
  if (value !== null && typeof value === 'object') {
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) result[key] = evaluateValue(evaluator, item, input, args);
    }
    return result;
  }
  if (value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return value;
  }
  throw new ExpressionError('', `not a JSON value: ${typeof value}`);
}

/**
 * Evaluates a field the DSL defines as a runtime expression (`if`, `when`, `input.from`,
 * `output.as`, `export.as`): a string is a jq program with or without its `${ }` (the spec's own
 * examples write `from: .order.pet`); an object is a value with expressions inside.
 */
export function evaluateField(
  evaluator: ExpressionEvaluator,
  field: unknown,
  input: JsonValue,
  args: ExpressionArguments,
): JsonValue {
  if (typeof field === 'string') return run(evaluator, expressionBody(field), input, args);
  return evaluateValue(evaluator, field, input, args);
}

/** Evaluates a condition with jq truthiness: only false and null are false. */
export function evaluateCondition(
  evaluator: ExpressionEvaluator,
  condition: string,
  input: JsonValue,
  args: ExpressionArguments,
): boolean {
  const result = evaluateField(evaluator, condition, input, args);
  return result !== false && result !== null;
}

function run(evaluator: ExpressionEvaluator, program: string, input: JsonValue, args: ExpressionArguments): JsonValue {
  if (program === '') throw new ExpressionError(program, 'empty runtime expression');
  return evaluator.evaluate(program, input, args);
}
