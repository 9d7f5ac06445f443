import type { Specification } from '@serverlessworkflow/sdk';
import type { CloudEvent, JsonObject, JsonValue, ListenMode, ListenRead } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { configurationFault, unsupportedFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateValue } from './expressions';
import type { StepContext } from './scope';
import type { ExecutionState, ListenPosition, TaskRun } from './state';
import { taskRef } from './task-events';

const READS: readonly ListenRead[] = ['data', 'envelope', 'raw'];

/**
 * `listen`, started: evaluates the filters' `with` (runtime expressions see the task's input now,
 * not the event) and records `listen.started`; the worker stores the subscription and the run
 * waits, holding no worker, until the router delivers matching events as `event.received`.
 * @throws DslFault for what is not supported yet (`until`, `foreach`, `correlate`) or a bad `read`
 */
export function startListen(ctx: StepContext, entry: TaskEntry, run: TaskRun, args: ExpressionArguments): EventDraft[] {
  const definition = entry.definition as Specification.ListenTask & { foreach?: unknown };
  if (definition.listen === undefined) throw configurationFault("a listen task needs 'listen.to'");
  const to = definition.listen.to;
  // The spec's table puts `foreach` beside `listen.to`; the schema, on the task: either is refused.
  if (definition.foreach !== undefined || (definition.listen as { foreach?: unknown }).foreach !== undefined) {
    throw unsupportedFault("'listen.foreach' is not supported yet");
  }
  if (to.until !== undefined) throw unsupportedFault("'listen.to.until' is not supported yet");
  const [mode, rawFilters] = strategyOf(to);
  if (rawFilters.some((f) => f.correlate !== undefined)) {
    throw unsupportedFault("'correlate' in a listen's event filter is not supported yet");
  }
  const filters = rawFilters.map((f) => {
    const evaluated = evaluateValue(ctx.evaluator, f.with ?? {}, run.input, args);
    if (evaluated === null || typeof evaluated !== 'object' || Array.isArray(evaluated)) {
      throw configurationFault("an event filter's 'with' must be an object");
    }
    return evaluated;
  });
  const read = definition.listen.read ?? 'data';
  if (!READS.includes(read)) throw configurationFault(`listen.read must be one of ${READS.join(', ')}`);
  return [
    draft('io.wormhole.listen.started', {
      ...taskRef(run),
      attempt: run.attempt,
      listen_id: ctx.nextEventId,
      mode,
      filters,
      read,
    }),
  ];
}

function strategyOf(to: Record<string, unknown>): [ListenMode, { with?: unknown; correlate?: unknown }[]] {
  if (to.one !== undefined) return ['one', [to.one as { with?: unknown }]];
  if (Array.isArray(to.any)) return ['any', to.any as { with?: unknown }[]];
  if (Array.isArray(to.all)) return ['all', to.all as { with?: unknown }[]];
  throw configurationFault("listen.to needs one of 'one', 'any' or 'all'");
}

/** Whether the listen has consumed what it waits for. */
export function listenSatisfied(listen: ListenPosition): boolean {
  if (listen.mode !== 'all') return listen.received.length > 0;
  const covered = new Set(listen.received.flatMap((r) => r.filters));
  return Array.from({ length: listen.filterCount }, (_, i) => i).every((i) => covered.has(i));
}

/** The task's output: the consumed events, in the order they arrived, read as `listen.read` says. */
export function listenOutput(listen: ListenPosition): JsonValue {
  return listen.received.map((r) => readEvent(r.event, listen.read));
}

function readEvent(event: CloudEvent, read: ListenRead): JsonValue {
  // Structured JSON carries no raw bytes: `raw` is the data as it came.
  if (read === 'envelope') return event as unknown as JsonObject;
  return event.data ?? null;
}

/** The listens the execution waits in (their subscriptions must exist while they do). */
export function waitingListens(state: ExecutionState): { readonly id: string; readonly path: string }[] {
  if (state.status !== 'running' && state.status !== 'waiting') return [];
  return state.tasks.flatMap((run) =>
    run.phase === 'waiting' && run.listen !== undefined ? [{ id: run.listen.id, path: run.path }] : [],
  );
}
