import type {
  DslError,
  EngineEvent,
  EngineEventOf,
  EngineEventType,
  JsonObject,
  JsonValue,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import { cloudEventKey, dslError, isTerminalStatus } from '@wormhole/interfaces';
import type { ResolvedResource, ResourceKind } from './resources';
import { RESOURCES_PATH } from './resources';
import { listenMovedOn, listenSatisfied } from './listen';
import { isWithin, listPointerOf } from './document';
import type { TaskType } from './document';
import type { BodyProgress } from './events';
import { contextExtra, startedExtras, thenExtra } from './events';
import type { ExecutionState, ListenPosition, TaskPhase, TaskRun } from './state';
import { RECENT_EVENT_IDS, isFinished } from './state';

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
        ...(event.data.parent && { parent: event.data.parent }),
      },
      startedAt: event.time ?? '',
      input: event.data.input,
    };
  },
  'io.wormhole.execution.completed': (state, event) =>
    isTerminalStatus(state.status)
      ? state
      : { ...notResolving(state), status: 'completed', output: event.data.output, tasks: [], ...completedAt(event) },
  'io.wormhole.execution.faulted': (state, event) =>
    isTerminalStatus(state.status)
      ? state
      : { ...notResolving(state), status: 'faulted', error: event.data.error, tasks: [], ...completedAt(event) },
  'io.wormhole.execution.cancelled': (state, event) =>
    isTerminalStatus(state.status) ? state : { ...notResolving(state), status: 'cancelled', ...completedAt(event) },
  'io.wormhole.task.started': onTaskStarted,
  'io.wormhole.task.requested': (state, event) => {
    if (event.data.task_path === RESOURCES_PATH) return isActive(state) ? resourcesRequested(state, event) : state;
    return updateRun(state, event.data.task_path, ['started'], () => ({ phase: 'requested' }));
  },
  'io.wormhole.task.completed': (state, event) => {
    const data = event.data;
    if (data.task_path === RESOURCES_PATH) return resourcesAnswered(state, data.attempt, data.output);
    const next = updateRun(state, data.task_path, ['started', 'requested', 'resumed'], (run) =>
      data.attempt < run.attempt
        ? undefined
        : {
            phase: 'completed',
            output: data.output,
            ...thenExtra(data),
            // The last `after` list ended: the task's output is carried on, no extension runs again.
            ...(run.extension?.stage === 'after' && { extension: { ...run.extension, stage: 'done' as const } }),
          },
    );
    return next === state ? state : { ...next, status: 'running', ...contextExtra(data) };
  },
  'io.wormhole.task.failed': onTaskFailed,
  // A try's catch retrying its block; the executor's own retries of a task it holds (phase
  // `requested`) do not move the execution, the outcome that follows does.
  'io.wormhole.task.retrying': (state, event) => {
    const data = event.data;
    return updateRun(state, data.task_path, ['started'], (run) =>
      run.type === 'try' && run.attempt === data.attempt
        ? { phase: 'retrying', retryDelayMs: data.delay_ms }
        : undefined,
    );
  },
  'io.wormhole.timer.scheduled': (state, event) => {
    const data = event.data;
    if (data.kind === 'timeout') return onDeadlineScheduled(state, data.task_path, data.timer_id);
    const next = updateRun(state, data.task_path, ['started', 'retrying'], () => ({
      phase: 'waiting',
      timerId: data.timer_id,
    }));
    return next === state ? state : { ...next, status: onlyWaiting(next.tasks) ? 'waiting' : 'running' };
  },
  'io.wormhole.timer.fired': (state, event) => {
    const data = event.data;
    const deadline = onDeadlineFired(state, data.timer_id);
    if (deadline !== state) return deadline;
    const next = updateRun(state, data.task_path, ['waiting'], (run) =>
      run.timerId === data.timer_id ? { phase: 'resumed' } : undefined,
    );
    return next === state ? state : { ...next, status: 'running' };
  },
  // Recorded in the history; an emitted event reaches listens through the tenant's event stream.
  'io.wormhole.event.emitted': (state) => state,
  'io.wormhole.listen.started': (state, event) => {
    const data = event.data;
    const next = updateRun(state, data.task_path, ['started'], (run) =>
      run.attempt === data.attempt && run.type === 'listen'
        ? {
            phase: 'waiting',
            listen: {
              id: data.listen_id,
              mode: data.mode,
              read: data.read,
              filterCount: data.filters.length,
              received: [],
              ...(data.judged === true && {
                judged: true as const,
                filters: data.filters,
                ...(data.until !== undefined && { until: data.until }),
              }),
            },
          }
        : undefined,
    );
    return next === state ? state : { ...next, status: onlyWaiting(next.tasks) ? 'waiting' : 'running' };
  },
  'io.wormhole.event.received': onEventReceived,
  // Tenant-stream traffic for the router; never in an execution's history.
  'io.wormhole.event.published': (state) => state,
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
const UNFINISHED: readonly TaskPhase[] = ['started', 'requested', 'waiting', 'resumed', 'retrying'];

function isActive(state: ExecutionState): boolean {
  return state.status === 'running' || state.status === 'waiting';
}

/**
 * An event the router delivered to a listen. Dropped when that listen is not waiting any more (it
 * completed, timed out, or a later attempt runs), and when the same (source, id) was already consumed.
 */
function onEventReceived(state: ExecutionState, event: EngineEventOf<'io.wormhole.event.received'>): ExecutionState {
  const { listen_id: listenId, task_path: path, filters = [] } = event.data;
  if (listenId === undefined || path === undefined) return state;
  const received = { key: cloudEventKey(event.data.event), event: event.data.event, filters };
  // A judged listen also takes events while it judges one or runs `foreach` on one: they queue up.
  const next = updateRun(state, path, ['waiting', 'resumed', 'started'], (run) => {
    const listen = run.listen;
    if (listen === undefined || listen.id !== listenId || listen.ended) return undefined;
    if (alreadyHeld(listen, received.key)) return undefined;
    if (listen.judged) {
      const queued = { ...listen, queue: [...(listen.queue ?? []), received] };
      return { listen: queued, ...(run.phase === 'waiting' && { phase: 'resumed' as const }) };
    }
    if (run.phase !== 'waiting') return undefined;
    const updated = { ...listen, received: [...listen.received, received] };
    return listenSatisfied(updated) ? { listen: { ...updated, ended: true }, phase: 'resumed' } : { listen: updated };
  });
  return next === state ? state : withStatus(next);
}

function alreadyHeld(listen: ListenPosition, key: string): boolean {
  return [listen.received, listen.queue ?? [], listen.untilReceived ?? []].some((list) =>
    list.some((r) => r.key === key),
  );
}

/** `waiting` when every leaf run waits for the outside world, else `running`. */
function withStatus(state: ExecutionState): ExecutionState {
  return { ...state, status: onlyWaiting(state.tasks) ? 'waiting' : 'running' };
}

function onTaskStarted(state: ExecutionState, event: EngineEventOf<'io.wormhole.task.started'>): ExecutionState {
  const data = event.data;
  const extras = startedExtras(data);
  // A task.started without the runtime's extras is informational (e.g. written by the executor).
  if (!isActive(state) || extras === undefined) return state;
  const existing = state.tasks.find((run) => run.path === data.task_path);
  // A completed run whose `after` extensions now run moves on too (see `extensions.ts`).
  const reopened = existing?.phase === 'completed' && extras.body?.kind === 'extension';
  if (existing !== undefined && (!isFinished(existing) || reopened) && existing.attempt >= data.attempt) {
    if (existing.attempt !== data.attempt || extras.body === undefined) return state;
    return { ...moveOn(state, existing, extras.body, extras.variables), ...contextExtra(data) };
  }
  // Progress of a composite that is no longer running (finished, or an older attempt) is stale.
  if (extras.body !== undefined) return state;
  // A later attempt of a run still in place is a retry: its limits count from the first attempt.
  const retried = existing !== undefined && !isFinished(existing) ? existing : undefined;
  const run: TaskRun = {
    path: data.task_path,
    name: data.task_name,
    type: data.task_type as TaskType,
    attempt: data.attempt,
    phase: 'started',
    startedAt: event.time ?? '',
    input: extras.input,
    ...(extras.rawInput !== undefined && { rawInput: extras.rawInput }),
    ...(extras.variables !== undefined && { variables: extras.variables }),
    ...(data.iteration !== undefined && { iteration: data.iteration }),
    ...(retried !== undefined && { firstStartedAt: retried.firstStartedAt ?? retried.startedAt }),
  };
  return { ...state, tasks: [...withoutFinishedSiblings(state.tasks, run.path), run], ...contextExtra(data) };
}

/** A running composite task moves on inside itself: what it ran so far is dropped (see `BodyProgress`). */
function moveOn(
  state: ExecutionState,
  run: TaskRun,
  body: BodyProgress,
  variables: TaskRun['variables'],
): ExecutionState {
  const { variables: _previous, ...rest } = run;
  const scoped: TaskRun = { ...rest, ...(variables !== undefined && { variables }) };
  switch (body.kind) {
    case 'iteration': {
      const items = body.items ?? run.loop?.items ?? [];
      const updated: TaskRun = { ...scoped, phase: 'started', loop: { index: body.index, input: body.input, items } };
      return replaceRun(state, updated, run.path);
    }
    case 'catch':
      return replaceRun(state, { ...scoped, caught: body.error }, run.path);
    case 'branch':
      return replaceRun(state, { ...run, branches: { ...run.branches, [body.path]: body.output } }, body.path, true);
    case 'extension': {
      const applied = body.applied ?? run.extension?.applied ?? [];
      const updated: TaskRun = {
        ...scoped,
        phase: 'started',
        // The `before` lists' output is what the task itself runs with.
        ...(body.stage === 'body' && { input: body.input }),
        extension: { applied, stage: body.stage, at: body.at, input: body.input },
      };
      return replaceRun(state, updated, run.path);
    }
    case 'listen-event':
    case 'listen-item': {
      const updated = listenMovedOn(scoped, body);
      return updated === undefined ? state : withStatus(replaceRun(state, updated, run.path));
    }
  }
}

/** Puts `updated` in place of its run and drops the runs inside `dropped` (and `dropped` itself if asked). */
function replaceRun(state: ExecutionState, updated: TaskRun, dropped: string, inclusive = false): ExecutionState {
  const tasks = state.tasks
    .filter((run) => !(isWithin(run.path, dropped) || (inclusive && run.path === dropped)))
    .map((run) => (run.path === updated.path ? updated : run));
  return { ...state, tasks };
}

function onDeadlineScheduled(state: ExecutionState, path: string, timerId: string): ExecutionState {
  if (!isActive(state)) return state;
  if (path === '') return state.deadline === undefined ? { ...state, deadline: { timerId } } : state;
  return updateRun(state, path, UNFINISHED, (run) =>
    run.deadline?.timerId === timerId ? undefined : { deadline: { timerId } },
  );
}

/** A timeout timer went off: the workflow's, or that of a task still running; otherwise stale. */
function onDeadlineFired(state: ExecutionState, timerId: string): ExecutionState {
  if (!isActive(state)) return state;
  if (state.deadline?.timerId === timerId) {
    return state.deadline.fired ? state : { ...state, deadline: { timerId, fired: true }, status: 'running' };
  }
  const run = state.tasks.find((candidate) => candidate.deadline?.timerId === timerId);
  if (run === undefined) return state;
  const next = updateRun(state, run.path, UNFINISHED, (found) =>
    found.deadline?.fired ? undefined : { deadline: { timerId, fired: true } },
  );
  return next === state ? state : { ...next, status: 'running' };
}

/** True when every run that has no run inside it waits for a timer. */
function onlyWaiting(tasks: readonly TaskRun[]): boolean {
  return tasks.every((run) => run.phase === 'waiting' || tasks.some((inner) => isWithin(inner.path, run.path)));
}

function onTaskFailed(state: ExecutionState, event: EngineEventOf<'io.wormhole.task.failed'>): ExecutionState {
  const data = event.data;
  if (!isActive(state)) return state;
  if (data.task_path === RESOURCES_PATH) return resourcesAnswered(state, data.attempt, undefined, data.error);
  const failed = { phase: 'failed' as const, error: data.error };
  const existing = state.tasks.find((run) => run.path === data.task_path);
  if (existing !== undefined) {
    const next = updateRun(state, data.task_path, [...UNFINISHED, 'completed'], (run) =>
      // A failure of an earlier attempt (a try that retried since) is stale.
      data.attempt < run.attempt ? undefined : failed,
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
  // A finished run, or a try about to run its block again, no longer holds what ran inside it.
  const dropInside = FINISHED.includes(updated.phase) || updated.phase === 'retrying';
  const tasks = state.tasks
    .filter((candidate) => !(dropInside && isWithin(candidate.path, path)))
    .map((candidate) => (candidate.path === path ? updated : candidate));
  return { ...state, tasks };
}

/** The executor is asked for the run's external documents (`resources.ts`): the run waits for them. */
function resourcesRequested(state: ExecutionState, event: EngineEventOf<'io.wormhole.task.requested'>): ExecutionState {
  if (state.resolving !== undefined) return state;
  const asked = event.data.task.with;
  const list = asked !== null && typeof asked === 'object' && !Array.isArray(asked) ? asked.resources : undefined;
  const kinds: Record<string, ResourceKind> = {};
  for (const item of Array.isArray(list) ? list : []) {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || typeof item.uri !== 'string') continue;
    kinds[item.uri] = item.kind === 'function' ? 'function' : 'schema';
  }
  return { ...state, resolving: { attempt: event.data.attempt, kinds } };
}

/**
 * The executor's answer: each document asked for, or the error that kept it out (a failure of the
 * whole fetch is every document's error). A document the answer leaves out is a runtime error.
 */
function resourcesAnswered(
  state: ExecutionState,
  attempt: number,
  output: JsonValue | undefined,
  failure?: DslError,
): ExecutionState {
  const resolving = state.resolving;
  if (!isActive(state) || resolving === undefined || attempt < resolving.attempt) return state;
  const answers = output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {};
  const resources: Record<string, ResolvedResource> = { ...state.resources };
  for (const [uri, kind] of Object.entries(resolving.kinds)) {
    const answer = answers[uri];
    const document = answer !== null && typeof answer === 'object' && !Array.isArray(answer) ? answer : undefined;
    if (failure === undefined && document !== undefined && 'document' in document) {
      resources[uri] = { kind, document: document.document ?? null };
      continue;
    }
    const error = isDslError(document?.error)
      ? document.error
      : (failure ?? dslError('runtime', { detail: `the executor did not answer for ${uri}` }));
    resources[uri] = { kind, error };
  }
  const { resolving: _answered, ...rest } = state;
  return { ...rest, resources, resourceRounds: (state.resourceRounds ?? 0) + 1, status: 'running' };
}

function isDslError(value: JsonValue | undefined): value is DslError & JsonObject {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof value.type === 'string' &&
    typeof value.status === 'number'
  );
}

function notResolving(state: ExecutionState): ExecutionState {
  if (state.resolving === undefined) return state;
  const { resolving: _dropped, ...rest } = state;
  return rest;
}

function completedAt(event: EngineEvent): { completedAt?: string } {
  return event.time === undefined ? {} : { completedAt: event.time };
}
