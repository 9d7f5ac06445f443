import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { QueryResultRow } from 'pg';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import type { PostgresSettings } from '../config';
import type { StorageDeps } from '../deps';
import { PostgresDatabase } from './postgres-database';
import { poolConfig } from './pool';
import { quoteSchema } from './sql-names';

/** The integration-test server: database `test` on the local Postgres, trust auth. */
export const TEST_POSTGRES: PostgresSettings = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  sslMode: 'disable',
  maxConns: 10,
  maxIdleConns: 2,
  schema: 'wormhole_test',
};

/** TEST_POSTGRES as a connection string, for tests that configure a process through its env. */
export const TEST_POSTGRES_URL = `postgres://${TEST_POSTGRES.user}@${TEST_POSTGRES.host}:${TEST_POSTGRES.port}/${TEST_POSTGRES.database}`;

/** Drops a test's schema (CASCADE) on the test server, on a connection of its own. */
export async function dropTestSchema(schema: string): Promise<void> {
  const client = new Client(poolConfig(TEST_POSTGRES));
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestPostgres {
  readonly db: PostgresDatabase;
  /** The random schema holding this run's tables. */
  readonly schema: string;
  readonly settings: PostgresSettings;
  /** Runs SQL on a connection of its own (usable after `db.close()`), for assertions on raw rows. */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops the schema (CASCADE) and closes every connection. */
  cleanup(): Promise<void>;
}

/** A migrated database in a fresh schema `t_<random>`, for one test suite. */
export async function openTestPostgres(
  deps: Partial<StorageDeps> = {},
  overrides: Partial<PostgresSettings> = {},
): Promise<TestPostgres> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const settings: PostgresSettings = { ...TEST_POSTGRES, ...overrides, schema };
  const db = await PostgresDatabase.create(settings, {
    logger: deps.logger ?? new MemoryLogger(),
    metrics: deps.metrics ?? new NoopMetrics(),
  });
  let admin: Client | undefined;
  const connect = async (): Promise<Client> => {
    if (!admin) {
      admin = new Client(poolConfig(settings));
      await admin.connect();
    }
    return admin;
  };
  return {
    db,
    schema,
    settings,
    async query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
      return (await (await connect()).query<R>(text, values)).rows;
    },
    async cleanup(): Promise<void> {
      await db.close();
      const client = await connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
      } finally {
        await client.end();
        admin = undefined;
      }
    },
  };
}
