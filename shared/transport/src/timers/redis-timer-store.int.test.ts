import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { ScheduledTimer } from '@wormhole/interfaces';
import { RedisTimerStore } from './redis-timer-store';

describe('RedisTimerStore', () => {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const prefix = `t:${randomUUID().slice(0, 8)}:`;
  const store = new RedisTimerStore(redis, prefix);
  const timer = (id: string, dueAt: number): ScheduledTimer => ({
    id,
    tenantId: 'acme',
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/do/0/wait',
    taskName: 'wait',
    dueAt,
  });

  beforeAll(() => redis.connect());
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('claims only due timers, oldest first, and keeps them until completed', async () => {
    await store.schedule(timer('b', 2000));
    await store.schedule(timer('a', 1000));
    await store.schedule(timer('c', 9000));
    await store.schedule(timer('a', 5000)); // same id again: the first schedule stands
    expect(await store.nextDueAt()).toBe(1000);
    expect(await store.claimDue(500, 10, 100)).toEqual([]);
    const claimed = await store.claimDue(2500, 10, 100);
    expect(claimed.map((t) => t.id)).toEqual(['a', 'b']);
    expect(claimed[0]).toEqual(timer('a', 1000));
    // Claimed: not due again within the lease …
    expect(await store.claimDue(2550, 10, 100)).toEqual([]);
    await store.complete(['a']);
    // … but a claim that was never completed comes back after the lease.
    expect((await store.claimDue(2601, 10, 100)).map((t) => t.id)).toEqual(['b']);
    await store.complete(['b']);
    await store.cancel('c');
    expect(await store.nextDueAt()).toBeUndefined();
    expect(await store.claimDue(1e13, 10, 100)).toEqual([]);
  });

  it('never hands one due timer to two concurrent claimers', async () => {
    for (let i = 0; i < 50; i++) await store.schedule(timer(`r${i}`, 100 + i));
    const claims = await Promise.all([0, 1, 2, 3].map(() => store.claimDue(1000, 20, 60000)));
    const ids = claims.flat().map((t) => t.id);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    await store.complete(ids);
  });
});
