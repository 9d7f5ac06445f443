import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import { databaseContract } from '../__tests__/database.contract';
import { sampleDefinition } from '../__tests__/contract/helpers';
import { storageKeys } from './keys';
import { RedisDatabase } from './redis-database';
import { deleteTestRedisKeys, openTestRedis } from './testing';

databaseContract('redis', () => openTestRedis(), ['redis']);

(testServersReachable(['redis']) ? describe : describe.skip)('redis scheduled workflows set', () => {
  const url = 'redis://127.0.0.1:6379';
  const keyPrefix = `t:${randomUUID().slice(0, 8)}:`;
  const open = (): Promise<RedisDatabase> =>
    RedisDatabase.create({ url, db: 0, keyPrefix }, { logger: new MemoryLogger(), metrics: new NoopMetrics() });
  afterAll(() => deleteTestRedisKeys(keyPrefix));

  it('takes in the scheduled workflows stored before the set existed, once', async () => {
    const keys = storageKeys(keyPrefix);
    const raw = new Redis(url);
    const db = await open();
    try {
      const create = (name: string, extra = {}) =>
        db.workflows.create('acme', { name, definition: sampleDefinition(name, extra), spec_version: '1.0.0' });
      const old = await create('old', { schedule: { every: 'PT1M' } });
      await create('plain');
      const gone = await create('gone', { schedule: { every: 'PT1M' } });
      // As an installation written before the set: no member, no marker.
      await raw.del(keys.scheduledWorkflows(), keys.scheduledWorkflowsBackfilled());
      await raw.del(keys.workflow(gone.id));
      await raw.sadd(keys.scheduledWorkflows(), gone.id);
      const reopened = await open();
      try {
        expect((await reopened.maintenance.findScheduled()).map((w) => w.id)).toEqual([old.id]);
        // The id whose workflow is gone left the set; the marker keeps the scan from running again.
        expect(await raw.smembers(keys.scheduledWorkflows())).toEqual([old.id]);
        expect(await raw.exists(keys.scheduledWorkflowsBackfilled())).toBe(1);
      } finally {
        await reopened.close();
      }
    } finally {
      await db.close();
      await raw.quit();
    }
  });
});
