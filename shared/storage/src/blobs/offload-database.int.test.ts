// withBlobOffload over the real Postgres database and a filesystem blob store: rows hold
// references (read straight from the tables), callers get the full values back.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database, JsonValue } from '@wormhole/interfaces';
import { NotFoundError, engineEvent, newId } from '@wormhole/interfaces';
import type { TestPostgres } from '../postgres/testing';
import { openTestPostgres } from '../postgres/testing';
import { BlobCodec } from './blob-codec';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { withBlobOffload } from './offload-database';
import { testServersReachable } from '@wormhole/platform';

const THRESHOLD = 1024;
const TENANT = 'acme';
const BIG = { text: 'b'.repeat(5000) };
const REF_SHAPE = { $blob: 'f'.repeat(64), bytes: 1, sha256: 'f'.repeat(64) };

const isRef = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).$blob === 'string';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const describeIf = testServersReachable(['postgres']) ? describe : describe.skip;

describeIf('withBlobOffload on Postgres', () => {
  let pg: TestPostgres;
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    pg = await openTestPostgres();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-offload-'));
    // No cache: every read below goes to the blob store.
    db = withBlobOffload(pg.db, new BlobCodec(await FilesystemBlobStore.create(dir), THRESHOLD, { cacheChars: 0 }));
  });
  afterAll(async () => {
    await pg.cleanup();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const column = async (table: string, name: string, id: string): Promise<JsonValue> =>
    (
      await pg.query<Record<string, JsonValue>>(`SELECT ${name} AS v FROM ${pg.schema}.${table} WHERE id = $1`, [id])
    )[0]!.v!;

  async function newExecution(input: JsonValue): Promise<string> {
    const { execution } = await db.executions.create(TENANT, {
      workflow_id: newId('workflow'),
      workflow_version: 1,
      input,
    });
    expect(execution.input).toEqual(input);
    return execution.id;
  }

  it('stores a large execution input and output as references and returns them in full', async () => {
    const id = await newExecution(BIG);
    expect(isRef(await column('executions', 'input', id))).toBe(true);
    const updated = await db.executions.update(TENANT, id, { status: 'completed', output: [BIG, BIG] });
    expect(updated.output).toEqual([BIG, BIG]);
    expect(isRef(await column('executions', 'output', id))).toBe(true);
    expect(await db.executions.get(TENANT, id)).toMatchObject({ input: BIG, output: [BIG, BIG] });
    const page = await db.executions.list(TENANT, { limit: 100, offset: 0, sortBy: 'started_at', sortOrder: 'asc' });
    expect(page.items.find((e) => e.id === id)).toMatchObject({ input: BIG, output: [BIG, BIG] });
  });

  it('keeps small values inline, and a reference-shaped user value escaped, reading both back exactly', async () => {
    const small = await newExecution({ qty: 1 });
    expect(await column('executions', 'input', small)).toEqual({ qty: 1 });
    const shaped = await newExecution(REF_SHAPE);
    expect(await column('executions', 'input', shaped)).toEqual({ '$blob:escaped': REF_SHAPE });
    expect((await db.executions.get(TENANT, shaped)).input).toEqual(REF_SHAPE);
  });

  it('offloads event payload fields, and lists and appends return full events in order', async () => {
    const executionId = newId('execution');
    const subject = { tenantid: TENANT, workflowid: newId('workflow'), executionid: executionId };
    const started = engineEvent('io.wormhole.execution.started', '/t', subject, { input: BIG, workflow_version: 1 });
    const done = engineEvent('io.wormhole.task.completed', '/t', subject, {
      task_path: '/do/0/a',
      task_name: 'a',
      task_type: 'set',
      attempt: 1,
      output: { small: true },
      context: { big: BIG },
    });
    const appended = await db.events.append(TENANT, executionId, [started, done]);
    expect(appended).toEqual([
      { ...started, sequence: 1 },
      { ...done, sequence: 2 },
    ]);
    const rows = await pg.query<{ payload: Record<string, JsonValue> }>(
      `SELECT payload FROM ${pg.schema}.events WHERE execution_id = $1 ORDER BY sequence`,
      [executionId],
    );
    expect(isRef(rows[0]!.payload.input)).toBe(true);
    expect(rows[1]!.payload.output).toEqual({ small: true });
    expect(isRef(rows[1]!.payload.context)).toBe(true);
    expect(await db.events.list(TENANT, executionId)).toEqual(appended);
    // A duplicate delivery of the same events changes nothing, and is one blob on disk.
    expect(await db.events.append(TENANT, executionId, [started])).toEqual([]);
  });

  it('offloads step runs and snapshots', async () => {
    const executionId = newId('execution');
    const step = {
      id: newId('stepRun'),
      tenant_id: TENANT,
      execution_id: executionId,
      task_name: 'a',
      task_path: '/do/0/a',
      task_type: 'set',
      status: 'completed' as const,
      attempt: 1,
      input: BIG,
      output: 'small',
      started_at: new Date().toISOString(),
    };
    await db.steps.upsert(TENANT, step);
    expect(isRef(await column('step_runs', 'input', step.id))).toBe(true);
    expect(await column('step_runs', 'output', step.id)).toBe('small');
    expect(await db.steps.listByExecution(TENANT, executionId)).toMatchObject([{ input: BIG, output: 'small' }]);

    await db.snapshots.save(TENANT, executionId, { sequence: 3, state: { data: BIG } });
    const raw = await pg.query<{ state: JsonValue }>(
      `SELECT state FROM ${pg.schema}.execution_snapshots WHERE execution_id = $1`,
      [executionId],
    );
    expect(isRef(raw[0]!.state)).toBe(true);
    expect(await db.snapshots.load(TENANT, executionId)).toEqual({ sequence: 3, state: { data: BIG } });
  });

  it('advances in one write: offloads the events and the derived rows, derives from the full events', async () => {
    const executionId = await newExecution({ qty: 1 });
    const subject = { tenantid: TENANT, workflowid: newId('workflow'), executionid: executionId };
    const done = engineEvent('io.wormhole.task.completed', '/t', subject, {
      task_path: '/do/0/a',
      task_name: 'a',
      task_type: 'set',
      attempt: 1,
      output: BIG,
    });
    const seen: JsonValue[] = [];
    const stepId = newId('stepRun');
    const stored = await db.advance(TENANT, executionId, [done], 0, (events) => {
      const output = events[0]!.type === 'io.wormhole.task.completed' ? events[0]!.data.output : null;
      seen.push(output ?? null);
      return {
        steps: [
          {
            id: stepId,
            tenant_id: TENANT,
            execution_id: executionId,
            task_name: 'a',
            task_path: '/do/0/a',
            task_type: 'set',
            status: 'completed',
            attempt: 1,
            output: output ?? null,
            started_at: new Date().toISOString(),
          },
        ],
        logs: [],
        patch: { status: 'completed', output: output ?? null },
      };
    });
    expect(stored).toEqual([{ ...done, sequence: 1 }]);
    expect(seen.every((output) => JSON.stringify(output) === JSON.stringify(BIG))).toBe(true);
    const rows = await pg.query<{ payload: Record<string, JsonValue> }>(
      `SELECT payload FROM ${pg.schema}.events WHERE execution_id = $1`,
      [executionId],
    );
    expect(isRef(rows[0]!.payload.output)).toBe(true);
    expect(isRef(await column('step_runs', 'output', stepId))).toBe(true);
    expect(isRef(await column('executions', 'output', executionId))).toBe(true);
    expect(await db.steps.listByExecution(TENANT, executionId)).toMatchObject([{ output: BIG }]);
    expect(await db.executions.get(TENANT, executionId)).toMatchObject({ status: 'completed', output: BIG });
  });

  it('resolves what the reconciler reads, reports the blob store in health, and fails loudly on a lost blob', async () => {
    const id = await newExecution({ lost: 'l'.repeat(3000) });
    const unfinished = await db.maintenance.findUnfinished(new Date(Date.now() + 60_000).toISOString(), 1000);
    expect(unfinished.find((e) => e.id === id)?.input).toEqual({ lost: 'l'.repeat(3000) });
    expect((await db.health()).map((h) => h.name)).toContain('blobs:fs');

    const ref = (await column('executions', 'input', id)) as { $blob: string };
    await fs.rm(path.join(dir, TENANT, ref.$blob.slice(0, 2), ref.$blob));
    await expect(db.executions.get(TENANT, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
