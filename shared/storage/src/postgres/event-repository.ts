import type { AppendOptions, EngineEvent, EventRepository, StoredEngineEvent } from '@wormhole/interfaces';
import { ConflictError, ValidationError } from '@wormhole/interfaces';
import type { EventRow } from './mappers';
import { eventFromRow } from './mappers';
import type { ConnectionPool } from './pool';
import { queryRows, withTransaction } from './pool';
import type { Tables } from './sql-names';
import { advisoryKey } from './sql-names';

/**
 * Execution histories. Appends to one execution are serialised by a transaction-scoped advisory
 * lock keyed by (schema, tenant, execution): the execution row may not exist (events can arrive
 * first), so there is no row to lock. Under the lock the last sequence is read (and compared with
 * `expectedSequence`), then one statement drops ids already stored (and repeats within the batch)
 * and numbers the rest after it.
 */
export class PostgresEventRepository implements EventRepository {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly t: Tables,
  ) {}

  async append(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    options: AppendOptions = {},
  ): Promise<StoredEngineEvent[]> {
    for (const event of events) {
      if (event.tenantid !== tenantId || event.executionid !== executionId) {
        throw new ValidationError(`event ${event.id} belongs to another tenant or execution`, [
          { path: 'tenantid', message: `expected tenant '${tenantId}' and execution '${executionId}'` },
        ]);
      }
    }
    if (events.length === 0 && options.expectedSequence === undefined) return [];
    const lockKey = advisoryKey(`wormhole:events:${this.t.schema}:${tenantId}:${executionId}`);
    const rows = await withTransaction(this.pool, async (tx) => {
      await queryRows(tx, 'SELECT pg_advisory_xact_lock($1::bigint)', [lockKey]);
      const [last] = await queryRows<{ last: string }>(
        tx,
        `SELECT COALESCE(MAX(sequence), 0) AS last FROM ${this.t.events} WHERE tenant_id = $1 AND execution_id = $2`,
        [tenantId, executionId],
      );
      const lastSequence = Number(last?.last ?? 0);
      const expected = options.expectedSequence;
      if (expected !== undefined && expected !== lastSequence) {
        throw new ConflictError(
          `execution ${executionId} history is at sequence ${lastSequence}, expected ${expected}`,
        );
      }
      if (events.length === 0) return [];
      return queryRows<EventRow>(
        tx,
        `WITH input AS (
           SELECT e.doc, e.ord FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e (doc, ord)
         ), fresh AS (
           SELECT DISTINCT ON (doc ->> 'id') doc, ord FROM input
           WHERE NOT EXISTS (
             SELECT 1 FROM ${this.t.events} x
             WHERE x.tenant_id = $1::text AND x.execution_id = $2::text AND x.id = input.doc ->> 'id'
           )
           ORDER BY doc ->> 'id', ord
         )
         INSERT INTO ${this.t.events} (tenant_id, execution_id, sequence, id, type, attributes, payload, time)
         SELECT $1::text, $2::text, $4::bigint + ROW_NUMBER() OVER (ORDER BY fresh.ord), doc ->> 'id',
           doc ->> 'type', doc - 'data', doc -> 'data', (doc ->> 'time')::timestamptz
         FROM fresh
         RETURNING sequence, attributes, payload::text AS payload_json`,
        [tenantId, executionId, JSON.stringify(events), lastSequence],
      );
    });
    // RETURNING does not promise an order.
    return rows.map(eventFromRow).sort((a, b) => a.sequence - b.sequence);
  }

  async list(tenantId: string, executionId: string, afterSequence = 0): Promise<StoredEngineEvent[]> {
    const rows = await queryRows<EventRow>(
      this.pool,
      `SELECT sequence, attributes, payload::text AS payload_json FROM ${this.t.events}
       WHERE tenant_id = $1 AND execution_id = $2 AND sequence > $3
       ORDER BY sequence`,
      [tenantId, executionId, afterSequence],
    );
    return rows.map(eventFromRow);
  }
}
