import type {
  CloudEvent,
  DslError,
  ExecutionSnapshot,
  ExecutionStatus,
  JsonObject,
  JsonValue,
  ListenMode,
  ListenRead,
  ParentTaskRef,
} from '@wormhole/interfaces';
import type { TaskType } from './document';
import type { ResolvedResources, ResourceKind } from './resources';
import { RESOURCES_PATH } from './resources';

/**
 * Where one started task stands. `started`: running inline, or about to be handed over;
 * `requested`: with the executor; `waiting`: a timer is due; `resumed`: its timer fired;
 * `completed`/`failed`: finished, waiting for the decider to carry its result on (transforms and
 * flow directive for a completion, propagation for a failure); `retrying`: a `try` whose catch
 * decided to run it again, after `retryDelayMs`.
 */
export type TaskPhase = 'started' | 'requested' | 'waiting' | 'resumed' | 'retrying' | 'completed' | 'failed';

/** A durable timer that bounds a task or the workflow (`timeout.after`); `fired` once it went off. */
export interface Deadline {
  readonly timerId: string;
  readonly fired?: true;
}

/** An event delivered to a listen, with the identity key it is deduplicated by and the filters it matched. */
export interface ReceivedEvent {
  readonly key: string;
  readonly event: CloudEvent;
  readonly filters: readonly number[];
}

/** A `listen` waiting: what it waits for and the events it consumed so far. */
export interface ListenPosition {
  readonly id: string;
  readonly mode: ListenMode;
  readonly read: ListenRead;
  readonly filterCount: number;
  /** Consumed events in arrival order (those of an `until` strategy excepted). */
  readonly received: readonly ReceivedEvent[];
  /**
   * The decider judges each delivered event before it counts (`until`, `foreach`, `correlate`).
   * The fields below belong to a judged listen only.
   */
  readonly judged?: true;
  /** The evaluated filters of `listen.to` and of an `until` strategy, for the decider to match again. */
  readonly filters?: readonly JsonObject[];
  readonly until?: { readonly mode: ListenMode; readonly filters: readonly JsonObject[] };
  /** Delivered events the decider has not judged yet, first in first out. */
  readonly queue?: readonly ReceivedEvent[];
  /** Events consumed by the `until` strategy: they end the listen and are not part of its output. */
  readonly untilReceived?: readonly ReceivedEvent[];
  /** Correlation values fixed so far, by key (`correlate`: the first consumed event fixes them). */
  readonly correlation?: JsonObject;
  /** `foreach`: each consumed event's transformed output, in order. */
  readonly outputs?: readonly JsonValue[];
  /** It consumes no more events: the run completes. */
  readonly ended?: true;
}

/** Where a `for` run is: the current item's index, the input of that iteration, and the collection. */
export interface LoopPosition {
  readonly index: number;
  readonly input: JsonValue;
  readonly items: readonly JsonValue[];
}

/**
 * Where a run stands among the `use.extensions` that apply to it (`extensions.ts`): `applied` holds
 * their indexes in declaration order (`when` evaluated once, when the task started); `stage` says
 * which lists run (`before`, then the task itself in `body`, then `after`; `done` once the last
 * `after` list ended), `at` which applied extension's list runs, and `input` is that list's input.
 */
export interface ExtensionPosition {
  readonly applied: readonly number[];
  readonly stage: ExtensionStage;
  readonly at: number;
  readonly input: JsonValue;
}

export type ExtensionStage = 'before' | 'body' | 'after' | 'done';

/** A task that has started and whose result has not yet been carried on. */
export interface TaskRun {
  /** JSON pointer of the task in the document. */
  readonly path: string;
  readonly name: string;
  readonly type: TaskType;
  readonly attempt: number;
  readonly phase: TaskPhase;
  /** When `task.started` happened (its event time), for `$task.startedAt`. */
  readonly startedAt: string;
  /** The task's transformed input (after `input.from`): `$input` and `.` of its definition. */
  readonly input: JsonValue;
  /** The raw input, when `input.from` changed it (for `$task.input`). */
  readonly rawInput?: JsonValue;
  /** The raw output (before `output.as`), once completed. */
  readonly output?: JsonValue;
  /** The flow directive chosen by the task itself (a `switch` case), once completed. */
  readonly then?: string;
  readonly error?: DslError;
  readonly timerId?: string;
  /**
   * Variables bound for this run's expressions and inherited by its subtasks (`for.each`/`for.at`,
   * `catch.as`), as `$name`. Absent when there are none.
   */
  readonly variables?: JsonObject;
  /** Which loop iteration this run belongs to ("0", "2.1" for nested loops); absent outside loops. */
  readonly iteration?: string;
  /** `for`: the iteration in progress; a `listen`'s `foreach`: the consumed event being processed. */
  readonly loop?: LoopPosition;
  /** `try`: the error its catch is handling (its `catch.do` runs). */
  readonly caught?: DslError;
  /** `fork`: the transformed outputs of the branches that finished, by branch path. */
  readonly branches?: Readonly<Record<string, JsonValue>>;
  /** `try` in phase `retrying`: how long to wait before the next attempt. */
  readonly retryDelayMs?: number;
  /** `try`: when its first attempt started (limits on the retry duration count from there). */
  readonly firstStartedAt?: string;
  /** The timer of the task's `timeout`, when it has one. */
  readonly deadline?: Deadline;
  /** `listen`: what it waits for, once `listen.started`. */
  readonly listen?: ListenPosition;
  /** The extensions applied to this run, and which of their lists runs. */
  readonly extension?: ExtensionPosition;
}

/** Identity of the execution, taken from the envelope of `execution.started`. */
export interface ExecutionIdentity {
  readonly tenantId: string;
  readonly workflowId: string;
  readonly executionId: string;
  readonly workflowVersion: number;
  /** The task that started this execution (`run: workflow`), which hears of its outcome. */
  readonly parent?: ParentTaskRef;
}

/**
 * Everything the decider needs to know about one execution, as a plain JSON value so that it can
 * be stored as a snapshot. It changes only through `applyEvent`.
 */
export interface ExecutionState {
  /** Format of this object; bumped when a snapshot of an older format can no longer be read. */
  readonly format: 1;
  readonly status: ExecutionStatus;
  readonly identity?: ExecutionIdentity;
  readonly startedAt?: string;
  /** The workflow's raw input (`$workflow.input`). */
  readonly input: JsonValue;
  /** The workflow context (`$context`), replaced by each `export.as`. */
  readonly context: JsonObject;
  /**
   * The started tasks whose results have not been carried on, outermost first: the position in
   * the task tree. Sequential flow keeps this a chain (a stack of frames); `fork` will keep
   * several leaves under one parent.
   */
  readonly tasks: readonly TaskRun[];
  readonly output?: JsonValue;
  readonly error?: DslError;
  readonly completedAt?: string;
  /** The timer of the workflow's `timeout`, when it has one. */
  readonly deadline?: Deadline;
  /**
   * External documents the run uses (catalog functions, schema resources), by URI, as the
   * executor fetched them before the first task (`resources.ts`). Absent when there are none.
   */
  readonly resources?: ResolvedResources;
  /** The fetch of external documents asked of the executor and not answered yet: its attempt (round) and what it asked for. */
  readonly resolving?: { readonly attempt: number; readonly kinds: Readonly<Record<string, ResourceKind>> };
  /** Rounds of fetching done (a fetched function may need more documents). */
  readonly resourceRounds?: number;
  /** Distinct events applied so far (duplicates excluded). */
  readonly eventCount: number;
  /** Highest history sequence applied; stored events at or below it are already in the state. */
  readonly sequence: number;
  /** Ids of the most recent events, to ignore redeliveries of events that carry no sequence. */
  readonly recentEventIds: readonly string[];
}

/** How many event ids the state remembers; older redeliveries are caught by the state machine's own guards. */
export const RECENT_EVENT_IDS = 512;

export function initialState(): ExecutionState {
  return {
    format: 1,
    status: 'pending',
    input: null,
    context: {},
    tasks: [],
    eventCount: 0,
    sequence: 0,
    recentEventIds: [],
  };
}

/** True once the run has a result (or an error) to carry on. */
export function isFinished(run: TaskRun): boolean {
  return run.phase === 'completed' || run.phase === 'failed';
}

/** The innermost started task, whose progress decides what happens next. */
export function currentRun(state: ExecutionState): TaskRun | undefined {
  return state.tasks[state.tasks.length - 1];
}

/** JSON pointer of the task being run, for `Execution.current_task`. */
export function currentTaskPath(state: ExecutionState): string | undefined {
  return currentRun(state)?.path;
}

export interface PendingWork {
  /** Tasks handed to the executor, whose outcome is awaited. */
  readonly tasks: readonly { readonly path: string; readonly attempt: number }[];
  /** Timers whose `timer.fired` is awaited (timeouts included; the workflow's has the empty path). */
  readonly timers: readonly { readonly path: string; readonly timerId: string }[];
}

/** What the execution is waiting for (e.g. to cancel timers when it is cancelled). */
export function pendingWork(state: ExecutionState): PendingWork {
  return {
    tasks: [
      ...(state.resolving !== undefined ? [{ path: RESOURCES_PATH, attempt: state.resolving.attempt }] : []),
      ...state.tasks.filter((run) => run.phase === 'requested').map(({ path, attempt }) => ({ path, attempt })),
    ],
    timers: [
      ...(state.deadline !== undefined && state.deadline.fired === undefined
        ? [{ path: '', timerId: state.deadline.timerId }]
        : []),
      ...state.tasks.flatMap((run) => [
        ...(run.phase === 'waiting' && run.timerId !== undefined ? [{ path: run.path, timerId: run.timerId }] : []),
        ...(run.deadline !== undefined && run.deadline.fired === undefined && !isFinished(run)
          ? [{ path: run.path, timerId: run.deadline.timerId }]
          : []),
      ]),
    ],
  };
}

/** The state as a snapshot for `SnapshotRepository`: it covers the history up to `state.sequence`. */
export function toSnapshot(state: ExecutionState): ExecutionSnapshot {
  // Plain JSON by construction: every field is a JSON value and absent fields are omitted.
  return { sequence: state.sequence, state: state as unknown as JsonObject };
}

/**
 * The state of a stored snapshot, or undefined when it was written in another format: the caller
 * then folds the full history instead.
 */
export function fromSnapshot(snapshot: ExecutionSnapshot): ExecutionState | undefined {
  const state = snapshot.state as Partial<ExecutionState>;
  if (state.format !== 1 || typeof state.sequence !== 'number' || !Array.isArray(state.tasks)) return undefined;
  return { ...(state as ExecutionState), sequence: snapshot.sequence };
}

/** The state after its decided events were appended, the last one at `sequence`. */
export function markPersisted(state: ExecutionState, sequence: number): ExecutionState {
  return sequence > state.sequence ? { ...state, sequence } : state;
}
