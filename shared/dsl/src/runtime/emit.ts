import type { Specification } from '@serverlessworkflow/sdk';
import type { CloudEvent, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { configurationFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateValue } from './expressions';
import type { StepContext } from './scope';
import type { TaskRun } from './state';
import { taskRef } from './task-events';

/**
 * `emit`, inline: the evaluated CloudEvent goes into the history as `event.emitted` and the task
 * completes with that event as its output (what the CTK's emit feature expects). Delivering it
 * to a broker is someone else's job (the event is in the history and on the engine's stream).
 * `id` defaults to the id of the event.emitted itself, so deciding again emits the same event;
 * `time` to now; `specversion` is 1.0.
 * @throws DslFault when `source` or `type` is missing after evaluation
 */
export function emitEvent(ctx: StepContext, entry: TaskEntry, run: TaskRun, args: ExpressionArguments): EventDraft[] {
  const definition = (entry.definition as Specification.EmitTask).emit?.event.with;
  const evaluated = evaluateValue(ctx.evaluator, definition ?? {}, run.input, args);
  if (evaluated === null || typeof evaluated !== 'object' || Array.isArray(evaluated)) {
    throw configurationFault('emit.event.with must be an object');
  }
  const { source, type } = evaluated;
  if (typeof source !== 'string' || source === '' || typeof type !== 'string' || type === '') {
    throw configurationFault('an emitted event needs a non-empty source and type');
  }
  const event = {
    ...evaluated,
    specversion: '1.0',
    id: typeof evaluated.id === 'string' && evaluated.id !== '' ? evaluated.id : ctx.nextEventId,
    source,
    type,
    time: typeof evaluated.time === 'string' ? evaluated.time : ctx.now.toISOString(),
  } satisfies CloudEvent<string, JsonValue>;
  return [
    draft('io.wormhole.event.emitted', { event }),
    draft('io.wormhole.task.completed', { ...taskRef(run), attempt: run.attempt, output: event }),
  ];
}
