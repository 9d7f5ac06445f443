/*
 * `wormhole blob-gc`: one garbage collection of the blob store (see BlobCollector); the command
 * exits with the code this returns. Meant for a periodic job (a cron, the Kubernetes CronJob in
 * deploy/k8s) beside the deployment: one run at a time, with the settings of the services.
 * BLOB_GC_GRACE_HOURS (default 24, at least 2): only blobs not stored for that long are deleted.
 */
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { EnvReader, NoopMetrics } from '@wormhole/platform';
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
