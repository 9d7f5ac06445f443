import { testServersReachable } from '@wormhole/platform';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { MemoryLogger } from '@wormhole/platform';
import { loadMigrations, poolConfig, TEST_POSTGRES } from '../postgres';
import { runMigrate } from './migrate';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const reachable = testServersReachable(['postgres']);
const describeIf = reachable ? describe : describe.skip;

const admin = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
const schema = `t_${randomBytes(6).toString('hex')}`;
const env = {
  DATABASE_TYPE: 'postgres',
  DATABASE_HOST: TEST_POSTGRES.host,
  DATABASE_PORT: String(TEST_POSTGRES.port),
  POSTGRES_DATABASE: TEST_POSTGRES.database,
  POSTGRES_USERNAME: TEST_POSTGRES.user,
  POSTGRES_SCHEMA: schema,
};

async function schemaExists(name: string): Promise<boolean> {
  return (await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).rowCount === 1;
}

if (reachable) {
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
}

describeIf('migrate CLI', () => {
  it('migrates the configured schema, then finds nothing left to do', async () => {
    const logger = new MemoryLogger();
    expect(await runMigrate(env, logger)).toBe(0);
    const files = await loadMigrations();
    const done = logger.lines.find((l) => l.message === 'postgres schema is up to date');
    expect(done?.fields).toMatchObject({ schema, applied: files.map((f) => f.name) });
    const again = new MemoryLogger();
    expect(await runMigrate(env, again)).toBe(0);
    expect(again.lines.find((l) => l.message === 'postgres schema is up to date')?.fields).toMatchObject({
      applied: [],
    });
  });

  it('exits non-zero and logs why when the server cannot be reached', async () => {
    const logger = new MemoryLogger();
    expect(await runMigrate({ ...env, DATABASE_PORT: '1' }, logger)).toBe(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'postgres migration failed' }),
    );
  });

  it('exits non-zero on invalid settings', async () => {
    const logger = new MemoryLogger();
    expect(await runMigrate({ ...env, POSTGRES_SCHEMA: 'Bad-Name' }, logger)).not.toBe(0);
    expect(logger.lines[0]).toMatchObject({ level: 'error', message: 'invalid storage configuration' });
  });

  it('does nothing for a backend without SQL migrations', async () => {
    const other = `t_${randomBytes(6).toString('hex')}`;
    const logger = new MemoryLogger();
    expect(await runMigrate({ ...env, DATABASE_TYPE: 'redis', POSTGRES_SCHEMA: other }, logger)).toBe(0);
    expect(await schemaExists(other)).toBe(false);
  });
});
