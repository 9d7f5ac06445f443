import type { Database } from '@wormhole/interfaces';
import type { StorageConfig } from './config';
import type { StorageDeps } from './deps';
import { withLogStore } from './composite-database';
import { EmbeddedDatabase } from './embedded';
import { instrumentDatabase } from './instrumented-database';
import { MongoDatabase, MongoLogRepository } from './mongo';
import { PostgresDatabase } from './postgres';
import { RedisDatabase } from './redis';

/**
 * Builds the Database selected by `DATABASE_TYPE`. Called only from composition roots.
 * Execution logs go to Mongo whenever a Mongo URL is configured, whatever the main backend is.
 */
export async function createDatabase(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  return decorateDatabase(await createPrimaryDatabase(config, deps), config, deps);
}

/**
 * The selected backend on its own, undecorated. Roots that need the backend's own handle (the
 * embedded database's pool, for the embedded event stream) call this, then `decorateDatabase`.
 */
export async function createPrimaryDatabase(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  switch (config.type) {
    case 'postgres':
      return PostgresDatabase.create(config.postgres, deps);
    case 'mongo':
      return MongoDatabase.create(config.mongo, deps);
    case 'redis':
      return RedisDatabase.create(config.redis, deps);
    case 'embedded':
      return EmbeddedDatabase.create(config.dataDir, deps);
  }
}

/** Routes logs to Mongo when configured and adds the storage metrics. Closing it closes `primary`. */
export async function decorateDatabase(primary: Database, config: StorageConfig, deps: StorageDeps): Promise<Database> {
  const logsToMongo = config.type !== 'mongo' && config.mongo.url !== undefined;
  let composed = primary;
  if (logsToMongo) {
    try {
      composed = withLogStore(primary, await MongoLogRepository.create(config.mongo, deps));
    } catch (e) {
      await primary.close();
      throw e;
    }
  }
  return instrumentDatabase(composed, deps.metrics);
}
