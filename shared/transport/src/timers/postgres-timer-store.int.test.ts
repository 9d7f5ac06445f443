import { testServersReachable } from '@wormhole/platform';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type * as PGliteModule from '@electric-sql/pglite';
import type * as NodePostgresAdapter from '@electric-sql/pglite/dist/node-postgres/index';
import { Pool } from 'pg';
import { PostgresTimerStore } from './postgres-timer-store';
import { timerStoreContract } from './timer-store.contract';

// Real Postgres, a pool of several connections (so claims really run concurrently), a random schema.
timerStoreContract(
  'postgres',
  async () => {
    const schema = `wh_timers_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
    const store = await PostgresTimerStore.create(pool, schema);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await pool.end();
      },
    };
  },
  ['postgres'],
);

(testServersReachable(['postgres']) ? describe : describe.skip)('PostgresTimerStore on Postgres', () => {
  const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
  const schema = `wh_timers_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('creates its table once when several processes start together, and keeps timers across stores', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresTimerStore.create(pool, schema)));
    await stores[0]!.schedule({
      id: 'kept',
      tenantId: 'acme',
      workflowId: 'wf',
      executionId: 'ex',
      taskPath: '/do/0/wait',
      taskName: 'wait',
      dueAt: 10,
    });
    expect((await stores[1]!.claimDue(11, 1, 1000)).map((t) => t.id)).toEqual(['kept']);
    await stores[3]!.close();
    await expect(stores[3]!.nextDueAt()).rejects.toThrow(/closed/);
    expect(await stores[0]!.nextDueAt()).toBe(1011);
  });
});

/**
 * The same contract on PGlite through its pg adapter, with a pool of one connection as in the
 * embedded mode: one engine in a temporary data directory for the file, a fresh schema per store.
 */
describe('on PGlite', () => {
  let engine: { pglite: PGlite; pool: Pool; dir: string } | undefined;
  const pglite = async (): Promise<{ pglite: PGlite; pool: Pool; dir: string }> => {
    if (!engine) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-timers-'));
      const db = await loadPGlite().PGlite.create(dir);
      engine = { pglite: db, pool: new Pool({ ...loadAdapter().createPgConfig(db), max: 1 }), dir };
    }
    return engine;
  };
  afterAll(async () => {
    if (!engine) return;
    await engine.pool.end();
    await engine.pglite.close();
    await fs.rm(engine.dir, { recursive: true, force: true });
  });

  timerStoreContract('pglite', async () => {
    const { pool } = await pglite();
    const schema = `wh_timers_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const store = await PostgresTimerStore.create(pool, schema);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  });
});

// As the embedded storage loads it: through Node's own loader, because PGlite's start-up uses a
// dynamic import() that jest's vm context refuses without --experimental-vm-modules.
function loadPGlite(): typeof PGliteModule {
  return process.getBuiltinModule('node:module').createRequire(__filename)(
    '@electric-sql/pglite',
  ) as typeof PGliteModule;
}

// TypeScript's "node" resolution ignores package exports, where the adapter's subpath is declared.
function loadAdapter(): typeof NodePostgresAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@electric-sql/pglite/node-postgres') as typeof NodePostgresAdapter;
}
