import type { Database, DeriveRows, DerivedRows, EngineEvent, StoredEngineEvent } from '@wormhole/interfaces';

/**
 * `Database.advance` as separate writes, for backends (and wrappers) that cannot make it one: the
 * append first (the history is the truth), then the step runs and log lines, the execution row
 * last, so a client that reads the row completed also finds every step run and log line.
 */
export async function advanceInOrder(
  db: Database,
  tenantId: string,
  executionId: string,
  events: readonly EngineEvent[],
  expectedSequence: number,
  derive: DeriveRows,
): Promise<StoredEngineEvent[]> {
  const stored = await db.events.append(tenantId, executionId, events, { expectedSequence });
  await writeDerivedRows(db, tenantId, executionId, await derive(stored));
  return stored;
}

/** The derived rows in the order advanceInOrder describes. */
export async function writeDerivedRows(
  db: Database,
  tenantId: string,
  executionId: string,
  rows: DerivedRows,
): Promise<void> {
  const writes: Promise<unknown>[] = rows.steps.map((step) => db.steps.upsert(tenantId, step));
  if (rows.logs.length > 0) writes.push(db.logs.append(tenantId, rows.logs));
  await Promise.all(writes);
  if (Object.keys(rows.patch).length > 0) {
    await db.executions.update(tenantId, executionId, rows.patch, { onlyIfNotTerminal: true });
  }
}
