import type { Database, DerivedRows, ExecutionPatch, StoredEngineEvent } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import { writeDerivedRows } from '@wormhole/storage';
import type { OpenSteps } from './projection';
import { project } from './projection';

/** The rows the events just appended change, and the open steps after them. */
export interface DerivedProjection {
  readonly rows: DerivedRows;
  readonly open: OpenSteps;
}

/**
 * What users read about the events just appended: the execution row's patch, step runs and log
 * lines. Derived from the history, so a redelivered event can derive them again.
 */
export function deriveRows(
  state: ExecutionState,
  open: OpenSteps,
  events: readonly StoredEngineEvent[],
  options: { logs: boolean } = { logs: true },
): DerivedProjection {
  const identity = state.identity;
  if (!identity) return { rows: { steps: [], logs: [], patch: {} }, open };
  const { tenantId, executionId } = identity;
  const projection = project(
    { tenantId, executionId, startedAt: state.startedAt ?? new Date().toISOString() },
    events,
    open,
  );
  return {
    rows: {
      steps: projection.steps,
      logs: options.logs ? projection.logs : [],
      patch: withFoldedStatus(projection.patch, state),
    },
    open: projection.open,
  };
}

/**
 * Writes the derived rows of events already appended, in `advance`'s order (the execution row
 * last). The history is durable; these are derived from it, so a crash between the two is
 * repaired when the redelivered event is projected again.
 */
export async function persistProjection(
  db: Database,
  state: ExecutionState,
  open: OpenSteps,
  events: readonly StoredEngineEvent[],
  options: { logs: boolean } = { logs: true },
): Promise<OpenSteps> {
  const identity = state.identity;
  if (!identity) return open;
  const derived = deriveRows(state, open, events, options);
  await writeDerivedRows(db, identity.tenantId, identity.executionId, derived.rows);
  return derived.open;
}

/**
 * Running or waiting is the fold's to say: the events alone cannot tell a timeout's timer that
 * fired too late (nothing changes) from a wait's (the execution runs again).
 */
export function withFoldedStatus(patch: ExecutionPatch, state: ExecutionState): ExecutionPatch {
  const active = (status: ExecutionPatch['status']): boolean => status === 'running' || status === 'waiting';
  return active(patch.status) && active(state.status) && patch.status !== state.status
    ? { ...patch, status: state.status }
    : patch;
}
