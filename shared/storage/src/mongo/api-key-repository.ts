import type { Collection, Db } from 'mongodb';
import type { ApiKey, ApiKeyRepository, NewApiKey } from '@wormhole/interfaces';
import { NotFoundError, newId } from '@wormhole/interfaces';

export const API_KEYS = 'api_keys';

export interface ApiKeyDoc {
  _id: string;
  tenant_id: string;
  name: string;
  key_hash: string;
  created_at: Date;
  revoked_at?: Date;
}

/** The unique hash index finds a presented key; the tenant index lists a tenant's keys. */
export async function ensureApiKeyIndexes(db: Db): Promise<void> {
  await db.collection<ApiKeyDoc>(API_KEYS).createIndexes([
    { key: { key_hash: 1 }, name: 'key_hash', unique: true },
    { key: { tenant_id: 1, created_at: 1, _id: 1 }, name: 'tenant_created' },
  ]);
}

export class MongoApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly keys: Collection<ApiKeyDoc>) {}

  async create(tenantId: string, input: NewApiKey): Promise<ApiKey> {
    const doc: ApiKeyDoc = {
      _id: newId('apiKey'),
      tenant_id: tenantId,
      name: input.name,
      key_hash: input.hash,
      created_at: new Date(),
    };
    await this.keys.insertOne(doc);
    return toApiKey(doc);
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const docs = await this.keys.find({ tenant_id: tenantId }).sort({ created_at: 1, _id: 1 }).toArray();
    return docs.map(toApiKey);
  }

  async findActiveByHash(hash: string): Promise<ApiKey | undefined> {
    const doc = await this.keys.findOne({ key_hash: hash, revoked_at: { $exists: false } });
    return doc ? toApiKey(doc) : undefined;
  }

  async revoke(tenantId: string, keyId: string): Promise<ApiKey> {
    await this.keys.updateOne(
      { _id: keyId, tenant_id: tenantId, revoked_at: { $exists: false } },
      { $set: { revoked_at: new Date() } },
    );
    const doc = await this.keys.findOne({ _id: keyId, tenant_id: tenantId });
    if (!doc) throw new NotFoundError('api key', tenantId, keyId);
    return toApiKey(doc);
  }
}

function toApiKey(doc: ApiKeyDoc): ApiKey {
  return {
    id: doc._id,
    tenant_id: doc.tenant_id,
    name: doc.name,
    created_at: doc.created_at.toISOString(),
    revoked: doc.revoked_at !== undefined,
    ...(doc.revoked_at !== undefined ? { revoked_at: doc.revoked_at.toISOString() } : {}),
  };
}
