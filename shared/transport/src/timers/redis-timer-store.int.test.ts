import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisTimerStore } from './redis-timer-store';
import { timerStoreContract } from './timer-store.contract';

timerStoreContract(
  'redis',
  async () => {
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    const prefix = `t:${randomUUID().slice(0, 8)}:`;
    return {
      store: new RedisTimerStore(redis, prefix),
      cleanup: async () => {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      },
    };
  },
  ['redis'],
);
