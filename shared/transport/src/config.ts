import type { Env } from '@wormhole/platform';
import { EnvReader } from '@wormhole/platform';
import { ConfigurationError } from '@wormhole/interfaces';
import type { RedisEventStreamSettings } from './redis/settings';

/**
 * Where events and timers live. `redis`: Redis Streams (production). `postgres`: tables in the
 * Postgres of POSTGRES_URL (a deployment without Redis). `embedded`: the same tables inside the
 * embedded database of DATABASE_TYPE=embedded, so one data directory holds everything.
 */
export const EVENT_STREAM_TYPES = ['redis', 'postgres', 'embedded'] as const;
export type EventStreamType = (typeof EVENT_STREAM_TYPES)[number];

export interface TransportConfig {
  readonly type: EventStreamType;
  readonly redis: RedisEventStreamSettings;
  /** Longest a table-backed subscriber waits before looking for other processes' publishes. */
  readonly pollMs: number;
}

/**
 * The event transport's settings. It shares REDIS_URL, REDIS_PASSWORD, REDIS_DB and
 * REDIS_KEY_PREFIX with the Redis storage backend: one Redis serves both when both are used.
 * `databaseType` is the validated DATABASE_TYPE: the embedded database brings its own stream.
 */
export function loadTransportConfig(env: Env, databaseType: string): TransportConfig {
  const r = new EnvReader(env);
  const type = r.oneOf('EVENT_STREAM_TYPE', EVENT_STREAM_TYPES, databaseType === 'embedded' ? 'embedded' : 'redis');
  if (type === 'embedded' && databaseType !== 'embedded') {
    throw new ConfigurationError(
      'EVENT_STREAM_TYPE',
      `'embedded' keeps events in the embedded database, so it needs DATABASE_TYPE=embedded (got '${databaseType}')`,
    );
  }
  const host = databaseType === 'redis' ? r.string('DATABASE_HOST') : undefined;
  const port = databaseType === 'redis' ? r.string('DATABASE_PORT') : undefined;
  const url = r.url('REDIS_URL', ['redis', 'rediss']) ?? `redis://${host ?? '127.0.0.1'}:${port ?? '6379'}`;
  const password = r.string('REDIS_PASSWORD');
  return {
    type,
    redis: {
      url,
      ...(password !== undefined ? { password } : {}),
      db: r.int('REDIS_DB', 0, { min: 0, max: 15 }),
      keyPrefix: r.string('REDIS_KEY_PREFIX', ''),
      maxDeliveries: r.int('MAX_DELIVERIES', 5, { min: 1, max: 1000 }),
      claimIdleMs: r.int('STREAM_CLAIM_IDLE_MS', 30000, { min: 100, max: 3_600_000 }),
    },
    pollMs: r.int('STREAM_POLL_MS', 100, { min: 5, max: 60_000 }),
  };
}
