import type { Database } from '@wormhole/interfaces';
import { ConfigurationError } from '@wormhole/interfaces';
import type { StorageConfig } from './config';
import type { StorageDeps } from './deps';
import { instrumentDatabase } from './instrumented-database';
import { PostgresDatabase } from './postgres';

/**
 * Builds the Database selected by `DATABASE_TYPE`. Called only from composition roots.
 */
export async function createDatabase(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  const db = await createPrimary(config, deps);
  return instrumentDatabase(db, deps.metrics);
}

async function createPrimary(config: StorageConfig, deps: StorageDeps): Promise<Database> {
  switch (config.type) {
    case 'postgres':
      return PostgresDatabase.create(config.postgres, deps);
    case 'redis':
    case 'mongo':
    case 'embedded':
      throw new ConfigurationError('DATABASE_TYPE', `the ${config.type} backend is not available in this build yet`);
  }
}
