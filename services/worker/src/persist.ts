import type { Database, ExecutionPatch, StoredEngineEvent } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import type { OpenSteps } from './projection';
import { project } from './projection';

/**
 * Writes what users read about the events just appended: the execution row, step runs and log
 * lines. The history is already durable; these are derived from it, so a crash between the two
 * is repaired when the redelivered event is projected again.
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
  const { tenantId, executionId } = identity;
  const projection = project(
    { tenantId, executionId, startedAt: state.startedAt ?? new Date().toISOString() },
    events,
    open,
  );
  const writes: Promise<unknown>[] = [];
  for (const step of projection.steps) writes.push(db.steps.upsert(tenantId, step));
  if (options.logs && projection.logs.length > 0) writes.push(db.logs.append(tenantId, projection.logs));
  await Promise.all(writes);
  // The execution row last: a client that sees it completed then finds every step run and log.
  const patch = withFoldedStatus(projection.patch, state);
  if (Object.keys(patch).length > 0) {
    await db.executions.update(tenantId, executionId, patch, { onlyIfNotTerminal: true });
  }
  return projection.open;
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
