import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { EventSubscription } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import { databaseContract } from '../__tests__/database.contract';
import { sampleDefinition } from '../__tests__/contract/helpers';
import { storageKeys } from './keys';
import { RedisDatabase } from './redis-database';
import { deleteTestRedisKeys, openTestRedis } from './testing';

databaseContract('redis', () => openTestRedis(), ['redis']);

// Data written before an index existed is taken in by the new code, once per installation or tenant.
(testServersReachable(['redis']) ? describe : describe.skip)('redis indexes added after data was stored', () => {
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

  it('indexes by event type the subscriptions stored before the type index existed, once', async () => {
    const keys = storageKeys(keyPrefix);
    const raw = new Redis(url);
    const db = await open();
    try {
      const subscription = (execution: string, filters: EventSubscription['filters']): EventSubscription => ({
        tenant_id: 'subs',
        workflow_id: 'wf_1',
        execution_id: execution,
        listen_id: 'l1',
        task_path: '/do/0/wait',
        filters,
        created_at: '2026-01-01T00:00:00.000Z',
      });
      const paid = subscription('ex_paid', [{ type: 'paid' }]);
      const any = subscription('ex_any', [{ source: 'shop' }]);
      // As an installation written before the index: the hash only.
      for (const s of [paid, any]) {
        await raw.hset(keys.subscriptions('subs'), `${s.execution_id} l1`, JSON.stringify(s));
      }
      expect(await db.subscriptions.listForEventType('subs', 'paid')).toEqual([any, paid]);
      expect(await db.subscriptions.listForEventType('subs', 'shipped')).toEqual([any]);
      expect(await raw.exists(keys.subscriptionTypesBackfilled('subs'))).toBe(1);
      // Indexed now: a removal takes them out of the index too.
      await db.subscriptions.remove('subs', 'ex_paid');
      expect(await db.subscriptions.listForEventType('subs', 'paid')).toEqual([any]);
      expect(await raw.exists(`${keys.subscriptionsOfType('subs')}paid`)).toBe(0);
    } finally {
      await db.close();
      await raw.quit();
    }
  });

  it('lists the executions stored before the workflow and status indexes existed, and keeps them current', async () => {
    const keys = storageKeys(keyPrefix);
    const raw = new Redis(url);
    const db = await open();
    try {
      const a = await db.workflows.create('acme', {
        name: 'a',
        definition: sampleDefinition('a'),
        spec_version: '1.0.0',
      });
      const b = await db.workflows.create('acme', {
        name: 'b',
        definition: sampleDefinition('b'),
        spec_version: '1.0.0',
      });
      // A millisecond apart: runs started in the same one share a score and sort by id instead.
      const start = async (workflowId: string) => {
        await new Promise((r) => setTimeout(r, 2));
        return db.executions.create('acme', { workflow_id: workflowId, workflow_version: 1, input: {} });
      };
      const a1 = (await start(a.id)).execution;
      const a2 = (await start(a.id)).execution;
      const b1 = (await start(b.id)).execution;
      await db.executions.update('acme', a2.id, { status: 'completed' });
      // As an installation written before the indexes: only by_started, no marker.
      const prefix = keys.executionIndexes('acme');
      const stale = [...(await raw.keys(`${prefix}by_workflow:*`)), ...(await raw.keys(`${prefix}by_status:*`))];
      expect(stale).toHaveLength(7);
      await raw.del(...stale, keys.executionIndexesBackfilled('acme'));
      const reopened = await open();
      try {
        const list = async (query: { workflowId?: string; status?: 'pending' | 'completed' | 'running' }) =>
          (
            await reopened.executions.list('acme', {
              sortBy: 'started_at',
              sortOrder: 'asc',
              offset: 0,
              limit: 10,
              ...query,
            })
          ).items.map((e) => e.id);
        expect(await list({ workflowId: a.id })).toEqual([a1.id, a2.id]);
        expect(await list({ status: 'pending' })).toEqual([a1.id, b1.id]);
        expect(await list({ workflowId: a.id, status: 'completed' })).toEqual([a2.id]);
        expect(await raw.exists(keys.executionIndexesBackfilled('acme'))).toBe(1);
        // A status change moves the run between the status indexes.
        await reopened.executions.update('acme', a1.id, { status: 'running' });
        expect(await list({ workflowId: a.id, status: 'pending' })).toEqual([]);
        expect(await list({ status: 'running' })).toEqual([a1.id]);
        expect(await raw.zcard(`${keys.executionIndexes('acme')}by_status:pending`)).toBe(1);
      } finally {
        await reopened.close();
      }
    } finally {
      await db.close();
      await raw.quit();
    }
  });
});
