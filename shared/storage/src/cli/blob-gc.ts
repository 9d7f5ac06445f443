/*
 * `node shared/storage/dist/cli/blob-gc.js`: one garbage collection of the blob store (see
 * BlobCollector), then exits (non-zero on failure). Meant for a periodic job (a cron, a Kubernetes
 * CronJob) beside the deployment: one run at a time, with the settings of the services.
 * BLOB_GC_GRACE_HOURS (default 24, at least 2): only blobs not stored for that long are deleted.
 * A composition root, so it is the one place here that reads process.env.
 */
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { EnvReader, LOG_LEVEL_SETTINGS, NoopMetrics, createWinstonLogger } from '@wormhole/platform';
import { BlobCollector, createBlobStore, loadBlobConfig } from '../blobs';
import { loadStorageConfig } from '../config';
import { createPrimaryDatabase } from '../factory';

const HOUR_MS = 3_600_000;

/** Runs one collection for `env`'s settings and returns the process exit code. */
export async function runBlobGc(env: Env, logger: Logger): Promise<number> {
  let settings;
  try {
    const storage = loadStorageConfig(env);
    const graceHours = new EnvReader(env).int('BLOB_GC_GRACE_HOURS', 24, { min: 2, max: 24 * 365 });
    settings = { storage, blobs: loadBlobConfig(env, storage), graceMs: graceHours * HOUR_MS };
  } catch (e) {
    logger.error('invalid configuration', { err: ensureError(e) });
    return 2;
  }
  // The database as stored, undecorated: the collector reads the references themselves.
  const db = await createPrimaryDatabase(settings.storage, { logger, metrics: new NoopMetrics() });
  const blobs = await createBlobStore(settings.blobs);
  try {
    const result = await new BlobCollector(db, blobs, logger, settings.graceMs).collect();
    logger.info('blob garbage collection done', { ...result });
    return 0;
  } catch (e) {
    logger.error('blob garbage collection failed', { err: ensureError(e) });
    return 1;
  } finally {
    await blobs.close();
    await db.close();
  }
}

if (require.main === module) {
  const level = new EnvReader(process.env).oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info');
  const logger = createWinstonLogger({ service: 'blob-gc', level });
  runBlobGc(process.env, logger).then(
    (code) => {
      // exitCode rather than exit(): lets the last log lines reach stdout.
      process.exitCode = code;
    },
    (e: unknown) => {
      logger.error('blob-gc crashed', { err: ensureError(e) });
      process.exitCode = 1;
    },
  );
}
