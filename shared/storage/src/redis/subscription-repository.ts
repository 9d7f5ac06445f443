import type Redis from 'ioredis';
import type { EventSubscription, EventSubscriptionRepository } from '@wormhole/interfaces';
import type { StorageKeys } from './keys';

/** One hash per tenant: field `<execution> <listen>` (ids hold no spaces), value the subscription. */
export class RedisSubscriptionRepository implements EventSubscriptionRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async put(s: EventSubscription): Promise<void> {
    await this.redis.hset(this.keys.subscriptions(s.tenant_id), `${s.execution_id} ${s.listen_id}`, JSON.stringify(s));
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    const all = await this.redis.hvals(this.keys.subscriptions(tenantId));
    return all
      .map((text) => JSON.parse(text) as EventSubscription)
      .sort(
        (a, b) =>
          a.created_at.localeCompare(b.created_at) ||
          a.execution_id.localeCompare(b.execution_id) ||
          a.listen_id.localeCompare(b.listen_id),
      );
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    const key = this.keys.subscriptions(tenantId);
    if (listenId !== undefined) {
      await this.redis.hdel(key, `${executionId} ${listenId}`);
      return;
    }
    // An execution has a handful of listens at most; the tenant's hash is scanned, not read whole.
    const fields: string[] = [];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(key, cursor, 'MATCH', `${executionId} *`, 'COUNT', 500);
      for (let i = 0; i < entries.length; i += 2) fields.push(entries[i]!);
      cursor = next;
    } while (cursor !== '0');
    if (fields.length > 0) await this.redis.hdel(key, ...fields);
  }
}
