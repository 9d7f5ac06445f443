import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { CONTRACT_SETTINGS, eventStreamContract } from '../__tests__/event-stream.contract';
import type { OpenedEventStream } from '../__tests__/event-stream.contract';
import { createKeys } from '../keys';
import { RedisEventStream } from './redis-event-stream';

const REDIS_URL = 'redis://127.0.0.1:6379';

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

async function openRedis(): Promise<OpenedEventStream> {
  const prefix = `wh-test:${randomUUID().slice(0, 8)}:`;
  const keys = createKeys(prefix);
  const stream = await RedisEventStream.create(
    { url: REDIS_URL, keyPrefix: prefix, blockMs: 5000, ...CONTRACT_SETTINGS },
    { logger: new MemoryLogger(), metrics: new NoopMetrics() },
  );
  const admin = new Redis(REDIS_URL);
  return {
    stream,
    storedCount: (tenant, workflow) => admin.xlen(keys.workflowEvents(tenant, workflow)),
    appendRaw: async (tenant, workflow, raw) => {
      // What a foreign or buggy publisher would do: append and register, skipping validation.
      const key = keys.workflowEvents(tenant, workflow);
      await admin.xadd(key, '*', 'event', raw);
      if ((await admin.sadd(keys.streamRegistry(), key)) === 1) {
        await admin.xadd(keys.streamAnnouncements(), '*', 'stream', key);
      }
    },
    listPoison: (tenant) => stream.listPoisonMessages(tenant, 100),
    cleanup: async () => {
      await stream.close();
      await deleteByPrefix(admin, prefix);
      await admin.quit();
    },
  };
}

eventStreamContract('redis', openRedis, ['redis']);
