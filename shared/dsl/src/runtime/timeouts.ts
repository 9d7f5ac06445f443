import type { DslError, JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { durationToMs } from './duration';
import { configurationFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateValue } from './expressions';
import type { StepContext } from './scope';
import type { TaskIdentity } from './task-events';
import { OWN_EVENT_ID, taskRef } from './task-events';

/*
 * Timeouts are durable timers like `wait`'s, scheduled when the task (or the workflow) starts and
 * marked `kind: 'timeout'` so that they do not make the execution wait. When one fires while its
 * run is still active, the decider fails the run with the timeout error; a result that arrives
 * afterwards finds no run to complete and is ignored.
 */

/** The `timeout` of a task or of the workflow: inline, or the name of one in `use.timeouts`. */
export function timeoutDuration(document: WorkflowDocument, timeout: unknown): unknown {
  if (timeout === undefined) return undefined;
  const definition: unknown = typeof timeout === 'string' ? document.use?.timeouts?.[timeout] : timeout;
  if (definition === null || typeof definition !== 'object' || !('after' in definition)) {
    throw configurationFault(
      typeof timeout === 'string' ? `no timeout named '${timeout}' in use.timeouts` : 'a timeout needs `after`',
    );
  }
  return definition.after;
}

/**
 * The `timer.scheduled` of a starting task's (or, with the empty path, the workflow's) timeout,
 * or nothing when it has none.
 * @throws DslFault when the timeout names nothing or its duration is not one
 */
export function deadlineDrafts(
  ctx: StepContext,
  timeout: unknown,
  ref: TaskIdentity,
  input: JsonValue,
  args: ExpressionArguments,
): EventDraft[] {
  const after = timeoutDuration(ctx.document, timeout);
  if (after === undefined) return [];
  const ms = durationToMs(evaluateValue(ctx.evaluator, after, input, args));
  return [
    draft('io.wormhole.timer.scheduled', {
      ...taskRef(ref),
      timer_id: OWN_EVENT_ID,
      due_at: new Date(ctx.now.getTime() + ms).toISOString(),
      kind: 'timeout',
    }),
  ];
}

/** The error a run (or the workflow, at the empty path) gets when its timeout fires. */
export function timeoutError(instance: string): DslError {
  return dslError('timeout', {
    title: 'Timeout',
    detail: instance === '' ? 'the workflow timed out' : `task '${instance}' timed out`,
    // The workflow's error points at its `timeout`, as workflow-level transforms point at theirs.
    instance: instance === '' ? '/timeout' : instance,
  });
}
