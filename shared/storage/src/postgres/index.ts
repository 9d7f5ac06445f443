export { PostgresDatabase } from './postgres-database';
export type { PostgresFromPoolOptions, PostgresOpenOptions } from './postgres-database';
export { migrate, loadMigrations, POSTGRES_MIGRATIONS_DIR } from './migrate';
export type { MigrateOptions, MigrationFile } from './migrate';
export { createPool, poolConfig } from './pool';
export type { ConnectionPool, PooledClient, Queryable } from './pool';
export { dropTestSchema, openTestPostgres, TEST_POSTGRES, TEST_POSTGRES_URL } from './testing';
export type { TestPostgres } from './testing';
