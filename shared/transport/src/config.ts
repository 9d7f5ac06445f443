import type { Env } from '@wormhole/platform';
import { EnvReader } from '@wormhole/platform';
import type { RedisEventStreamSettings } from './redis/settings';

export interface TransportConfig {
  readonly redis: RedisEventStreamSettings;
}

/**
 * The event transport's settings. It shares REDIS_URL, REDIS_PASSWORD, REDIS_DB and
 * REDIS_KEY_PREFIX with the Redis storage backend: one Redis serves both when both are used.
 */
export function loadTransportConfig(env: Env): TransportConfig {
  const r = new EnvReader(env);
  const host = r.string('DATABASE_TYPE') === 'redis' ? r.string('DATABASE_HOST') : undefined;
  const port = r.string('DATABASE_TYPE') === 'redis' ? r.string('DATABASE_PORT') : undefined;
  const url = r.url('REDIS_URL', ['redis', 'rediss']) ?? `redis://${host ?? '127.0.0.1'}:${port ?? '6379'}`;
  const password = r.string('REDIS_PASSWORD');
  return {
    redis: {
      url,
      ...(password !== undefined ? { password } : {}),
      db: r.int('REDIS_DB', 0, { min: 0, max: 15 }),
      keyPrefix: r.string('REDIS_KEY_PREFIX', ''),
      maxDeliveries: r.int('MAX_DELIVERIES', 5, { min: 1, max: 1000 }),
      claimIdleMs: r.int('STREAM_CLAIM_IDLE_MS', 30000, { min: 100, max: 3_600_000 }),
    },
  };
}
