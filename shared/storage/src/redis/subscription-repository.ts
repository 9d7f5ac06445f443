import type Redis from 'ioredis';
import type { EventSubscription, EventSubscriptionRepository } from '@wormhole/interfaces';
import { subscriptionEventTypes } from '@wormhole/interfaces';
import type { StorageKeys } from './keys';
import { Script } from './scripts';

const PUT = Script.file('subscription_put.lua');

/**
 * One hash per tenant: field `<execution> <listen>` (ids hold no spaces), value the subscription.
 * Indexed by event type: a set of fields per literal type, one of the fields of any type, and the
 * types of each field (to take it out again), all changed together by one script.
 */
export class RedisSubscriptionRepository implements EventSubscriptionRepository {
  /** Tenants whose subscriptions from before the type index are known to be indexed. */
  private readonly backfilled = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async put(s: EventSubscription): Promise<void> {
    await this.index(s.tenant_id, `${s.execution_id} ${s.listen_id}`, JSON.stringify(s), typesOf(s), false);
  }

  async listByTenant(tenantId: string): Promise<EventSubscription[]> {
    return sorted(await this.redis.hvals(this.keys.subscriptions(tenantId)));
  }

  async listForEventType(tenantId: string, type: string): Promise<EventSubscription[]> {
    await this.backfill(tenantId);
    const k = this.keys;
    const fields = await this.redis.sunion(k.subscriptionsOfType(tenantId) + type, k.subscriptionsOfAnyType(tenantId));
    if (fields.length === 0) return [];
    const values = await this.redis.hmget(k.subscriptions(tenantId), ...fields);
    // A field removed between the two reads is null: it no longer waits.
    return sorted(values.filter((v): v is string => v !== null));
  }

  async remove(tenantId: string, executionId: string, listenId?: string): Promise<void> {
    const key = this.keys.subscriptions(tenantId);
    const fields: string[] = [];
    if (listenId !== undefined) {
      fields.push(`${executionId} ${listenId}`);
    } else {
      // An execution has a handful of listens at most; the tenant's hash is scanned, not read whole.
      let cursor = '0';
      do {
        const [next, entries] = await this.redis.hscan(key, cursor, 'MATCH', `${executionId} *`, 'COUNT', 500);
        for (let i = 0; i < entries.length; i += 2) fields.push(entries[i]!);
        cursor = next;
      } while (cursor !== '0');
    }
    await Promise.all(fields.map((field) => this.index(tenantId, field, '', '[]', false)));
  }

  /** Stores (`json`) or removes (`''`) the field, and moves it in the type index. */
  private async index(
    tenantId: string,
    field: string,
    json: string,
    types: string,
    onlyUnindexed: boolean,
  ): Promise<unknown> {
    const k = this.keys;
    return PUT.run(
      this.redis,
      [k.subscriptions(tenantId), k.subscriptionTypes(tenantId), k.subscriptionsOfAnyType(tenantId)],
      [field, json, k.subscriptionsOfType(tenantId), types, onlyUnindexed ? '1' : '0'],
    );
  }

  /**
   * Indexes the tenant's subscriptions stored before the type index existed (once; a marker says
   * so). The script indexes a field only while it is stored and unindexed, so a listen that ends
   * meanwhile is not brought back.
   */
  private async backfill(tenantId: string): Promise<void> {
    const marker = this.keys.subscriptionTypesBackfilled(tenantId);
    if (this.backfilled.has(tenantId) || (await this.redis.exists(marker)) === 1) {
      this.backfilled.add(tenantId);
      return;
    }
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.keys.subscriptions(tenantId), cursor, 'COUNT', 500);
      for (let i = 0; i < entries.length; i += 2) {
        const json = entries[i + 1]!;
        await this.index(tenantId, entries[i]!, json, typesOf(JSON.parse(json) as EventSubscription), true);
      }
      cursor = next;
    } while (cursor !== '0');
    await this.redis.set(marker, new Date().toISOString());
    this.backfilled.add(tenantId);
  }
}

/** The field's types as the script reads them: a JSON array, `[]` for any type. */
function typesOf(s: EventSubscription): string {
  return JSON.stringify(subscriptionEventTypes(s.filters) ?? []);
}

function sorted(values: readonly string[]): EventSubscription[] {
  return values
    .map((text) => JSON.parse(text) as EventSubscription)
    .sort(
      (a, b) =>
        a.created_at.localeCompare(b.created_at) ||
        a.execution_id.localeCompare(b.execution_id) ||
        a.listen_id.localeCompare(b.listen_id),
    );
}
