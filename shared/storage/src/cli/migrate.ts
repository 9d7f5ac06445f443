/*
 * `npm run migrate`: brings the configured Postgres schema up to date, then exits (non-zero on
 * failure). A composition root, so it is the one place here that reads process.env.
 */
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { EnvReader, LOG_LEVEL_SETTINGS, createWinstonLogger } from '@wormhole/platform';
import { loadStorageConfig } from '../config';
import { createPool, migrate } from '../postgres';

/** Runs the migration for `env`'s settings and returns the process exit code. */
export async function runMigrate(env: Env, logger: Logger): Promise<number> {
  let config;
  try {
    config = loadStorageConfig(env);
  } catch (e) {
    logger.error('invalid storage configuration', { err: ensureError(e) });
    return 2;
  }
  if (config.type !== 'postgres') {
    // The embedded backend migrates its own database at start-up; redis and mongo have no SQL.
    logger.info('no postgres migrations for this database type', { database_type: config.type });
    return 0;
  }
  const { schema } = config.postgres;
  const pool = createPool(config.postgres, logger);
  try {
    const applied = await migrate(pool, schema, { logger });
    logger.info('postgres schema is up to date', { schema, applied });
    return 0;
  } catch (e) {
    logger.error('postgres migration failed', { schema, err: ensureError(e) });
    return 1;
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  const level = new EnvReader(process.env).oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info');
  const logger = createWinstonLogger({ service: 'migrate', level });
  runMigrate(process.env, logger).then(
    (code) => {
      // exitCode rather than exit(): lets the last log lines reach stdout.
      process.exitCode = code;
    },
    (e: unknown) => {
      logger.error('migrate crashed', { err: ensureError(e) });
      process.exitCode = 1;
    },
  );
}
