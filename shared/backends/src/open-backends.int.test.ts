import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StreamMessage } from '@wormhole/interfaces';
import { executionStartedEvent, newId } from '@wormhole/interfaces';
import type { TestServer } from '@wormhole/platform';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import {
  TEST_POSTGRES_URL,
  deleteTestRedisKeys,
  dropTestSchema,
  loadBlobConfig,
  loadStorageConfig,
  makeTempDataDir,
} from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import type { Backends } from './open-backends';
import { openBackends } from './open-backends';

const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };

interface Setup {
  readonly name: string;
  readonly servers: readonly TestServer[];
  readonly backend: string;
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

function open(env: Record<string, string>, options: { blobs?: boolean } = {}): Promise<Backends> {
  const storage = loadStorageConfig(env);
  const transport = loadTransportConfig(env, storage.type);
  return openBackends({ storage, transport, ...(options.blobs ? { blobs: loadBlobConfig(env, storage) } : {}) }, deps);
}

function embedded(): Setup {
  let dir = '';
  return {
    name: 'embedded database, stream and timers in one data directory',
    servers: [],
    backend: 'embedded',
    env: async () => {
      dir = await makeTempDataDir();
      return { WORMHOLE_DATA_DIR: dir };
    },
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

function postgres(streamType: 'postgres' | 'redis'): Setup {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const prefix = `test:${schema}:`;
  return {
    name: `postgres database, ${streamType} stream and timers`,
    servers: ['postgres', 'redis'],
    backend: 'postgres',
    env: () =>
      Promise.resolve({
        DATABASE_TYPE: 'postgres',
        POSTGRES_URL: TEST_POSTGRES_URL,
        POSTGRES_SCHEMA: schema,
        EVENT_STREAM_TYPE: streamType,
        REDIS_KEY_PREFIX: prefix,
      }),
    cleanup: async () => {
      await dropTestSchema(schema);
      await deleteTestRedisKeys(prefix);
    },
  };
}

const setups = [embedded(), postgres('postgres'), postgres('redis')].filter((s) => testServersReachable(s.servers));

describe.each(setups)('openBackends: $name', (setup) => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = await setup.env();
  });
  afterAll(() => setup.cleanup());

  it('opens the selected database, delivers published events to a group and fires due timers', async () => {
    const backends = await open(env);
    try {
      expect(backends.db.backend).toBe(setup.backend);
      const received: StreamMessage[] = [];
      const subscription = backends.stream.subscribe({ group: 'probe', consumer: 'c1' }, (message) => {
        received.push(message);
        return Promise.resolve();
      });
      const execution = {
        id: newId('execution'),
        tenant_id: 'acme',
        workflow_id: newId('workflow'),
        workflow_version: 1,
        input: 1,
      };
      await backends.stream.publish(executionStartedEvent(execution, '/test'));
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await subscription.close();
      expect(received.map((m) => m.event.executionid)).toEqual([execution.id]);

      const timers = await backends.timers();
      expect(await backends.timers()).toBe(timers);
      const timer = {
        id: `tm_${randomUUID()}`,
        tenantId: 'acme',
        workflowId: execution.workflow_id,
        executionId: execution.id,
        taskPath: '/do/0/nap',
        taskName: 'nap',
        dueAt: Date.now() - 1,
      };
      await timers.schedule(timer);
      expect((await timers.claimDue(Date.now(), 10, 1000)).map((t) => t.id)).toEqual([timer.id]);
      await timers.complete([timer.id]);
      expect(await timers.nextDueAt()).toBeUndefined();
    } finally {
      await backends.close();
      await backends.close();
    }
  });

  it('with a blob store: large payloads go out of line, subscribers and readers get them in full', async () => {
    const blobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-backends-blobs-'));
    const backends = await open({ ...env, BLOB_DIR: blobDir, BLOB_THRESHOLD_BYTES: '1024' }, { blobs: true });
    try {
      const input = { text: 'p'.repeat(5000) };
      const { execution } = await backends.db.executions.create('acme', {
        workflow_id: newId('workflow'),
        workflow_version: 1,
        input,
      });
      expect((await backends.db.executions.get('acme', execution.id)).input).toEqual(input);
      const received: StreamMessage[] = [];
      const subscription = backends.stream.subscribe({ group: 'probe-blobs', consumer: 'c1' }, (message) => {
        received.push(message);
        return Promise.resolve();
      });
      await backends.stream.publish(executionStartedEvent(execution, '/test'));
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await subscription.close();
      expect(received.map((m) => m.event.data)).toEqual([{ input, workflow_version: 1 }]);
      // One blob: the row and the event hold the same content, stored once.
      const files = (await fs.readdir(blobDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      expect(files).toHaveLength(1);
      expect((await backends.db.health()).map((h) => h.name)).toContain('blobs:fs');
    } finally {
      await backends.close();
      await fs.rm(blobDir, { recursive: true, force: true });
    }
  });

  it('keeps definitions and unfired timers across a close and reopen', async () => {
    const first = await open(env);
    const workflow = await first.db.workflows.create('acme', {
      name: 'kept',
      spec_version: '1.0.0',
      definition: { document: { dsl: '1.0.0', namespace: 'd', name: 'kept', version: '1.0.0' }, do: [] },
    });
    const timers = await first.timers();
    const timer = {
      id: `tm_${randomUUID()}`,
      tenantId: 'acme',
      workflowId: workflow.id,
      executionId: newId('execution'),
      taskPath: '/do/0/nap',
      taskName: 'nap',
      dueAt: Date.now() + 60_000,
    };
    await timers.schedule(timer);
    await first.close();

    const second = await open(env);
    try {
      expect((await second.db.workflows.get('acme', workflow.id)).name).toBe('kept');
      expect(await (await second.timers()).nextDueAt()).toBe(timer.dueAt);
    } finally {
      await second.close();
    }
  });
});

describe('openBackends configuration', () => {
  it('refuses an embedded stream without the embedded database, naming the variable', () => {
    expect(() => loadTransportConfig({ EVENT_STREAM_TYPE: 'embedded' }, 'postgres')).toThrow(/EVENT_STREAM_TYPE/);
  });

  it('defaults to the embedded database and stream when nothing is configured', () => {
    const storage = loadStorageConfig({});
    expect(storage.type).toBe('embedded');
    expect(loadTransportConfig({}, storage.type).type).toBe('embedded');
    expect(loadTransportConfig({}, 'postgres').type).toBe('redis');
  });
});
