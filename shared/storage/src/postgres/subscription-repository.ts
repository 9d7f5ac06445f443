import type { EventSubscription, EventSubscriptionRepository, JsonObject } from '@wormhole/interfaces';
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

/** One row per waiting listen, keyed by (tenant, execution, listen). */
export class PostgresSubscriptionRepository implements EventSubscriptionRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async put(s: EventSubscription): Promise<void> {
    await queryRows(
      this.db,
      `INSERT INTO ${this.t.subscriptions} (tenant_id, execution_id, listen_id, workflow_id, task_path, filters, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (tenant_id, execution_id, listen_id) DO UPDATE
         SET workflow_id = EXCLUDED.workflow_id, task_path = EXCLUDED.task_path, filters = EXCLUDED.filters`,
      [s.tenant_id, s.execution_id, s.listen_id, s.workflow_id, s.task_path, JSON.stringify(s.filters), s.created_at],
    );
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT * FROM ${this.t.subscriptions} WHERE tenant_id = $1 ORDER BY created_at, execution_id, listen_id`,
      [tenantId],
    );
    return rows.map((r) => ({
      tenant_id: r.tenant_id,
      workflow_id: r.workflow_id,
      execution_id: r.execution_id,
      listen_id: r.listen_id,
      task_path: r.task_path,
      filters: r.filters,
      created_at: new Date(r.created_at).toISOString(),
    }));
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    await queryRows(
      this.db,
      listenId === undefined
        ? `DELETE FROM ${this.t.subscriptions} WHERE tenant_id = $1 AND execution_id = $2`
        : `DELETE FROM ${this.t.subscriptions} WHERE tenant_id = $1 AND execution_id = $2 AND listen_id = $3`,
      listenId === undefined ? [tenantId, executionId] : [tenantId, executionId, listenId],
    );
  }
}
