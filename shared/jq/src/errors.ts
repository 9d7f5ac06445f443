import type { Json } from './value';

/** Stable codes, so hosts can branch without `instanceof` across package copies. */
export type JqErrorCode = 'syntax' | 'runtime' | 'budget';

/** Base of every error this package throws on purpose. */
export class JqError extends Error {
  constructor(
    readonly code: JqErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The program text does not parse or refers to something undefined; points at line and column (1-based). */
export class JqSyntaxError extends JqError {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
  ) {
    super('syntax', `${detail} at line ${line}, column ${column}`);
  }
}

/**
 * A jq `error`: raised by the program (`error("x")`) or by a builtin (`1 | .a`). `value` is jq's
 * error value (what `try … catch .` receives); the message is what the jq CLI would print.
 */
export class JqRuntimeError extends JqError {
  constructor(readonly value: Json) {
    super('runtime', runtimeMessage(value));
  }
}

/** Which limit was hit: evaluation steps, output size, or recursion depth (the JS stack). */
export type JqBudgetKind = 'steps' | 'output' | 'depth';

/** A limit of the evaluation was exceeded. Never catchable by the jq program's own `try`. */
export class JqBudgetError extends JqError {
  constructor(
    readonly kind: JqBudgetKind,
    readonly limit: number,
  ) {
    super('budget', `jq evaluation exceeded its ${kind} budget (${limit})`);
  }
}

function runtimeMessage(value: Json): string {
  if (typeof value === 'string') return value;
  // The jq CLI's wording for a non-string error value.
  if (value === null) return 'null (null) not a string';
  return `${JSON.stringify(value)} (not a string)`;
}
