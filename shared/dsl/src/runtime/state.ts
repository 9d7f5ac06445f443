import type { DslError, ExecutionSnapshot, ExecutionStatus, JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskType } from './document';

/**
 * Where one started task stands. `started`: running inline, or about to be handed over;
 * `requested`: with the executor; `waiting`: a timer is due; `resumed`: its timer fired;
 * `completed`/`failed`: finished, waiting for the decider to carry its result on (transforms and
 * flow directive for a completion, propagation for a failure).
 */
export type TaskPhase = 'started' | 'requested' | 'waiting' | 'resumed' | 'completed' | 'failed';

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
}

/** Identity of the execution, taken from the envelope of `execution.started`. */
export interface ExecutionIdentity {
  readonly tenantId: string;
  readonly workflowId: string;
  readonly executionId: string;
  readonly workflowVersion: number;
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
  /** Timers whose `timer.fired` is awaited. */
  readonly timers: readonly { readonly path: string; readonly timerId: string }[];
}

/** What the execution is waiting for (e.g. to cancel timers when it is cancelled). */
export function pendingWork(state: ExecutionState): PendingWork {
  return {
    tasks: state.tasks.filter((run) => run.phase === 'requested').map(({ path, attempt }) => ({ path, attempt })),
    timers: state.tasks.flatMap((run) =>
      run.phase === 'waiting' && run.timerId !== undefined ? [{ path: run.path, timerId: run.timerId }] : [],
    ),
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
