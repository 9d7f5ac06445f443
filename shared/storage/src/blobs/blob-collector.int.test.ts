import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobRef, Database, EngineEvent } from '@wormhole/interfaces';
import { engineEvent, isBlobRef, newId, scheduleCorrelationId } from '@wormhole/interfaces';
import { MemoryLogger } from '@wormhole/platform';
import type { TestBackend } from '../testing';
import { openTestDatabase, testBackends } from '../testing';
import { BlobCollector } from './blob-collector';
import { BLOB_REFRESH_MS, BlobCodec } from './blob-codec';
import { FilesystemBlobStore } from './filesystem-blob-store';
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

describe.each(testBackends())('BlobCollector on %s with a filesystem store', (backend: TestBackend) => {
  let opened: { db: Database; cleanup(): Promise<void> };
  let dir: string;
  let store: FilesystemBlobStore;
  let db: Database;

  beforeAll(async () => {
    opened = await openTestDatabase(backend);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-gc-'));
    store = await FilesystemBlobStore.create(dir);
    db = withBlobOffload(opened.db, new BlobCodec(store, 1024, { cacheChars: 0 }));
  });
  afterAll(async () => {
    await opened.cleanup();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const fileOf = (key: string): string => path.join(dir, TENANT, key.slice(0, 2), key);
  /** Every blob of the tenant made as old as a day and a bit. */
  const age = async (): Promise<void> => {
    const old = new Date(Date.now() - GRACE_MS - 60_000);
    for await (const blob of store.listStoredBefore(new Date(Date.now() + 1000))) {
      await fs.utimes(fileOf(blob.key), old, old);
    }
  };
  /** The key the codec stores a value under: the SHA-256 of its JSON. */
  const keyOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
  const exists = (key: string): Promise<boolean> =>
    fs.access(fileOf(key)).then(
      () => true,
      () => false,
    );
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
