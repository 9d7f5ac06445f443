import type { DslError, JsonObject, JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import { isWithin } from './document';
import { DslFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { StepContext } from './scope';
import type { TaskRun } from './state';

/*
 * The building blocks every step shares: the data a step carries on, where a path belongs, and the
 * task events themselves.
 */

/** The data a step carries from one task to the next. */
export interface Carry {
  readonly output: JsonValue;
  readonly context: JsonObject;
}

/**
 * Placeholder for a `timer.scheduled`'s `timer_id`: the decider replaces it with the event's own
 * id, which is unique across executions (the timer store is shared) and the same when a decision
 * is repeated.
 */
export const OWN_EVENT_ID = '$own-event-id';

/** The innermost run that contains `path` (a task or a task list), or undefined for the workflow itself. */
export function ownerRun(ctx: StepContext, path: string): TaskRun | undefined {
  return ctx.state.tasks.filter((run) => isWithin(path, run.path)).pop();
}

/** `context` for an event, when the step changed it. */
export function contextChange(ctx: StepContext, context: JsonObject): { context?: JsonObject } {
  return context === ctx.state.context ? {} : { context };
}

/** A task as events name it (the workflow itself, for its timeout, has the empty path and type "workflow"). */
export interface TaskIdentity {
  readonly path: string;
  readonly name: string;
  readonly type: string;
  readonly iteration?: string;
}

export function taskRef(entry: TaskIdentity) {
  return {
    task_path: entry.path,
    task_name: entry.name,
    task_type: entry.type,
    ...(entry.iteration !== undefined && { iteration: entry.iteration }),
  };
}

/** task.completed of `run` with `output` as its raw output. */
export function taskCompleted(ctx: StepContext, run: TaskRun, output: JsonValue, context?: JsonObject): EventDraft {
  return draft('io.wormhole.task.completed', {
    ...taskRef(run),
    attempt: run.attempt,
    output,
    ...(context !== undefined && contextChange(ctx, context)),
  });
}

export function taskFailed(
  ctx: StepContext,
  task: TaskIdentity,
  attempt: number,
  error: DslError,
  context: JsonObject,
): EventDraft {
  return draft('io.wormhole.task.failed', {
    ...taskRef(task),
    attempt,
    error,
    retryable: false,
    ...contextChange(ctx, context),
  });
}

/** The DSL error of a fault, attributed to `instance`; anything else is an engine bug and rethrown. */
export function faultOf(e: unknown, instance: string): DslError {
  if (e instanceof DslFault) return e.at(instance).error;
  throw e;
}

/** The loop iteration that tasks started inside `owner` belong to ("1.0" inside two loops). */
export function iterationInside(owner: TaskRun | undefined): string | undefined {
  if (owner?.loop === undefined) return owner?.iteration;
  const index = String(owner.loop.index);
  return owner.iteration === undefined ? index : `${owner.iteration}.${index}`;
}

/** The new `$context` an `export.as` produced. @throws DslFault when it is not an object: the context is a map */
export function exportedContext(value: JsonValue): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DslFault(dslError('validation', { detail: 'export.as must produce an object: the context is a map' }));
  }
  return value;
}
