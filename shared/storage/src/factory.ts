import type { Database } from '@wormhole/interfaces';
import { ConfigurationError } from '@wormhole/interfaces';
import type { StorageConfig } from './config';
import type { StorageDeps } from './deps';
import { withLogStore } from './composite-database';
import { instrumentDatabase } from './instrumented-database';
import { MongoDatabase, MongoLogRepository } from './mongo';
import { PostgresDatabase } from './postgres';
import { RedisDatabase } from './redis';

/**
 * Builds the Database selected by `DATABASE_TYPE`. Called only from composition roots.
 * Execution logs go to Mongo whenever a Mongo URL is configured, whatever the main backend is.
 */
export async function createDatabase(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  const db = await createPrimary(config, deps);
  const logsToMongo = config.type !== 'mongo' && config.mongo.url !== undefined;
  const composed = logsToMongo ? withLogStore(db, await MongoLogRepository.create(config.mongo, deps)) : db;
  return instrumentDatabase(composed, deps.metrics);
}

async function createPrimary(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  switch (config.type) {
    case 'postgres':
      return PostgresDatabase.create(config.postgres, deps);
    case 'mongo':
      return MongoDatabase.create(config.mongo, deps);
    case 'redis':
      return RedisDatabase.create(config.redis, deps);
    case 'embedded':
      throw new ConfigurationError('DATABASE_TYPE', `the ${config.type} backend is not available in this build yet`);
  }
}
