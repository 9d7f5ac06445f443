import { openBackends } from '@wormhole/backends';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { NoopMetrics } from '@wormhole/platform';
import { loadBlobConfig, loadStorageConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';

/**
 * `wormhole migrate`: brings everything the configured backends need up to date, then exits: the
 * Postgres (or embedded) schema and its migrations, Mongo's collections and indexes, and the event
 * stream and timer tables when EVENT_STREAM_TYPE is postgres. Opening each backend is what
 * migrates it, so this is the same code path the roles take at start-up, run once, ahead of them.
 * Returns the exit code: 0 up to date, 1 a backend failed, 2 invalid configuration.
 */
export async function runMigrate(env: Env, logger: Logger): Promise<number> {
  let config;
  try {
    const storage = loadStorageConfig(env);
    config = { storage, transport: loadTransportConfig(env, storage.type), blobs: loadBlobConfig(env, storage) };
  } catch (e) {
    logger.error('invalid configuration', { err: ensureError(e) });
    return 2;
  }
  try {
    const backends = await openBackends(config, { logger, metrics: new NoopMetrics() });
    try {
      await backends.timers();
    } finally {
      await backends.close();
    }
    logger.info('backends are up to date', {
      database_type: config.storage.type,
      event_stream_type: config.transport.type,
    });
    return 0;
  } catch (e) {
    logger.error('migration failed', { err: ensureError(e) });
    return 1;
  }
}
