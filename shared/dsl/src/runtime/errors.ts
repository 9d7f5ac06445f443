import type { DslError } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';

/**
 * A DSL error raised while interpreting a workflow. It is data for the workflow (it becomes a
 * `task.failed` event and may be caught by `try`), not a failure of the engine: the decider turns
 * it into events, and anything else thrown from the decider is an engine bug.
 */
export class DslFault extends Error {
  constructor(
    readonly error: DslError,
    options?: { cause?: unknown },
  ) {
    super(error.detail ?? error.title ?? error.type, options);
    this.name = new.target.name;
  }

  /** The same fault, attributed to `instance` unless it already names its origin. */
  at(instance: string): DslFault {
    if (this.error.instance !== undefined) return this;
    return new DslFault({ ...this.error, instance }, { cause: this.cause });
  }
}

/** A runtime expression failed to compile or to evaluate (status 400, per the DSL). */
export class ExpressionError extends DslFault {
  constructor(
    readonly expression: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(dslError('expression', { detail }), options);
  }
}

/** A document that asks for something impossible (a missing task, an unknown error name, …). */
export function configurationFault(detail: string, instance?: string): DslFault {
  return new DslFault(dslError('configuration', { detail, ...(instance !== undefined && { instance }) }));
}

/** A construct this runtime does not run yet. */
export function unsupportedFault(detail: string): DslFault {
  return new DslFault(dslError('runtime', { status: 501, title: 'Not implemented', detail }));
}
