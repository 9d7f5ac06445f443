import { testServersReachable } from '@wormhole/platform';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { EngineEvent, StepRun } from '@wormhole/interfaces';
import { UnavailableError, ValidationError, newId } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { PostgresDatabase } from './postgres-database';
import { scheduledWorkflowsSql } from './maintenance-repository';
import { poolConfig, withTransaction } from './pool';
import { tablesFor } from './sql-names';
import type { TestPostgres } from './testing';
import { TEST_POSTGRES, openTestPostgres } from './testing';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const reachable = testServersReachable(['postgres']);
const describeIf = reachable ? describe : describe.skip;

const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
const definition = (name: string): { document: { dsl: string; name: string }; do: never[] } => ({
  document: { dsl: '1.0.0', name },
  do: [],
});
const tenant = (): string => `t-${randomUUID().slice(0, 8)}`;

function event(tenantId: string, executionId: string, n: number): EngineEvent {
  return {
    specversion: '1.0',
    id: newId('event'),
    source: 'test',
    type: 'io.wormhole.timer.fired',
    tenantid: tenantId,
    workflowid: 'wf_x',
    executionid: executionId,
    data: { task_path: `/do/${n}/wait`, task_name: 'wait', task_type: 'wait', timer_id: `tm${n}` },
  };
}

let pg: TestPostgres;
const t = (name: string): string => `"${pg.schema}".${name}`;

if (reachable) {
  beforeAll(async () => {
    pg = await openTestPostgres();
  });
}

if (reachable) {
  afterAll(async () => {
    await pg.cleanup();
  });
}

describeIf('postgres schema', () => {
  it('keeps workflow versions immutable and exactly one of them active', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, { name: 'v', definition: definition('v1'), spec_version: '1.0.0' });
    await pg.db.workflows.update(id, wf.id, { definition: definition('v2') });
    await pg.db.workflows.update(id, wf.id, { definition: definition('v3') });
    const versions = await pg.query<{ version: number; is_active: boolean }>(
      `SELECT version, is_active FROM ${t('workflow_versions')} WHERE tenant_id = $1 ORDER BY version`,
      [id],
    );
    expect(versions).toEqual([
      { version: 1, is_active: false },
      { version: 2, is_active: false },
      { version: 3, is_active: true },
    ]);
    await expect(
      pg.query(`UPDATE ${t('workflow_versions')} SET spec = '{}' WHERE tenant_id = $1 AND version = 1`, [id]),
    ).rejects.toThrow(/immutable/);
    await expect(
      pg.query(`UPDATE ${t('workflow_versions')} SET version = 7 WHERE tenant_id = $1 AND version = 2`, [id]),
    ).rejects.toThrow(/immutable/);
    expect(await pg.db.workflows.getVersion(id, wf.id, 1)).toEqual(definition('v1'));
  });

  it("finds the scheduler's workflows through the partial index on scheduled current versions", async () => {
    const pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
    try {
      await pool.query('SET enable_seqscan = off');
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${scheduledWorkflowsSql(tablesFor(pg.schema))}`);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('workflow_versions_scheduled_idx');
    } finally {
      await pool.end();
    }
  });

  it('writes an audit row for every workflow change', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, {
      name: 'audited',
      definition: definition('a'),
      spec_version: '1.0.0',
      created_by: 'alice',
    });
    await pg.db.workflows.update(id, wf.id, { description: 'x', tags: ['t'] });
    await pg.db.workflows.update(id, wf.id, { definition: definition('b') });
    await pg.db.workflows.delete(id, wf.id);
    const rows = await pg.query(
      `SELECT resource_type, resource_id, action, actor, version, changed_fields FROM ${t('audit_events')}
       WHERE tenant_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows).toEqual([
      {
        resource_type: 'workflow',
        resource_id: wf.id,
        action: 'created',
        actor: 'alice',
        version: 1,
        changed_fields: ['name', 'definition', 'spec_version'],
      },
      {
        resource_type: 'workflow',
        resource_id: wf.id,
        action: 'updated',
        actor: null,
        version: 1,
        changed_fields: ['description', 'tags'],
      },
      {
        resource_type: 'workflow',
        resource_id: wf.id,
        action: 'updated',
        actor: null,
        version: 2,
        changed_fields: ['definition'],
      },
      { resource_type: 'workflow', resource_id: wf.id, action: 'deleted', actor: null, version: 2, changed_fields: [] },
    ]);
  });

  it('writes no audit row when the change itself fails', async () => {
    const id = tenant();
    await expect(pg.db.workflows.update(id, 'wf_missing', { name: 'x' })).rejects.toThrow(/not found/);
    expect(await pg.query(`SELECT 1 FROM ${t('audit_events')} WHERE tenant_id = $1`, [id])).toEqual([]);
  });

  it('maintains a full-text vector over name and description, GIN-indexed like the tags', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, {
      name: 'Order processing',
      description: 'Ships PARCELS',
      definition: definition('fts'),
      spec_version: '1.0.0',
    });
    const hits = await pg.query<{ id: string }>(
      `SELECT id FROM ${t('workflows')} WHERE tenant_id = $1 AND search_vector @@ plainto_tsquery('simple', $2)`,
      [id, 'order parcels'],
    );
    expect(hits).toEqual([{ id: wf.id }]);
    const gin = await pg.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%' ORDER BY indexname`,
      [pg.schema],
    );
    expect(gin.map((r) => r.indexname)).toEqual(['workflows_search_idx', 'workflows_tags_idx']);
  });

  it('registers the tenant on its first write and keeps executions of a deleted workflow', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, { name: 'w', definition: definition('w'), spec_version: '1.0.0' });
    expect(await pg.query(`SELECT id FROM ${t('tenants')} WHERE id = $1`, [id])).toEqual([{ id }]);
    const { execution } = await pg.db.executions.create(id, { workflow_id: wf.id, workflow_version: 1, input: {} });
    await pg.db.workflows.delete(id, wf.id);
    expect(await pg.db.executions.get(id, execution.id)).toEqual(execution);
    const other = tenant();
    await pg.db.executions.create(other, { workflow_id: 'wf_elsewhere', workflow_version: 1, input: 1 });
    expect(await pg.query(`SELECT id FROM ${t('tenants')} WHERE id = $1`, [other])).toEqual([{ id: other }]);
  });

  it('stores timestamps at millisecond precision, so they compare equal to what clients saw', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, { name: 'ms', definition: definition('ms'), spec_version: '1.0.0' });
    const [row] = await pg.query<{ micros: string }>(
      `SELECT (extract(microseconds FROM created_at)::bigint % 1000)::text AS micros FROM ${t('workflows')}
       WHERE tenant_id = $1`,
      [id],
    );
    expect(row).toEqual({ micros: '0' });
    const page = await pg.db.workflows.list(id, {
      limit: 10,
      offset: 0,
      sortBy: 'created_at',
      sortOrder: 'asc',
      createdFrom: wf.created_at,
      createdTo: wf.created_at,
    });
    expect(page.total).toBe(1);
  });

  it('moves updated_at forward even for updates within one millisecond', async () => {
    const id = tenant();
    const wf = await pg.db.workflows.create(id, { name: 'u', definition: definition('u'), spec_version: '1.0.0' });
    let previous = wf.updated_at;
    for (let i = 0; i < 5; i++) {
      const next = await pg.db.workflows.update(id, wf.id, { description: `d${i}` });
      expect(next.updated_at > previous).toBe(true);
      previous = next.updated_at;
    }
  });

  it('numbers each execution history on its own, per tenant', async () => {
    const a = tenant();
    const b = tenant();
    const ex = newId('execution');
    await pg.db.events.append(a, ex, [event(a, ex, 1), event(a, ex, 2)]);
    const theirs = await pg.db.events.append(b, ex, [event(b, ex, 1)]);
    expect(theirs.map((e) => e.sequence)).toEqual([1]);
    const row = await pg.query(`SELECT type, time, payload FROM ${t('events')} WHERE tenant_id = $1`, [b]);
    expect(row).toEqual([{ type: 'io.wormhole.timer.fired', time: null, payload: theirs[0]!.data }]);
  });

  it('rejects rows addressed to another tenant', async () => {
    const a = tenant();
    const ex = newId('execution');
    await expect(pg.db.events.append(a, ex, [event('someone-else', ex, 1)])).rejects.toBeInstanceOf(ValidationError);
    await expect(pg.db.events.append(a, ex, [event(a, 'ex_other', 1)])).rejects.toBeInstanceOf(ValidationError);
    await expect(
      pg.db.logs.append(a, [
        { tenant_id: 'b', execution_id: ex, level: 'info', message: 'm', timestamp: new Date().toISOString() },
      ]),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await pg.db.events.list(a, ex)).toEqual([]);
  });

  it('keeps separate runs of one task and attempt (loop iterations) as separate rows', async () => {
    const id = tenant();
    const ex = newId('execution');
    const step: StepRun = {
      id: newId('stepRun'),
      tenant_id: id,
      execution_id: ex,
      task_name: 'a',
      task_path: '/do/0/a',
      task_type: 'set',
      status: 'running',
      attempt: 1,
      started_at: new Date().toISOString(),
    };
    const again: StepRun = { ...step, id: newId('stepRun'), started_at: new Date(Date.now() + 5).toISOString() };
    await pg.db.steps.upsert(id, step);
    await pg.db.steps.upsert(id, again);
    expect(await pg.db.steps.listByExecution(id, ex)).toEqual([step, again]);
  });

  it('writes upserts and log appends of one turn together: the last upsert of a step wins, a bad row fails alone', async () => {
    const id = tenant();
    const ex = newId('execution');
    const step: StepRun = {
      id: newId('stepRun'),
      tenant_id: id,
      execution_id: ex,
      task_name: 'a',
      task_path: '/do/0/a',
      task_type: 'set',
      status: 'running',
      attempt: 1,
      started_at: new Date().toISOString(),
    };
    const done: StepRun = { ...step, status: 'completed', output: { ok: true }, completed_at: step.started_at };
    const other: StepRun = {
      ...step,
      id: newId('stepRun'),
      task_name: 'b',
      started_at: new Date(Date.now() + 5).toISOString(),
    };
    // An attempt below 1 breaks a CHECK constraint: it fails the shared statement, then alone.
    const bad: StepRun = { ...step, id: newId('stepRun'), attempt: 0 };
    const line = (message: string) => ({
      tenant_id: id,
      execution_id: ex,
      level: 'info' as const,
      message,
      timestamp: new Date().toISOString(),
    });
    const results = await Promise.allSettled([
      pg.db.steps.upsert(id, step),
      pg.db.steps.upsert(id, bad),
      pg.db.steps.upsert(id, done),
      pg.db.steps.upsert(id, other),
      pg.db.logs.append(id, [line('one'), line('two')]),
      pg.db.logs.append(id, [line('three')]),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await pg.db.steps.listByExecution(id, ex)).toEqual([done, other]);
    expect((await pg.db.logs.list(id, ex)).map((l) => l.message)).toEqual(['one', 'two', 'three']);
  });

  it('turns bad filter values into a ValidationError', async () => {
    await expect(
      pg.db.executions.list(tenant(), {
        limit: 1,
        offset: 0,
        sortBy: 'started_at',
        sortOrder: 'asc',
        startedFrom: 'soon',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describeIf('postgres connections', () => {
  it('fails to open with UnavailableError when the server cannot be reached', async () => {
    const error = await PostgresDatabase.create({ ...TEST_POSTGRES, port: 1, schema: 'unreachable' }, deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnavailableError);
  });

  it('reports UnavailableError and an unhealthy backend once closed', async () => {
    const extra = await openTestPostgres();
    await extra.db.close();
    await expect(extra.db.workflows.get('x', 'wf_x')).rejects.toBeInstanceOf(UnavailableError);
    await expect(extra.db.events.append('x', 'ex', [event('x', 'ex', 1)])).rejects.toBeInstanceOf(UnavailableError);
    expect(await extra.db.health()).toEqual([expect.objectContaining({ name: 'postgres', ok: false })]);
    await extra.cleanup();
  });

  it('works on a single-connection pool (the PGlite rule): no query waits for a checked-out client', async () => {
    const pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
    const db = await PostgresDatabase.fromPool(pool, pg.schema, deps);
    try {
      const id = tenant();
      const wf = await db.workflows.create(id, { name: 'one', definition: definition('one'), spec_version: '1.0.0' });
      const ex = newId('execution');
      const work = await Promise.all([
        ...Array.from({ length: 4 }, (_, i) => db.workflows.update(id, wf.id, { definition: definition(`n${i}`) })),
        ...Array.from({ length: 4 }, (_, i) => db.events.append(id, ex, [event(id, ex, i)])),
        db.workflows.list(id, { limit: 5, offset: 0, sortBy: 'name', sortOrder: 'asc' }),
        db.executions.create(id, { workflow_id: wf.id, workflow_version: 1, input: {}, idempotency_key: 'k' }),
        db.workflows.delete(id, 'wf_missing').catch(() => 'not found'),
      ]);
      expect(work).toHaveLength(11);
      expect((await db.workflows.get(id, wf.id)).version).toBe(5);
      expect((await db.events.list(id, ex)).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    } finally {
      await db.close();
    }
  });

  it('turns a connection terminated inside a transaction into UnavailableError, and the pool works on', async () => {
    const pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
    const admin = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
    try {
      const failure = await withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        // The termination arrives while no statement runs: the client emits 'error', which
        // would end the process if nobody listened.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return tx.query('SELECT 1');
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnavailableError);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      await admin.end();
    }
  });

  it('leaves a borrowed pool open when told it does not own it', async () => {
    const pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
    const db = await PostgresDatabase.fromPool(pool, pg.schema, deps, { migrate: false, ownsPool: false });
    await db.close();
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });
});
