import type { EventSubscription, EventSubscriptionRepository, JsonObject } from '@wormhole/interfaces';
import { subscriptionEventTypes } from '@wormhole/interfaces';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

interface SubscriptionRow {
  tenant_id: string;
  execution_id: string;
  listen_id: string;
  workflow_id: string;
  task_path: string;
  filters: JsonObject[];
  created_at: Date;
}

const COLUMNS = 'tenant_id, execution_id, listen_id, workflow_id, task_path, filters, created_at';
const ORDER = 'ORDER BY created_at, execution_id, listen_id';

/**
 * One row per waiting listen, keyed by (tenant, execution, listen), and its literal event types in
 * event_subscription_types (or `any_type`), so the router reads only the rows an event may match.
 */
export class PostgresSubscriptionRepository implements EventSubscriptionRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  /**
   * One statement: the row, its type rows added, the types it no longer has removed (the two touch
   * different rows; the foreign key is checked at the statement's end, after the row exists).
   */
  async put(s: EventSubscription): Promise<void> {
    const types = subscriptionEventTypes(s.filters);
    await queryRows(
      this.db,
      `WITH row AS (
         INSERT INTO ${this.t.subscriptions} (${COLUMNS}, any_type)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
         ON CONFLICT (tenant_id, execution_id, listen_id) DO UPDATE
           SET workflow_id = EXCLUDED.workflow_id, task_path = EXCLUDED.task_path, filters = EXCLUDED.filters,
               any_type = EXCLUDED.any_type
       ), stale AS (
         DELETE FROM ${this.t.subscriptionTypes}
         WHERE tenant_id = $1 AND execution_id = $2 AND listen_id = $3 AND event_type <> ALL($9::text[])
       )
       INSERT INTO ${this.t.subscriptionTypes} (tenant_id, event_type, execution_id, listen_id)
       SELECT $1, type, $2, $3 FROM unnest($9::text[]) AS type
       ON CONFLICT DO NOTHING`,
      [
        s.tenant_id,
        s.execution_id,
        s.listen_id,
        s.workflow_id,
        s.task_path,
        JSON.stringify(s.filters),
        s.created_at,
        types === undefined,
        types ?? [],
      ],
    );
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t.subscriptions} WHERE tenant_id = $1 ${ORDER}`,
      [tenantId],
    );
    return rows.map(fromRow);
  }

  /** The type's rows through the types' primary key, and the any-type rows through their partial index. */
  async listForEventType(tenantId: string, type: string): Promise<EventSubscription[]> {
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t.subscriptions} WHERE tenant_id = $1 AND any_type
       UNION ALL
       SELECT ${COLUMNS.split(', ')
         .map((c) => `s.${c}`)
         .join(', ')}
       FROM ${this.t.subscriptionTypes} ty
       JOIN ${this.t.subscriptions} s USING (tenant_id, execution_id, listen_id)
       WHERE ty.tenant_id = $1 AND ty.event_type = $2 AND NOT s.any_type
       ${ORDER}`,
      [tenantId, type],
    );
    return rows.map(fromRow);
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    // The type rows go by the foreign key's cascade.
    await queryRows(
      this.db,
      listenId === undefined
        ? `DELETE FROM ${this.t.subscriptions} WHERE tenant_id = $1 AND execution_id = $2`
        : `DELETE FROM ${this.t.subscriptions} WHERE tenant_id = $1 AND execution_id = $2 AND listen_id = $3`,
      listenId === undefined ? [tenantId, executionId] : [tenantId, executionId, listenId],
    );
  }
}

function fromRow(r: SubscriptionRow): EventSubscription {
  return {
    tenant_id: r.tenant_id,
    workflow_id: r.workflow_id,
    execution_id: r.execution_id,
    listen_id: r.listen_id,
    task_path: r.task_path,
    filters: r.filters,
    created_at: new Date(r.created_at).toISOString(),
  };
}
