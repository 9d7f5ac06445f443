import type { JsonObject, JsonValue } from '../json';
import type { DslError } from '../domain/execution';

/** A side-effecting step handed from the worker to the executor. */
export interface TaskRequest {
  readonly tenantId: string;
  readonly workflowId: string;
  readonly executionId: string;
  readonly taskPath: string;
  readonly taskName: string;
  /** The task's definition from the document, with runtime expressions already evaluated. */
  readonly task: JsonObject;
  readonly input: JsonValue;
  readonly attempt: number;
  /** The task's loop iteration ("1.0" inside two loops), absent outside loops. */
  readonly iteration?: string;
  /** Stable across retries of the same step: sent to HTTP endpoints as an idempotency key. */
  readonly idempotencyKey: string;
}

export type TaskOutcome =
  | { readonly kind: 'completed'; readonly output: JsonValue }
  /** Terminal: the DSL error is raised in the workflow (and may be caught by try/catch). */
  | { readonly kind: 'failed'; readonly error: DslError }
  /** Transient: the executor may try again after `delayMs`. */
  | { readonly kind: 'retryable'; readonly error: DslError; readonly delayMs: number }
  /**
   * The outcome is reported later by someone else (a child execution started by `run: workflow`
   * reports to its parent when it ends); the executor publishes nothing.
   */
  | { readonly kind: 'deferred' };

/** Runs one kind of task (http call, openapi call, emit, …). Registered by kind in the executor. */
export interface TaskExecutor {
  /** The task kind this executor handles, e.g. "call:http". */
  readonly kind: string;
  /** Must honour `signal` (cancellation, timeout); must not throw for task failures (return them). */
  execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome>;
}
