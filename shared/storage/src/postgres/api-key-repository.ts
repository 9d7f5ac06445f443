import type { ApiKey, ApiKeyRepository, NewApiKey } from '@wormhole/interfaces';
import { NotFoundError, newId } from '@wormhole/interfaces';
import type { Timestamp } from './mappers';
import { toIso } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { NOW_MS } from './sql-names';

interface ApiKeyRow {
  tenant_id: string;
  id: string;
  name: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

const COLUMNS = 'tenant_id, id, name, created_at, revoked_at';

function apiKeyFromRow(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    name: row.name,
    created_at: toIso(row.created_at),
    revoked: row.revoked_at !== null,
    ...(row.revoked_at !== null ? { revoked_at: toIso(row.revoked_at) } : {}),
  };
}

export class PostgresApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async create(tenantId: string, input: NewApiKey): Promise<ApiKey> {
    const [row] = await queryRows<ApiKeyRow>(
      this.db,
      `INSERT INTO ${this.t.apiKeys} (tenant_id, id, name, key_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [tenantId, newId('apiKey'), input.name, input.hash],
    );
    return apiKeyFromRow(row!);
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const rows = await queryRows<ApiKeyRow>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t.apiKeys} WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(apiKeyFromRow);
  }

  async findActiveByHash(hash: string): Promise<ApiKey | undefined> {
    const [row] = await queryRows<ApiKeyRow>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t.apiKeys} WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return row && apiKeyFromRow(row);
  }

  async revoke(tenantId: string, keyId: string): Promise<ApiKey> {
    const [row] = await queryRows<ApiKeyRow>(
      this.db,
      `UPDATE ${this.t.apiKeys} SET revoked_at = COALESCE(revoked_at, ${NOW_MS})
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [tenantId, keyId],
    );
    if (!row) throw new NotFoundError('api key', tenantId, keyId);
    return apiKeyFromRow(row);
  }
}
