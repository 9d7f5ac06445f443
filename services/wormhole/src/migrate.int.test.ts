import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { MemoryLogger, testServersReachable } from '@wormhole/platform';
import { TEST_POSTGRES, TEST_POSTGRES_URL, poolConfig } from '@wormhole/storage';
import { runMigrate } from './migrate';

// Skipped (and listed at the end of the run) when Postgres is unreachable.
const describeIf = testServersReachable(['postgres']) ? describe : describe.skip;

describeIf('wormhole migrate', () => {
  const schema = `mig_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
  let blobDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    blobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-migrate-'));
    env = {
      DATABASE_TYPE: 'postgres',
      POSTGRES_URL: TEST_POSTGRES_URL,
      POSTGRES_SCHEMA: schema,
      EVENT_STREAM_TYPE: 'postgres',
      BLOB_DIR: blobDir,
    };
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await fs.rm(blobDir, { recursive: true, force: true });
  });

  const tables = async (): Promise<string[]> =>
    (
      await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      )
    ).rows.map((r) => r.table_name);

  it('creates the data tables, the stream tables and the timers table, and is idempotent', async () => {
    const logger = new MemoryLogger();
    expect(await runMigrate(env, logger)).toBe(0);
    expect(await tables()).toEqual(
      expect.arrayContaining(['workflows', 'executions', 'events', 'step_runs', 'stream_messages', 'timers']),
    );
    const before = await tables();
    expect(await runMigrate(env, logger)).toBe(0);
    expect(await tables()).toEqual(before);
  });

  it('exits 2 on invalid configuration and 1 when a backend cannot be reached, saying why', async () => {
    const logger = new MemoryLogger();
    expect(await runMigrate({ DATABASE_TYPE: 'oracle' }, logger)).toBe(2);
    expect(
      await runMigrate(
        { ...env, POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/test', EVENT_STREAM_TYPE: 'redis' },
        logger,
      ),
    ).toBe(1);
    expect(logger.lines.map((l) => `${l.message} ${String(l.fields.err)}`).join('\n')).toMatch(/DATABASE_TYPE/);
  });
});
