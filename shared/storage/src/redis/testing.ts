import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import type { StorageDeps } from '../deps';
import { RedisDatabase } from './redis-database';

const TEST_URL = 'redis://127.0.0.1:6379';

/** A RedisDatabase under a fresh key prefix `t:<random>:`; cleanup removes its keys. */
export async function openTestRedis(
  deps: StorageDeps = { logger: new MemoryLogger(), metrics: new NoopMetrics() },
): Promise<{ db: RedisDatabase; cleanup(): Promise<void> }> {
  const keyPrefix = `t:${randomUUID().slice(0, 8)}:`;
  const db = await RedisDatabase.create({ url: TEST_URL, db: 0, keyPrefix }, deps);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await deleteTestRedisKeys(keyPrefix);
    },
  };
}

/** Deletes every key under `prefix` on the test Redis (SCAN, never KEYS). */
export async function deleteTestRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
