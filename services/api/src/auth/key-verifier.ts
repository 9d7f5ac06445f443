import type { ApiKeyRepository } from '@wormhole/interfaces';
import type { Principal } from '../http/context';
import { hashApiKey, sameSecret } from './api-keys';

interface Cached {
  readonly tenantId: string | undefined;
  readonly until: number;
}

const MAX_CACHED = 10_000;

/**
 * Turns a presented key into who it belongs to. Verified (and unknown) keys are cached for
 * `cacheMs`, so most requests cost no database read; a revoked key therefore keeps working for
 * up to `cacheMs` in each API process. Only hashes are cached, never keys. The database lookup
 * is by hash (an index), not a comparison of secrets, so it leaks no timing about the key.
 */
export class KeyVerifier {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly adminKey: string | undefined,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(presented: string): Promise<Principal | undefined> {
    if (this.adminKey !== undefined && sameSecret(presented, this.adminKey)) return { kind: 'admin' };
    const hash = hashApiKey(presented);
    const now = this.now();
    let entry = this.cache.get(hash);
    if (entry === undefined || entry.until <= now) {
      const key = await this.keys.findActiveByHash(hash);
      entry = { tenantId: key?.tenant_id, until: now + this.cacheMs };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(hash, entry);
    }
    return entry.tenantId === undefined ? undefined : { kind: 'tenant', tenantId: entry.tenantId };
  }
}
