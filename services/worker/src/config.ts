import type { Env, LogLevelSetting } from '@wormhole/platform';
import type { SecretsConfig } from '@wormhole/platform';
import { EnvReader, LOG_LEVEL_SETTINGS, loadSecretsConfig } from '@wormhole/platform';
import type { StorageConfig } from '@wormhole/storage';
import { loadStorageConfig } from '@wormhole/storage';
import type { LogRetentionSettings } from './log-retention';
import type { ReconcilerSettings } from './reconciler';
import type { SchedulerSettings } from './scheduler/scheduler';

export interface WorkerConfig {
  readonly storage: StorageConfig;
  readonly logLevel: LogLevelSetting;
  /** Port of the /health, /ready and /metrics endpoints; 0 picks a free port. */
  readonly healthPort: number;
  /** Steps handled at once by this process. */
  readonly concurrency: number;
  /** How long SIGTERM waits for in-flight work before exiting. */
  readonly shutdownGraceMs: number;
  /** Execution states kept in memory between events. */
  readonly stateCacheSize: number;
  /** Workflow documents kept in memory. */
  readonly definitionCacheSize: number;
  /** A snapshot is saved once this many events accumulated since the last one. */
  readonly snapshotEvery: number;
  /** Events one incoming event may cause inline before the run is stopped as a runaway loop. */
  readonly maxInlineEvents: number;
  readonly reconciler: ReconcilerSettings;
  /** Execution log retention: the days come from the storage settings (LOG_RETENTION_DAYS). */
  readonly logRetention: LogRetentionSettings;
  /**
   * Timed schedules (`every`, `cron`, `after`): whether this process starts them, and how often
   * it looks (also how long a new, changed or deleted schedule takes to be seen, `on` included).
   */
  readonly scheduler: SchedulerSettings & { readonly enabled: boolean };
  /** Unfinished executions per tenant that schedules may start into (TENANT_MAX_ACTIVE_EXECUTIONS). */
  readonly maxActiveExecutionsPerTenant: number;
  /** `native`: the in-house jq; `wasm`: jq 1.8.2 in WebAssembly (the reference). */
  readonly expressionEngine: 'native' | 'wasm';
  /** Longest a runtime expression may run (the wasm engine; the native one counts steps). */
  readonly expressionTimeoutMs: number;
  /** Where `$secrets` come from (SECRETS_ENV_PREFIX, SECRETS_FILE). */
  readonly secrets: SecretsConfig;
}

/** Reads and validates the worker's settings once; an invalid value names its variable. */
export function loadWorkerConfig(env: Env): WorkerConfig {
  const r = new EnvReader(env);
  const storage = loadStorageConfig(env);
  return {
    storage,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info'),
    healthPort: r.int('WORKER_HEALTH_PORT', 8081, { min: 0, max: 65535 }),
    concurrency: r.int('WORKER_CONCURRENCY', 10, { min: 1, max: 1000 }),
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 30000, { min: 0, max: 600000 }),
    stateCacheSize: r.int('WORKER_STATE_CACHE_SIZE', 10000, { min: 0, max: 10_000_000 }),
    definitionCacheSize: r.int('WORKER_DEFINITION_CACHE_SIZE', 1000, { min: 1, max: 1_000_000 }),
    snapshotEvery: r.int('WORKER_SNAPSHOT_EVERY', 50, { min: 1, max: 100000 }),
    maxInlineEvents: r.int('WORKER_MAX_INLINE_EVENTS', 100000, { min: 100, max: 100_000_000 }),
    reconciler: {
      intervalMs: r.int('RECONCILE_INTERVAL_MS', 30000, { min: 100, max: 3_600_000 }),
      pendingAfterMs: r.int('RECONCILE_PENDING_AFTER_MS', 30000, { min: 100, max: 86_400_000 }),
      stalledAfterMs: r.int('RECONCILE_STALLED_AFTER_MS', 600000, { min: 1000, max: 604_800_000 }),
      batchSize: 500,
    },
    scheduler: {
      enabled: r.bool('SCHEDULER_ENABLED', true),
      tickMs: r.int('SCHEDULER_TICK_MS', 1000, { min: 10, max: 3_600_000 }),
    },
    maxActiveExecutionsPerTenant: r.int('TENANT_MAX_ACTIVE_EXECUTIONS', 0, { min: 0, max: 10_000_000 }),
    logRetention: {
      retentionDays: storage.mongo.logRetentionDays,
      intervalMs: r.int('LOG_PURGE_INTERVAL_MS', 3_600_000, { min: 1000, max: 86_400_000 }),
      batchSize: 5000,
    },
    expressionEngine: r.oneOf('EXPRESSION_ENGINE', ['native', 'wasm'], 'native'),
    expressionTimeoutMs: r.int('EXPRESSION_TIMEOUT_MS', 1000, { min: 1, max: 600000 }),
    secrets: loadSecretsConfig(env),
  };
}
