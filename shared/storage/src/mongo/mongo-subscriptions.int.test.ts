import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { EventSubscription } from '@wormhole/interfaces';
import { testServersReachable } from '@wormhole/platform';
import type { SubscriptionDoc } from './subscription-repository';
import { MongoSubscriptionRepository } from './subscription-repository';
import { mongoTestUrl } from './testing';

const subscription = (execution: string, filters: EventSubscription['filters']): EventSubscription => ({
  tenant_id: 'acme',
  workflow_id: 'wf_1',
  execution_id: execution,
  listen_id: 'l1',
  task_path: '/do/0/wait',
  filters,
  created_at: '2026-01-01T00:00:00.000Z',
});

(testServersReachable(['mongo']) && mongoTestUrl() ? describe : describe.skip)('mongo subscriptions by type', () => {
  it('offers every event to a subscription stored before the type fields existed', async () => {
    const client = await MongoClient.connect(mongoTestUrl()!);
    const db = client.db(`t_subs_${randomUUID().slice(0, 8)}`);
    try {
      const collection = db.collection<SubscriptionDoc>('event_subscriptions');
      const repository = new MongoSubscriptionRepository(collection);
      const legacy = subscription('ex_legacy', [{ type: 'paid' }]);
      // As written before: no event_types, no any_type.
      const { filters, ...fields } = legacy;
      await collection.insertOne({ _id: 'acme:ex_legacy:l1', ...fields, filters_json: JSON.stringify(filters) });
      const shipped = subscription('ex_shipped', [{ type: 'shipped' }]);
      await repository.put(shipped);

      expect(await repository.listForEventType('acme', 'shipped')).toEqual([legacy, shipped]);
      expect(await repository.listForEventType('acme', 'other')).toEqual([legacy]);
      // Stored again, it is indexed like any other.
      await repository.put(legacy);
      expect(await repository.listForEventType('acme', 'other')).toEqual([]);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});
