import { testServersReachable } from '@wormhole/platform';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { MemoryLogger } from '@wormhole/platform';
import { loadMigrations, migrate } from './migrate';
import { poolConfig } from './pool';
import { TEST_POSTGRES } from './testing';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const reachable = testServersReachable(['postgres']);
const describeIf = reachable ? describe : describe.skip;

const admin = new Pool({ ...poolConfig(TEST_POSTGRES), max: 2 });
const pools: Pool[] = [];
const schemas: string[] = [];

function freshSchema(): string {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

function newPool(): Pool {
  const pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 2 });
  pools.push(pool);
  return pool;
}

interface LedgerRow {
  id: number;
  name: string;
  checksum: string;
}

async function ledger(schema: string): Promise<LedgerRow[]> {
  return (await admin.query<LedgerRow>(`SELECT id, name, checksum FROM "${schema}".migrations ORDER BY id`)).rows;
}

if (reachable) {
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(pools.map((p) => p.end()));
    await admin.end();
  });
}

describeIf('postgres migrate', () => {
  it('finds the package migrations, numbered and in order', async () => {
    const files = await loadMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]).toMatchObject({ id: 1, name: '000001_initial.sql' });
    expect(files.map((f) => f.id)).toEqual([...files.map((f) => f.id)].sort((a, b) => a - b));
  });

  it('creates the schema, applies every file once and records it in the ledger', async () => {
    const schema = freshSchema();
    const pool = newPool();
    const files = await loadMigrations();
    const logger = new MemoryLogger();
    expect(await migrate(pool, schema, { logger })).toEqual(files.map((f) => f.name));
    expect(await ledger(schema)).toEqual(files.map((f) => ({ id: f.id, name: f.name, checksum: f.checksum })));
    expect(logger.lines.filter((l) => l.message === 'applied postgres migration')).toHaveLength(files.length);
    expect(await migrate(pool, schema)).toEqual([]);
    const tables = await admin.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['workflows', 'workflow_versions', 'executions', 'events', 'audit_events', 'migrations']),
    );
  });

  it('applies each migration exactly once when several processes migrate at the same time', async () => {
    const schema = freshSchema();
    const files = await loadMigrations();
    const results = await Promise.all([newPool(), newPool(), newPool()].map((pool) => migrate(pool, schema)));
    expect(results.flat().sort()).toEqual(files.map((f) => f.name).sort());
    // With more than one file the migrators may take turns (one applies 000001, another 000002):
    // what matters is that no file was applied twice, which the sorted union above shows.
    expect(new Set(results.flat()).size).toBe(files.length);
    expect((await ledger(schema)).map((row) => row.id)).toEqual(files.map((f) => f.id));
  });

  it('rolls a failing migration back whole and leaves the ones before it applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wormhole-migrations-'));
    try {
      await writeFile(path.join(dir, '000001_first.sql'), 'CREATE TABLE first (id int);');
      await writeFile(path.join(dir, '000002_broken.sql'), 'CREATE TABLE second (id int);\nSELECT 1 / 0;');
      const schema = freshSchema();
      const pool = newPool();
      await expect(migrate(pool, schema, { directory: dir })).rejects.toThrow(/division by zero/);
      expect((await ledger(schema)).map((row) => row.name)).toEqual(['000001_first.sql']);
      const tables = await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
        schema,
      ]);
      expect(tables.rows.map((r: { table_name: string }) => r.table_name).sort()).toEqual(['first', 'migrations']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database migrated by a newer build', async () => {
    const schema = freshSchema();
    const pool = newPool();
    await migrate(pool, schema);
    await admin.query(
      `INSERT INTO "${schema}".migrations (id, name, checksum) VALUES (999999, '999999_future.sql', 'x')`,
    );
    await expect(migrate(pool, schema)).rejects.toThrow(/999999_future\.sql.*newer/);
  });

  it('warns when an applied migration file was edited afterwards', async () => {
    const schema = freshSchema();
    const pool = newPool();
    await migrate(pool, schema);
    await admin.query(`UPDATE "${schema}".migrations SET checksum = 'edited' WHERE id = 1`);
    const logger = new MemoryLogger();
    expect(await migrate(pool, schema, { logger })).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'postgres migration changed after it was applied' }),
    );
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(migrate(newPool(), 'x"; DROP TABLE y; --')).rejects.toThrow(/POSTGRES_SCHEMA/);
  });
});
