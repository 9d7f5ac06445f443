import type { ExecutionSnapshot, JsonObject, SnapshotRepository } from '@wormhole/interfaces';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

/** One row per execution, replaced only by a snapshot at the same or a later sequence. */
export class PostgresSnapshotRepository implements SnapshotRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async save(tenantId: string, executionId: string, snapshot: ExecutionSnapshot): Promise<void> {
    // The WHERE on the conflict branch makes an older snapshot a no-op, also when two race.
    await queryRows(
      this.db,
      `INSERT INTO ${this.t.snapshots} AS s (tenant_id, execution_id, sequence, state)
       VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (tenant_id, execution_id) DO UPDATE
         SET sequence = EXCLUDED.sequence, state = EXCLUDED.state, saved_at = EXCLUDED.saved_at
         WHERE s.sequence <= EXCLUDED.sequence`,
      [tenantId, executionId, snapshot.sequence, JSON.stringify(snapshot.state)],
    );
  }

  async load(tenantId: string, executionId: string): Promise<ExecutionSnapshot | undefined> {
    const [row] = await queryRows<{ sequence: string; state: JsonObject }>(
      this.db,
      `SELECT sequence, state FROM ${this.t.snapshots} WHERE tenant_id = $1 AND execution_id = $2`,
      [tenantId, executionId],
    );
    return row && { sequence: Number(row.sequence), state: row.state };
  }
}
