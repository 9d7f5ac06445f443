import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { UnavailableError, ensureError } from '@wormhole/interfaces';
import type { StorageDeps } from '../deps';
import { DataDirLock } from './data-dir-lock';
import { loadNodePostgresAdapter, loadPGlite } from './pglite-loader';

/** The PostgreSQL cluster lives in this sub-directory of the data directory, beside the lock. */
export const PGDATA_DIR = 'pgdata';

/** PGlite on a data directory, held exclusively by this process, behind a pg-compatible pool. */
export interface EmbeddedPostgres {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /**
   * A `pg.Pool` of exactly one connection: PGlite is a single backend. Repositories written for
   * `pg` run on it unchanged, but must never query the pool while holding its client.
   */
  readonly pool: Pool;
  /** The engine itself, for what the pool cannot do (`listen`, `dumpDataDir`). */
  readonly pglite: PGlite;
  /** Ends the pool, closes PGlite and releases the lock. Idempotent. */
  close(): Promise<void>;
}

/**
 * Takes the data directory's lock (created if missing), opens or creates the cluster in it and
 * wraps it in a one-connection pool. The first start creates the cluster (seconds); later ones
 * reopen it. Fails with DataDirLockedError if another live process has the directory.
 */
export async function openEmbeddedPostgres(dataDir: string, deps: StorageDeps): Promise<EmbeddedPostgres> {
  const lock = await DataDirLock.acquire(dataDir);
  const logger = deps.logger.child({ backend: 'embedded', dataDir: lock.dataDir });
  let pglite: PGlite;
  try {
    pglite = await loadPGlite().PGlite.create(path.join(lock.dataDir, PGDATA_DIR));
  } catch (e) {
    await lock.release();
    throw new UnavailableError('embedded', `cannot open PGlite in ${lock.dataDir}`, { cause: e });
  }
  // max 1 whatever the adapter's default: a larger pool crashed the process (embedded.md).
  const pool = new Pool({ ...loadNodePostgresAdapter().createPgConfig(pglite), max: 1 });
  pool.on('error', (e) => logger.warn('embedded postgres connection failed', { err: ensureError(e) }));

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    try {
      await pool.end();
    } finally {
      try {
        await pglite.close();
      } finally {
        await lock.release();
      }
    }
  };
  return {
    dataDir: lock.dataDir,
    pool,
    pglite,
    close: () => (closing ??= close()),
  };
}
