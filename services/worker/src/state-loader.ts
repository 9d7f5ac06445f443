import type { Database, JsonObject, JsonValue, StoredEngineEvent } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import { applyEvents, fromSnapshot, initialState } from '@wormhole/dsl';
import type { OpenSteps } from './projection';
import { project } from './projection';
import type { StateCache } from './state-cache';

export interface LoadedExecution {
  /** undefined for an execution with no history yet. */
  readonly state: ExecutionState | undefined;
  readonly openSteps: OpenSteps;
  readonly snapshotEventCount: number;
  /** The full history, when it had to be read whole (no cache, no snapshot). */
  readonly history?: readonly StoredEngineEvent[];
}

/**
 * The execution's current state: from the cache when it has it, else from
 * the newest snapshot plus the events after it, else from the whole history.
 *
 * `starting`: the event is the run's start, so the run is presumed new, without a history, and
 * nothing is read: that takes two round trips (snapshot, history) off every run's dispatch. The
 * presumption is checked by the append, conditional on the sequence read (0): a redelivered start
 * of a run that has a history conflicts there, and the processor loads it for real.
 */
export async function loadState(
  db: Database,
  cache: StateCache,
  tenantId: string,
  executionId: string,
  starting = false,
): Promise<LoadedExecution> {
  const cached = cache.get(executionId);
  if (cached) {
    // Trusted without asking the database: if another worker moved the history on meanwhile, the
    // append's expected-sequence fence fails, the processor forgets this entry and reloads.
    return { state: cached.state, openSteps: cached.openSteps, snapshotEventCount: cached.snapshotEventCount ?? 0 };
  }
  if (starting) return { state: undefined, openSteps: {}, snapshotEventCount: 0 };
  const snapshot = await db.snapshots.load(tenantId, executionId);
  const runtime = snapshot?.state.runtime;
  const restored =
    snapshot && isObject(runtime) ? fromSnapshot({ sequence: snapshot.sequence, state: runtime }) : undefined;
  const restoredOpen =
    restored && isObject(snapshot?.state.open_steps) ? (snapshot.state.open_steps as unknown as OpenSteps) : {};
  const tail = await db.events.list(tenantId, executionId, restored ? restored.sequence : 0);
  if (!restored && tail.length === 0) return { state: undefined, openSteps: {}, snapshotEventCount: 0 };
  const state = applyEvents(restored ?? initialState(), tail);
  const startedAt = state.startedAt ?? new Date().toISOString();
  const open = project({ tenantId, executionId, startedAt }, tail, restoredOpen).open;
  return {
    state,
    openSteps: open,
    snapshotEventCount: restored ? restored.eventCount : 0,
    ...(restored ? {} : { history: tail }),
  };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
