import Redis from 'ioredis';
import type {
  DeriveRows,
  EngineEvent,
  StoredEngineEvent,
  BackendHealth,
  Database,
  MaintenanceRepository,
  StatsRepository,
  TenantStats,
} from '@wormhole/interfaces';
import { EXECUTION_STATUSES, UnavailableError, ensureError } from '@wormhole/interfaces';
import { advanceInOrder } from '../advance-in-order';
import type { RedisSettings } from '../config';
import type { StorageDeps } from '../deps';
import { RedisExecutionRepository } from './execution-repository';
import {
  RedisEventRepository,
  RedisLogRepository,
  RedisSnapshotRepository,
  RedisStepRunRepository,
} from './history-repositories';
import { deleteHistories } from './history-deletion';
import type { StorageKeys } from './keys';
import { storageKeys } from './keys';
import { RedisSubscriptionRepository } from './subscription-repository';
import { RedisWorkflowRepository } from './workflow-repository';
import { RedisApiKeyRepository } from './api-key-repository';
import { coalesceWrites, probeBackend } from '@wormhole/platform';

/**
 * The Database port on Redis: hashes for rows, sorted sets as per-tenant indexes, Lua scripts for
 * every multi-key change and for filtering inside Redis (see HOW_IT_WORKS.md).
 */
export class RedisDatabase implements Database {
  readonly backend = 'redis';
  readonly workflows: RedisWorkflowRepository;
  readonly executions: RedisExecutionRepository;
  readonly maintenance: MaintenanceRepository;
  readonly steps: RedisStepRunRepository;
  readonly events: RedisEventRepository;
  readonly snapshots: RedisSnapshotRepository;
  readonly subscriptions: RedisSubscriptionRepository;
  readonly logs: RedisLogRepository;
  readonly stats: StatsRepository;
  readonly apiKeys: RedisApiKeyRepository;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {
    this.workflows = new RedisWorkflowRepository(redis, keys);
    this.executions = new RedisExecutionRepository(redis, keys);
    // Unfinished executions are the executions' index, scheduled workflows the workflows'.
    this.maintenance = {
      findUnfinished: (updatedBefore, limit) => this.executions.findUnfinished(updatedBefore, limit),
      findScheduled: () => this.workflows.findScheduled(),
      deleteHistories: (tenantId, ids) => deleteHistories(redis, keys, tenantId, ids),
    };
    this.steps = new RedisStepRunRepository(redis, keys);
    this.events = new RedisEventRepository(redis, keys);
    this.snapshots = new RedisSnapshotRepository(redis, keys);
    this.subscriptions = new RedisSubscriptionRepository(redis, keys);
    this.logs = new RedisLogRepository(redis, keys);
    this.stats = { get: (tenantId) => this.tenantStats(tenantId) };
    this.apiKeys = new RedisApiKeyRepository(redis, keys);
  }

  static async create(settings: RedisSettings, _deps: StorageDeps): Promise<RedisDatabase> {
    const redis = new Redis(settings.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      connectTimeout: 5000,
      connectionName: 'wormhole-storage',
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      db: settings.db,
    });
    // Commands issued in the same tick by concurrent executions leave in one socket write (the
    // profile showed a write per command), without waiting for the replies of earlier ones.
    coalesceWrites(redis);
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new UnavailableError('redis', `cannot connect: ${ensureError(e).message}`, { cause: e });
    }
    return new RedisDatabase(redis, storageKeys(settings.keyPrefix));
  }

  /** Separate writes in order (see advanceInOrder): each repository writes its own keys. */
  advance(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expectedSequence: number,
    derive: DeriveRows,
  ): Promise<StoredEngineEvent[]> {
    return advanceInOrder(this, tenantId, executionId, events, expectedSequence, derive);
  }

  async health(): Promise<BackendHealth[]> {
    return [await probeBackend('redis', () => this.redis.ping())];
  }

  close(): Promise<void> {
    this.closing ??= this.redis.quit().then(
      () => undefined,
      () => this.redis.disconnect(),
    );
    return this.closing;
  }

  private async tenantStats(tenantId: string): Promise<TenantStats> {
    const counts = await this.redis.hgetall(this.keys.stats(tenantId));
    const n = (field: string): number => Math.max(0, Number(counts[field] ?? 0));
    return {
      tenant_id: tenantId,
      workflows: { total: n('wf:total'), active: n('wf:active'), inactive: n('wf:inactive') },
      executions: {
        total: n('ex:total'),
        ...(Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, n(`ex:${s}`)])) as Record<
          (typeof EXECUTION_STATUSES)[number],
          number
        >),
      },
    };
  }
}
