import type { Specification } from '@serverlessworkflow/sdk';
import type {
  CloudEvent,
  EngineEventPayloads,
  JsonObject,
  JsonValue,
  ListenMode,
  ListenRead,
  ListenUntilStrategy,
} from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { configurationFault } from './errors';
import { draft } from './events';
import type { BodyProgress, EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { checkVariableName, evaluateValue, isRuntimeExpression } from './expressions';
import type { StepContext } from './scope';
import type { ExecutionState, ListenPosition, ReceivedEvent, TaskPhase, TaskRun } from './state';
import { isFinished } from './state';
import { taskRef } from './task-events';

const READS: readonly ListenRead[] = ['data', 'envelope', 'raw'];

/** An event filter as the document writes it. */
export interface FilterDefinition {
  readonly with?: unknown;
  readonly correlate?: Readonly<Record<string, { readonly from: string; readonly expect?: string }>>;
}

/** `foreach` of a listen (the schema's subscription iterator). */
export interface ListenIterator {
  readonly item?: string;
  readonly at?: string;
  readonly do?: unknown[];
  readonly output?: Specification.Output;
  readonly export?: Specification.Export;
}

/** A listen task as the runtime reads it: `foreach` sits on the task (schema), or beside `listen.to` (reference table). */
type ListenDefinition = Omit<Specification.ListenTask, 'listen'> & {
  listen?: { to: Record<string, unknown>; read?: ListenRead; foreach?: ListenIterator };
  foreach?: ListenIterator;
};

/**
 * `listen`, started: evaluates the filters' `with` (runtime expressions see the task's input now,
 * not the event) and records `listen.started`; the worker stores the subscription and the run
 * waits, holding no worker, until the router delivers matching events as `event.received`.
 * A listen with `until`, `foreach` or `correlate` is judged: the decider looks at each event first.
 * @throws DslFault for a missing `listen.to`, a bad `read`, a `with` that is not an object, or a bad variable name
 */
export function startListen(ctx: StepContext, entry: TaskEntry, run: TaskRun, args: ExpressionArguments): EventDraft[] {
  const { listen } = listenDefinition(entry);
  const to = listen.to;
  const [mode, rawFilters] = strategyOf(to);
  const filters = evaluateFilters(ctx, rawFilters, run, args);
  const untilStrategy = untilStrategyOf(to, mode);
  const until: ListenUntilStrategy | undefined = untilStrategy && {
    mode: untilStrategy[0],
    filters: evaluateFilters(ctx, untilStrategy[1], run, args),
  };
  const iterator = foreachOf(entry);
  if (iterator !== undefined) {
    checkVariableName(iterator.definition.item ?? 'item', 'foreach.item');
    checkVariableName(iterator.definition.at ?? 'index', 'foreach.at');
  }
  const correlated = [...rawFilters, ...(untilStrategy?.[1] ?? [])].some((f) => f.correlate !== undefined);
  const judged = (mode === 'any' && to.until !== undefined) || iterator !== undefined || correlated;
  const read = listen.read ?? 'data';
  if (!READS.includes(read)) throw configurationFault(`listen.read must be one of ${READS.join(', ')}`);
  return [
    draft('io.wormhole.listen.started', {
      ...taskRef(run),
      attempt: run.attempt,
      listen_id: ctx.nextEventId,
      mode,
      filters,
      read,
      ...(until !== undefined && { until }),
      ...(judged && { judged: true }),
    }),
  ];
}

export function listenDefinition(
  entry: TaskEntry,
): ListenDefinition & { listen: NonNullable<ListenDefinition['listen']> } {
  const definition = entry.definition as ListenDefinition;
  if (definition.listen?.to === undefined) throw configurationFault("a listen task needs 'listen.to'");
  return definition as ListenDefinition & { listen: NonNullable<ListenDefinition['listen']> };
}

/** The listen's `foreach` and the pointer of its task list, if it has one. */
export function foreachOf(entry: TaskEntry): { definition: ListenIterator; list: string } | undefined {
  const definition = entry.definition as ListenDefinition;
  if (definition.foreach !== undefined) return { definition: definition.foreach, list: `${entry.path}/foreach/do` };
  const beside = definition.listen?.foreach;
  return beside === undefined ? undefined : { definition: beside, list: `${entry.path}/listen/foreach/do` };
}

/** The mode and filters of an event consumption strategy. */
export function strategyOf(to: Record<string, unknown>): [ListenMode, FilterDefinition[]] {
  if (to.one !== undefined) return ['one', [to.one as FilterDefinition]];
  if (Array.isArray(to.any)) return ['any', to.any as FilterDefinition[]];
  if (Array.isArray(to.all)) return ['all', to.all as FilterDefinition[]];
  throw configurationFault("listen.to needs one of 'one', 'any' or 'all'");
}

/** `until` given as a strategy (the spec: it only applies to `any`; a string is a condition). */
export function untilStrategyOf(
  to: Record<string, unknown>,
  mode: ListenMode,
): [ListenMode, FilterDefinition[]] | undefined {
  const until = to.until;
  if (mode !== 'any' || until === null || typeof until !== 'object') return undefined;
  return strategyOf(until as Record<string, unknown>);
}

function evaluateFilters(
  ctx: StepContext,
  raw: readonly FilterDefinition[],
  run: TaskRun,
  args: ExpressionArguments,
): JsonObject[] {
  return raw.map((f) => {
    const properties = f.with ?? {};
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      throw configurationFault("an event filter's 'with' must be an object");
    }
    // A property that is a whole runtime expression stays one: a predicate on each event's
    // property (see matchesFilter). Expressions inside a value see the task's input now.
    const evaluated: JsonObject = {};
    for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
      evaluated[name] = isRuntimeExpression(value) ? value : evaluateValue(ctx.evaluator, value, run.input, args);
    }
    return evaluated;
  });
}

/**
 * The filters a listen's subscription holds: those of `listen.to`, then those of its `until`
 * strategy (the router delivers an event matching any of them; the decider tells them apart).
 * An empty list (`any: []`) matches every event, so either side being empty leaves it empty.
 */
export function subscriptionFilters(started: EngineEventPayloads['io.wormhole.listen.started']): JsonObject[] {
  const until = started.until;
  if (until === undefined) return started.filters;
  if (started.filters.length === 0 || until.filters.length === 0) return [];
  return [...started.filters, ...until.filters];
}

/** Whether received events satisfy a strategy: `one`/`any` an event, `all` every filter. */
export function strategySatisfied(mode: ListenMode, filterCount: number, received: readonly ReceivedEvent[]): boolean {
  if (mode !== 'all') return received.length > 0;
  const covered = new Set(received.flatMap((r) => r.filters));
  return Array.from({ length: filterCount }, (_, i) => i).every((i) => covered.has(i));
}

/** Whether a listen that is not judged has consumed what it waits for. */
export function listenSatisfied(listen: ListenPosition): boolean {
  return strategySatisfied(listen.mode, listen.filterCount, listen.received);
}

/**
 * The task's output: the consumed events in the order they arrived, read as `listen.read` says,
 * or with `foreach` each one's output (`foreach.output.as`). Events of an `until` strategy are not in it.
 */
export function listenOutput(listen: ListenPosition): JsonValue {
  if (listen.outputs !== undefined) return [...listen.outputs];
  return listen.received.map((r) => readEvent(r.event, listen.read));
}

export function readEvent(event: CloudEvent, read: ListenRead): JsonValue {
  // Structured JSON carries no raw bytes: `raw` is the data as it came.
  if (read === 'envelope') return event as unknown as JsonObject;
  return event.data ?? null;
}

/**
 * The fold's half of a judged listen moving on: the verdict on its oldest queued event, or the
 * end of `foreach` on one. Undefined when the progress is stale (another event, no item running).
 */
export function listenMovedOn(
  run: TaskRun,
  body: Extract<BodyProgress, { kind: 'listen-event' | 'listen-item' }>,
): TaskRun | undefined {
  const listen = run.listen;
  if (listen === undefined || listen.ended) return undefined;
  if (body.kind === 'listen-item') {
    if (run.loop === undefined) return undefined;
    const { loop: _done, ...rest } = run;
    const updated: ListenPosition = {
      ...listen,
      outputs: [...(listen.outputs ?? []), body.output],
      ...(body.ended === true && { ended: true }),
    };
    return { ...rest, listen: updated, phase: phaseOf(updated) };
  }
  const head = listen.queue?.[0];
  if (head?.key !== body.key || run.loop !== undefined) return undefined;
  const consumed: ReceivedEvent = { ...head, filters: body.filters };
  const updated: ListenPosition = {
    ...listen,
    queue: listen.queue?.slice(1) ?? [],
    ...(body.consumed === 'event' && { received: [...listen.received, consumed] }),
    ...(body.consumed === 'until' && { untilReceived: [...(listen.untilReceived ?? []), consumed] }),
    ...(body.correlation !== undefined && { correlation: body.correlation }),
    ...(body.ended === true && { ended: true }),
  };
  if (body.item === undefined) return { ...run, listen: updated, phase: phaseOf(updated) };
  return {
    ...run,
    listen: updated,
    phase: 'started',
    loop: { index: body.item.index, input: body.item.input, items: [] },
  };
}

/** A judged listen with something to do (end, or judge the next event) is `resumed`; else it waits. */
function phaseOf(listen: ListenPosition): TaskPhase {
  return listen.ended === true || (listen.queue?.length ?? 0) > 0 ? 'resumed' : 'waiting';
}

/** The listens the execution waits in (their subscriptions must exist while they do). */
export function waitingListens(state: ExecutionState): { readonly id: string; readonly path: string }[] {
  if (state.status !== 'running' && state.status !== 'waiting') return [];
  // A judged listen keeps listening while it judges an event or runs `foreach` on one.
  return state.tasks.flatMap((run) =>
    run.listen !== undefined && run.listen.ended !== true && !isFinished(run)
      ? [{ id: run.listen.id, path: run.path }]
      : [],
  );
}
