import type { Redis } from 'ioredis';
import type { ApiKey, ApiKeyRepository, NewApiKey } from '@wormhole/interfaces';
import { NotFoundError, newId } from '@wormhole/interfaces';
import type { StorageKeys } from './keys';

interface ApiKeyRecord {
  readonly name: string;
  readonly hash: string;
  readonly created_at: string;
  readonly revoked_at?: string;
}

/**
 * A key is a JSON string under its tenant, listed in a sorted set by creation time; a global
 * hash → "tenant id" key finds it when presented, and is deleted on revocation.
 */
export class RedisApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async create(tenantId: string, input: NewApiKey): Promise<ApiKey> {
    const id = newId('apiKey');
    const now = new Date();
    const record: ApiKeyRecord = { name: input.name, hash: input.hash, created_at: now.toISOString() };
    await this.redis
      .multi()
      .set(this.keys.apiKey(tenantId, id), JSON.stringify(record))
      .zadd(this.keys.apiKeysByCreated(tenantId), String(now.getTime()), id)
      .set(this.keys.apiKeyByHash(input.hash), `${tenantId} ${id}`)
      .exec();
    return toApiKey(tenantId, id, record);
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const ids = await this.redis.zrange(this.keys.apiKeysByCreated(tenantId), '0', '-1');
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => this.keys.apiKey(tenantId, id)));
    return ids.flatMap((id, i) => {
      const value = values[i];
      return value ? [toApiKey(tenantId, id, JSON.parse(value) as ApiKeyRecord)] : [];
    });
  }

  async findActiveByHash(hash: string): Promise<ApiKey | undefined> {
    const owner = await this.redis.get(this.keys.apiKeyByHash(hash));
    if (!owner) return undefined;
    const [tenantId = '', id = ''] = owner.split(' ');
    const key = await this.read(tenantId, id);
    return key && !key.revoked ? key : undefined;
  }

  async revoke(tenantId: string, keyId: string): Promise<ApiKey> {
    const value = await this.redis.get(this.keys.apiKey(tenantId, keyId));
    if (!value) throw new NotFoundError('api key', tenantId, keyId);
    const record = JSON.parse(value) as ApiKeyRecord;
    if (record.revoked_at !== undefined) return toApiKey(tenantId, keyId, record);
    const revoked: ApiKeyRecord = { ...record, revoked_at: new Date().toISOString() };
    await this.redis
      .multi()
      .set(this.keys.apiKey(tenantId, keyId), JSON.stringify(revoked))
      .del(this.keys.apiKeyByHash(record.hash))
      .exec();
    return toApiKey(tenantId, keyId, revoked);
  }

  private async read(tenantId: string, id: string): Promise<ApiKey | undefined> {
    const value = await this.redis.get(this.keys.apiKey(tenantId, id));
    return value ? toApiKey(tenantId, id, JSON.parse(value) as ApiKeyRecord) : undefined;
  }
}

function toApiKey(tenantId: string, id: string, record: ApiKeyRecord): ApiKey {
  return {
    id,
    tenant_id: tenantId,
    name: record.name,
    created_at: record.created_at,
    revoked: record.revoked_at !== undefined,
    ...(record.revoked_at !== undefined ? { revoked_at: record.revoked_at } : {}),
  };
}
