import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobRef, BlobStore, Database, EngineEvent } from '@wormhole/interfaces';
import { engineEvent, isBlobRef, newId, scheduleCorrelationId } from '@wormhole/interfaces';
import { MemoryLogger } from '@wormhole/platform';
import type { TestBackend } from '../testing';
import { openTestDatabase, testBackends } from '../testing';
import { BlobCollector } from './blob-collector';
import { BLOB_REFRESH_MS, BlobCodec } from './blob-codec';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { S3BlobStore } from './s3-blob-store';
import { withBlobOffload } from './offload-database';

const TENANT = 'acme';
const GRACE_MS = 24 * 3_600_000;
const big = (label: string): { label: string; text: string } => ({ label, text: 'x'.repeat(4000) });

function completed(executionId: string, output: { label: string; text: string }): EngineEvent {
  return engineEvent(
    'io.wormhole.task.completed',
    'wormhole/worker',
    { tenantid: TENANT, workflowid: 'wf', executionid: executionId },
    { task_path: '/do/0/t', task_name: 't', task_type: 'set', attempt: 1, output },
  );
}

/** A blob store under test, with the means to age its blobs and to look at them directly. */
interface StoreCase {
  readonly store: BlobStore;
  /** Makes every blob of the tenant as old as `at`. */
  age(at: Date): Promise<void>;
  exists(key: string): Promise<boolean>;
  cleanup(): Promise<void>;
}

async function fsCase(): Promise<StoreCase> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-gc-'));
  const store = await FilesystemBlobStore.create(dir);
  const fileOf = (key: string): string => path.join(dir, TENANT, key.slice(0, 2), key);
  return {
    store,
    age: async (at) => {
      for await (const blob of store.listStoredBefore(new Date(Date.now() + 1000))) {
        await fs.utimes(fileOf(blob.key), at, at);
      }
    },
    exists: (key) =>
      fs.access(fileOf(key)).then(
        () => true,
        () => false,
      ),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/**
 * An S3BlobStore whose requests an in-memory bucket answers (PUT, GET, DELETE, ListObjectsV2 one
 * page); signing is tested against a verifying stand-in in s3-blob-store.int.test.ts.
 */
function s3Case(): StoreCase {
  const objects = new Map<string, { body: string; at: number }>();
  const bucket = (url: URL): string => decodeURIComponent(url.pathname.replace(/^\/gc-bucket\//, ''));
  const answer = (input: string | URL | Request, init?: RequestInit): Response => {
    const url = new URL(input instanceof Request ? input.url : input);
    const key = bucket(url);
    const method = init?.method ?? 'GET';
    if (method === 'GET' && url.searchParams.get('list-type') === '2') {
      const contents = [...objects]
        .map(
          ([k, o]) =>
            `<Contents><Key>${k}</Key><LastModified>${new Date(o.at).toISOString()}</LastModified></Contents>`,
        )
        .join('');
      return new Response(`<ListBucketResult><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    }
    if (method === 'PUT') {
      objects.set(key, { body: Buffer.from(init?.body as Buffer).toString('utf8'), at: Date.now() });
      return new Response(null, { status: 200 });
    }
    if (method === 'DELETE') {
      objects.delete(key);
      return new Response(null, { status: 204 });
    }
    const object = objects.get(key);
    return object ? new Response(object.body) : new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
  };
  const fakeFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    Promise.resolve(answer(input, init));
  const store = new S3BlobStore(
    {
      endpoint: 'http://s3.test',
      bucket: 'gc-bucket',
      region: 'us-east-1',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
    },
    { fetch: fakeFetch },
  );
  return {
    store,
    age: (at) => {
      for (const object of objects.values()) object.at = at.getTime();
      return Promise.resolve();
    },
    exists: (key) => Promise.resolve(objects.has(`${TENANT}/${key}`)),
    cleanup: () => Promise.resolve(),
  };
}

const cases: [string, TestBackend, () => Promise<StoreCase>][] = [
  ...testBackends().map((backend): [string, TestBackend, () => Promise<StoreCase>] => ['fs', backend, fsCase]),
  ['s3', 'embedded', () => Promise.resolve(s3Case())],
];

describe.each(cases)('BlobCollector with the %s store on %s', (_store, backend, openStore) => {
  let opened: { db: Database; cleanup(): Promise<void> };
  let blobs: StoreCase;
  let store: BlobStore;
  let db: Database;

  beforeAll(async () => {
    opened = await openTestDatabase(backend);
    blobs = await openStore();
    store = blobs.store;
    db = withBlobOffload(opened.db, new BlobCodec(store, 1024, { cacheChars: 0 }));
  });
  afterAll(async () => {
    await opened.cleanup();
    await blobs.cleanup();
  });

  /** Every blob of the tenant made as old as a day and a bit. */
  const age = (): Promise<void> => blobs.age(new Date(Date.now() - GRACE_MS - 60_000));
  /** The key the codec stores a value under: the SHA-256 of its JSON. */
  const keyOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
  const exists = (key: string): Promise<boolean> => blobs.exists(key);
  const refOf = async (value: unknown): Promise<BlobRef> => {
    const ref = await store.put(TENANT, JSON.stringify(value), 'application/json');
    expect(isBlobRef(ref)).toBe(true);
    return ref;
  };

  it('deletes the old blobs no stored record references, and keeps the referenced and the recent', async () => {
    const workflow = await db.workflows.create(TENANT, {
      name: 'gc',
      spec_version: '1.0.0',
      definition: { document: { dsl: '1.0.0', namespace: 't', name: 'gc', version: '1.0.0' }, do: [] },
    });
    const { execution } = await db.executions.create(TENANT, {
      workflow_id: workflow.id,
      workflow_version: 1,
      input: big('input'),
    });
    await db.steps.upsert(TENANT, {
      id: newId('stepRun'),
      tenant_id: TENANT,
      execution_id: execution.id,
      task_name: 't',
      task_path: '/do/0/t',
      task_type: 'set',
      status: 'completed',
      attempt: 1,
      output: big('step'),
      started_at: new Date().toISOString(),
    });
    await db.events.append(TENANT, execution.id, [completed(execution.id, big('event'))]);
    await db.snapshots.save(TENANT, execution.id, { sequence: 1, state: big('first state') });
    await db.snapshots.save(TENANT, execution.id, { sequence: 2, state: big('second state') });
    const correlation = scheduleCorrelationId(workflow.id, 1);
    await db.events.append(TENANT, correlation, [completed(correlation, big('correlation'))]);
    // Left behind: stored, then the write failed, or only a stream message held it.
    const orphan = await refOf(big('orphan'));
    await age();
    const recent = await refOf(big('recent orphan'));
    const [input, step, event, replaced, state, correlated] = [
      'input',
      'step',
      'event',
      'first state',
      'second state',
      'correlation',
    ].map((label) => keyOf(big(label)));

    const collector = new BlobCollector(opened.db, store, new MemoryLogger(), GRACE_MS);
    expect(await collector.collect()).toEqual({ candidates: 7, deleted: 2 });
    expect(await exists(orphan.$blob)).toBe(false);
    expect(await exists(replaced!)).toBe(false);
    expect(await exists(recent.$blob)).toBe(true);
    for (const key of [input, step, event, state, correlated]) expect(await exists(key!)).toBe(true);
    // What the records hold still reads back whole.
    expect((await db.executions.get(TENANT, execution.id)).input).toEqual(big('input'));

    // Deleting the workflow deletes its correlation history, and the next collection its blob.
    await db.workflows.delete(TENANT, workflow.id);
    expect(await collector.collect()).toMatchObject({ deleted: 1 });
    expect(await exists(correlated!)).toBe(false);
    expect(await exists(input!)).toBe(true);
  });

  it('refuses a grace period shorter than twice the codec’s refresh', () => {
    expect(() => new BlobCollector(opened.db, store, new MemoryLogger(), 2 * BLOB_REFRESH_MS - 1)).toThrow(RangeError);
  });
});
