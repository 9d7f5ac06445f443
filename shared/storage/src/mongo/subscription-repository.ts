import type { Collection } from 'mongodb';
import type { EventSubscription, EventSubscriptionRepository, JsonObject } from '@wormhole/interfaces';

/** A waiting listen; the filters as JSON text (MongoDB restricts field names such as `$x`, `a.b`). */
export interface SubscriptionDoc {
  _id: string;
  tenant_id: string;
  execution_id: string;
  listen_id: string;
  workflow_id: string;
  task_path: string;
  filters_json: string;
  created_at: string;
}

export class MongoSubscriptionRepository implements EventSubscriptionRepository {
  constructor(private readonly subscriptions: Collection<SubscriptionDoc>) {}

  async put(s: EventSubscription): Promise<void> {
    const doc: SubscriptionDoc = {
      _id: `${s.tenant_id}:${s.execution_id}:${s.listen_id}`,
      tenant_id: s.tenant_id,
      execution_id: s.execution_id,
      listen_id: s.listen_id,
      workflow_id: s.workflow_id,
      task_path: s.task_path,
      filters_json: JSON.stringify(s.filters),
      created_at: s.created_at,
    };
    await this.subscriptions.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    const docs = await this.subscriptions
      .find({ tenant_id: tenantId })
      .sort({ created_at: 1, execution_id: 1, listen_id: 1 })
      .toArray();
    return docs.map((d) => ({
      tenant_id: d.tenant_id,
      workflow_id: d.workflow_id,
      execution_id: d.execution_id,
      listen_id: d.listen_id,
      task_path: d.task_path,
      filters: JSON.parse(d.filters_json) as JsonObject[],
      created_at: d.created_at,
    }));
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    await this.subscriptions.deleteMany({
      tenant_id: tenantId,
      execution_id: executionId,
      ...(listenId !== undefined ? { listen_id: listenId } : {}),
    });
  }
}
