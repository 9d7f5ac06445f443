import type { EngineEvent, EngineEventOf, EngineEventType, StoredEngineEvent } from '@wormhole/interfaces';
import { isTerminalStatus } from '@wormhole/interfaces';
import { isWithin, listPointerOf } from './document';
import type { TaskType } from './document';
import { contextExtra, startedExtras, thenExtra } from './events';
import type { ExecutionState, TaskPhase, TaskRun } from './state';
import { RECENT_EVENT_IDS } from './state';

type Handler<K extends EngineEventType> = (state: ExecutionState, event: EngineEventOf<K>) => ExecutionState;

/*
 * One handler per event type: adding a type to the catalogue without handling it here is a
 * compile error. Every handler is guarded by the state machine, so an event that does not fit
 * (stale, duplicated beyond the id window, informational) leaves the state as it is.
 */
const handlers: { readonly [K in EngineEventType]: Handler<K> } = {
  'io.wormhole.execution.started': (state, event) => {
    if (state.status !== 'pending') return state;
    return {
      ...state,
      status: 'running',
      identity: {
        tenantId: event.tenantid,
        workflowId: event.workflowid,
        executionId: event.executionid,
        workflowVersion: event.data.workflow_version,
      },
      startedAt: event.time ?? '',
      input: event.data.input,
    };
  },
  'io.wormhole.execution.completed': (state, event) =>
    isTerminalStatus(state.status)
      ? state
      : { ...state, status: 'completed', output: event.data.output, tasks: [], ...completedAt(event) },
  'io.wormhole.execution.faulted': (state, event) =>
    isTerminalStatus(state.status)
      ? state
      : { ...state, status: 'faulted', error: event.data.error, tasks: [], ...completedAt(event) },
  'io.wormhole.execution.cancelled': (state, event) =>
    isTerminalStatus(state.status) ? state : { ...state, status: 'cancelled', ...completedAt(event) },
  'io.wormhole.task.started': onTaskStarted,
  'io.wormhole.task.requested': (state, event) =>
    updateRun(state, event.data.task_path, ['started'], () => ({ phase: 'requested' })),
  'io.wormhole.task.completed': (state, event) => {
    const data = event.data;
    const next = updateRun(state, data.task_path, ['started', 'requested', 'resumed'], (run) =>
      data.attempt < run.attempt ? undefined : { phase: 'completed', output: data.output, ...thenExtra(data) },
    );
    return next === state ? state : { ...next, status: 'running', ...contextExtra(data) };
  },
  'io.wormhole.task.failed': onTaskFailed,
  // The executor's own retries do not move the execution; the outcome that follows does.
  'io.wormhole.task.retrying': (state) => state,
  'io.wormhole.timer.scheduled': (state, event) => {
    const data = event.data;
    const next = updateRun(state, data.task_path, ['started'], () => ({ phase: 'waiting', timerId: data.timer_id }));
    return next === state ? state : { ...next, status: 'waiting' };
  },
  'io.wormhole.timer.fired': (state, event) => {
    const data = event.data;
    const next = updateRun(state, data.task_path, ['waiting'], (run) =>
      run.timerId === data.timer_id ? { phase: 'resumed' } : undefined,
    );
    return next === state ? state : { ...next, status: 'running' };
  },
  // Recorded in the history; `emit` and `listen` will give them a meaning for the state.
  'io.wormhole.event.emitted': (state) => state,
  'io.wormhole.event.received': (state) => state,
};

/**
 * Folds one event into the state. Pure; returns the same object when the event changes nothing.
 * An event already applied (its sequence is covered, or its id is among the recent ones) is ignored.
 */
export function applyEvent(state: ExecutionState, event: EngineEvent | StoredEngineEvent): ExecutionState {
  const sequence = 'sequence' in event && typeof event.sequence === 'number' ? event.sequence : undefined;
  if (sequence !== undefined && sequence <= state.sequence) return state;
  if (state.recentEventIds.includes(event.id)) {
    // The stored copy of an event this state already holds (e.g. one it decided): note its sequence.
    return sequence === undefined ? state : { ...state, sequence };
  }
  const handler = handlers[event.type] as Handler<EngineEventType>;
  const next = handler(state, event);
  return {
    ...next,
    eventCount: state.eventCount + 1,
    sequence: sequence ?? state.sequence,
    recentEventIds: [...state.recentEventIds.slice(1 - RECENT_EVENT_IDS), event.id],
  };
}

export function applyEvents(state: ExecutionState, events: Iterable<EngineEvent | StoredEngineEvent>): ExecutionState {
  let current = state;
  for (const event of events) current = applyEvent(current, event);
  return current;
}

const FINISHED: readonly TaskPhase[] = ['completed', 'failed'];

function isActive(state: ExecutionState): boolean {
  return state.status === 'running' || state.status === 'waiting';
}

function onTaskStarted(state: ExecutionState, event: EngineEventOf<'io.wormhole.task.started'>): ExecutionState {
  const data = event.data;
  const extras = startedExtras(data);
  // A task.started without the runtime's extras is informational (e.g. written by the executor).
  if (!isActive(state) || extras === undefined) return state;
  const existing = state.tasks.find((run) => run.path === data.task_path);
  if (existing !== undefined && !FINISHED.includes(existing.phase) && existing.attempt >= data.attempt) return state;
  const run: TaskRun = {
    path: data.task_path,
    name: data.task_name,
    type: data.task_type as TaskType,
    attempt: data.attempt,
    phase: 'started',
    startedAt: event.time ?? '',
    input: extras.input,
    ...(extras.rawInput !== undefined && { rawInput: extras.rawInput }),
  };
  return { ...state, tasks: [...withoutFinishedSiblings(state.tasks, run.path), run], ...contextExtra(data) };
}

function onTaskFailed(state: ExecutionState, event: EngineEventOf<'io.wormhole.task.failed'>): ExecutionState {
  const data = event.data;
  if (!isActive(state)) return state;
  const failed = { phase: 'failed' as const, error: data.error };
  const existing = state.tasks.find((run) => run.path === data.task_path);
  if (existing !== undefined) {
    const next = updateRun(
      state,
      data.task_path,
      ['started', 'requested', 'waiting', 'resumed', 'completed'],
      () => failed,
    );
    return next === state ? state : { ...next, status: 'running', ...contextExtra(data) };
  }
  // A task can fail before it starts: its `if` or `input.from` did not evaluate.
  const run: TaskRun = {
    path: data.task_path,
    name: data.task_name,
    type: data.task_type as TaskType,
    attempt: data.attempt,
    startedAt: event.time ?? '',
    input: null,
    ...failed,
  };
  return { ...state, tasks: [...withoutFinishedSiblings(state.tasks, run.path), run], ...contextExtra(data) };
}

/** Drops the finished tasks of `path`'s list (and what they contain): `path` carries on from them. */
function withoutFinishedSiblings(tasks: readonly TaskRun[], path: string): TaskRun[] {
  const list = listPointerOf(path);
  const stale = tasks.filter((run) => isWithin(run.path, list) && (FINISHED.includes(run.phase) || run.path === path));
  return tasks.filter((run) => !stale.some((gone) => run.path === gone.path || isWithin(run.path, gone.path)));
}

/**
 * Applies `change` to the run at `path` if it is in one of `phases`; a finished run also drops the
 * runs inside it. `change` may refuse by returning undefined. Returns `state` itself when nothing changed.
 */
function updateRun(
  state: ExecutionState,
  path: string,
  phases: readonly TaskPhase[],
  change: (run: TaskRun) => Partial<TaskRun> | undefined,
): ExecutionState {
  if (!isActive(state)) return state;
  const run = state.tasks.find((candidate) => candidate.path === path);
  if (run === undefined || !phases.includes(run.phase)) return state;
  const patch = change(run);
  if (patch === undefined) return state;
  const updated: TaskRun = { ...run, ...patch };
  const finished = FINISHED.includes(updated.phase);
  const tasks = state.tasks
    .filter((candidate) => !(finished && isWithin(candidate.path, path)))
    .map((candidate) => (candidate.path === path ? updated : candidate));
  return { ...state, tasks };
}

function completedAt(event: EngineEvent): { completedAt?: string } {
  return event.time === undefined ? {} : { completedAt: event.time };
}
