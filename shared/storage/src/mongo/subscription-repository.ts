import type { Collection } from 'mongodb';
import type { EventSubscription, EventSubscriptionRepository, JsonObject } from '@wormhole/interfaces';
import { subscriptionEventTypes } from '@wormhole/interfaces';

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
  /**
   * The router's lookup by event type (`subscriptionEventTypes`): the filters' literal types, or
   * none and `any_type` for filters of any type. Absent on documents stored before the index,
   * which the lookup treats as of any type.
   */
  event_types?: string[];
  any_type?: boolean;
}

/** Indexed by (tenant, event type) and (tenant, any type): see migrateMongo. */
export class MongoSubscriptionRepository implements EventSubscriptionRepository {
  constructor(private readonly subscriptions: Collection<SubscriptionDoc>) {}

  async put(s: EventSubscription): Promise<void> {
    const types = subscriptionEventTypes(s.filters);
    const doc: SubscriptionDoc = {
      _id: `${s.tenant_id}:${s.execution_id}:${s.listen_id}`,
      tenant_id: s.tenant_id,
      execution_id: s.execution_id,
      listen_id: s.listen_id,
      workflow_id: s.workflow_id,
      task_path: s.task_path,
      filters_json: JSON.stringify(s.filters),
      created_at: s.created_at,
      event_types: types ?? [],
      any_type: types === undefined,
    };
    await this.subscriptions.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    const docs = await this.subscriptions
      .find({ tenant_id: tenantId })
      .sort({ created_at: 1, execution_id: 1, listen_id: 1 })
      .toArray();
    return docs.map(fromDoc);
  }

  /**
   * Three equality queries, each on its own index (an `$or` of them let a Mongo-compatible server
   * read more than it returns), merged here: the type's, the any-type ones, and those stored
   * before the index (no `any_type`, offered every event).
   */
  async listForEventType(tenantId: string, type: string): Promise<EventSubscription[]> {
    const branches = await Promise.all(
      [{ event_types: type }, { any_type: true }, { any_type: { $exists: false } }].map((branch) =>
        this.subscriptions.find({ tenant_id: tenantId, ...branch }).toArray(),
      ),
    );
    const byId = new Map(branches.flat().map((d) => [d._id, d]));
    return [...byId.values()]
      .sort(
        (a, b) =>
          a.created_at.localeCompare(b.created_at) ||
          a.execution_id.localeCompare(b.execution_id) ||
          a.listen_id.localeCompare(b.listen_id),
      )
      .map(fromDoc);
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    await this.subscriptions.deleteMany({
      tenant_id: tenantId,
      execution_id: executionId,
      ...(listenId !== undefined ? { listen_id: listenId } : {}),
    });
  }
}

function fromDoc(d: SubscriptionDoc): EventSubscription {
  return {
    tenant_id: d.tenant_id,
    workflow_id: d.workflow_id,
    execution_id: d.execution_id,
    listen_id: d.listen_id,
    task_path: d.task_path,
    filters: JSON.parse(d.filters_json) as JsonObject[],
    created_at: d.created_at,
  };
}
