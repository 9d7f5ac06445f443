import { createHash } from 'node:crypto';
import type { EngineEvent, JsonObject } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { isWithin } from './document';
import type { EventDraft } from './events';
import { toEngineEvent } from './events';
import type { ExpressionEvaluator } from './expressions';
import { applyEvent } from './fold';
import type { StepContext } from './scope';
import type { ExecutionState, TaskRun } from './state';
import { OWN_EVENT_ID } from './task-events';
import { requestResources } from './resource-requests';
import { MAX_RESOURCE_ROUNDS } from './resources';
import { finishTask, propagateFailure, resumeTask, retryTask, runTask, startWorkflow, timedOut } from './tasks';

export interface DecideOptions {
  /** CloudEvents `source` of the events decided. */
  readonly source?: string;
  /**
   * Id of the `index`-th event (from 1) decided after the event `causeId`, the last one the state
   * applied. The default, `deterministicEventId`, makes deciding twice from the same state yield
   * the same events, so the history's unique ids turn a repeated decision into a no-op.
   */
  readonly eventId?: (executionId: string, causeId: string, index: number) => string;
  /** `$runtime`. */
  readonly runtime?: JsonObject;
  /** `$secrets`, already resolved for this execution. */
  readonly secrets?: JsonObject;
  /**
   * Most events one decision may produce. A workflow that loops inline (`then` back to an earlier
   * `set`) would otherwise never yield: the decision stops there with `yielded: true`.
   */
  readonly maxEvents?: number;
}

export interface Decision {
  /** Events to append to the history and publish, in order. Empty when there is nothing to do. */
  readonly events: readonly EngineEvent[];
  /** The state with `events` folded in. */
  readonly state: ExecutionState;
  /** True when the event budget ran out with more inline work to do: decide again later. */
  readonly yielded: boolean;
}

export const DEFAULT_RUNTIME: JsonObject = { name: 'wormhole', version: '0.1.0', metadata: {} };
const DEFAULT_MAX_EVENTS = 1000;

/**
 * Decides what happens next in an execution: runs inline tasks (set, switch, raise, do, flow
 * directives, transforms) until the execution waits for the outside world (a task handed to the
 * executor, a timer) or ends, and returns the events that say so. Pure but for the evaluator,
 * which must be deterministic. Nothing is decided before `execution.started` or after the end
 * (including cancellation).
 */
export function decide(
  document: WorkflowDocument,
  state: ExecutionState,
  evaluator: ExpressionEvaluator,
  now: Date,
  options: DecideOptions = {},
): Decision {
  const identity = state.identity;
  if (identity === undefined) return { events: [], state, yielded: false };
  const eventId = options.eventId ?? deterministicEventId;
  const causeId = state.recentEventIds[state.recentEventIds.length - 1] ?? '';
  // Each id is asked for twice (the step's `nextEventId`, then the event's own): hash it once.
  const ids = new Map<number, string>();
  const idOf = (index: number): string => {
    let id = ids.get(index);
    if (id === undefined) ids.set(index, (id = eventId(identity.executionId, causeId, index)));
    return id;
  };
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const base = {
    document,
    evaluator,
    now,
    runtime: options.runtime ?? DEFAULT_RUNTIME,
    secrets: options.secrets ?? {},
  };
  const events: EngineEvent[] = [];
  let current = state;
  for (;;) {
    const drafts = nextStep({ ...base, state: current, nextEventId: idOf(events.length + 1) });
    if (drafts.length === 0) return { events, state: current, yielded: false };
    if (events.length + drafts.length > maxEvents && events.length > 0) {
      return { events, state: current, yielded: true };
    }
    for (const eventDraft of drafts) {
      const id = idOf(events.length + 1);
      const event = toEngineEvent(withOwnTimerId(eventDraft, id), {
        id,
        time: now,
        source: options.source ?? 'wormhole/worker',
        identity,
      });
      const next = applyEvent(current, event);
      // A decided event the fold ignores would make the decider ask the same question forever
      // (an emitted event is only a record, and the task.completed that follows it moves on).
      const informational = eventDraft.type === 'io.wormhole.event.emitted';
      if (next.eventCount === current.eventCount || (!informational && sameProgress(next, current))) {
        throw new Error(`decided ${event.type} for '${taskPathOf(eventDraft)}' but it changed nothing`);
      }
      events.push(event);
      current = next;
    }
  }
}

/**
 * `ev_` and 26 hex digits of a hash of the execution, the causing event and the position. Not a
 * count of events: a count drifts when a stale redelivery is folded in a cached state but never
 * reaches the history, and a drifted count would reuse ids the history already holds.
 */
export function deterministicEventId(executionId: string, causeId: string, index: number): string {
  const digest = createHash('sha256').update(`${executionId}\n${causeId}\n${index}`).digest('hex');
  return `ev_${digest.slice(0, 26)}`;
}

/**
 * The events of the next transition. A fired timeout comes first; then the first run, in the
 * order the runs started, that holds no other run and has something to do. Sequential flow has
 * one such run (the innermost); a fork has one per branch, stepped in that fixed order.
 */
function nextStep(ctx: StepContext): EventDraft[] {
  const status = ctx.state.status;
  if (status !== 'running' && status !== 'waiting') return [];
  const expired = timedOut(ctx);
  if (expired.length > 0) return expired;
  if (ctx.state.tasks.length === 0) return status === 'running' ? resolveThenStart(ctx) : [];
  for (const run of ctx.state.tasks) {
    if (ctx.state.tasks.some((inner) => isWithin(inner.path, run.path))) continue;
    const drafts = stepRun(ctx, run);
    if (drafts.length > 0) return drafts;
  }
  return [];
}

/** Before the first task, the external documents the run needs are fetched by the executor (`resources.ts`). */
function resolveThenStart(ctx: StepContext): EventDraft[] {
  if (ctx.state.resolving !== undefined) return [];
  if ((ctx.state.resourceRounds ?? 0) < MAX_RESOURCE_ROUNDS) {
    const requested = requestResources(ctx);
    if (requested.length > 0) return requested;
  }
  return startWorkflow(ctx);
}

function stepRun(ctx: StepContext, run: TaskRun): EventDraft[] {
  switch (run.phase) {
    case 'started':
      return runTask(ctx, run);
    case 'resumed':
      return resumeTask(ctx, run);
    case 'retrying':
      return retryTask(ctx, run);
    case 'completed':
      return finishTask(ctx, run);
    case 'failed':
      return propagateFailure(ctx, run);
    case 'requested':
    case 'waiting':
      return [];
  }
}

/** A timer scheduled with `OWN_EVENT_ID` gets the id of its own event. */
function withOwnTimerId(eventDraft: EventDraft, id: string): EventDraft {
  if (eventDraft.type !== 'io.wormhole.timer.scheduled' || eventDraft.data.timer_id !== OWN_EVENT_ID) {
    return eventDraft;
  }
  return { type: eventDraft.type, data: { ...eventDraft.data, timer_id: id } };
}

function sameProgress(next: ExecutionState, current: ExecutionState): boolean {
  return (
    next.status === current.status &&
    next.tasks === current.tasks &&
    next.context === current.context &&
    next.deadline === current.deadline &&
    next.resolving === current.resolving &&
    next.resources === current.resources
  );
}

function taskPathOf(eventDraft: EventDraft): string {
  const data: unknown = eventDraft.data;
  const path = data !== null && typeof data === 'object' ? (data as { task_path?: unknown }).task_path : undefined;
  return typeof path === 'string' ? path : '';
}
