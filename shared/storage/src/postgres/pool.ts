import { Pool } from 'pg';
import type { PoolConfig, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { PostgresSettings } from '../config';
import { translatePgError } from './errors';

/** Anything that runs a query: a pool, or the one client of an open transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface PooledClient extends Queryable {
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The part of `pg.Pool` this package uses. PGlite's node-postgres adapter provides it too, with a
 * single connection: see `withTransaction` for the rule that follows from that.
 */
export interface ConnectionPool extends Queryable {
  connect(): Promise<PooledClient>;
  end(): Promise<void>;
}

// How long an idle connection above the kept minimum lives before it is closed.
const IDLE_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

function sslOption(mode: PostgresSettings['sslMode']): PoolConfig['ssl'] {
  switch (mode) {
    case 'disable':
    // node-postgres cannot fall back from TLS to plain text, so "prefer" connects without TLS;
    // like libpq's prefer, it never verified the server anyway.
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** The pool options for these settings. A URL wins over the separate fields. */
export function poolConfig(settings: PostgresSettings): PoolConfig {
  const target: PoolConfig = settings.url
    ? { connectionString: settings.url }
    : {
        host: settings.host,
        port: settings.port,
        database: settings.database,
        user: settings.user,
        password: settings.password,
      };
  return {
    ...target,
    ssl: sslOption(settings.sslMode),
    max: settings.maxConns,
    // pg-pool has no "max idle": it keeps `min` connections and closes idle ones above it.
    min: Math.min(settings.maxIdleConns, settings.maxConns),
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: settings.applicationName ?? 'wormhole',
  };
}

/** A pg Pool for these settings. Errors of idle connections are logged, not left to crash the process. */
export function createPool(settings: PostgresSettings, logger: Logger): Pool {
  const pool = new Pool(poolConfig(settings));
  // Without a listener, an idle client's error (server restart) is an uncaught 'error' event.
  pool.on('error', (e) => logger.warn('idle postgres connection failed', { err: ensureError(e) }));
  return pool;
}

/**
 * Runs `work` in one transaction on one client, handed down to `work`. Everything inside must use
 * that client: with a single-connection pool (PGlite) a query sent to the pool while the client is
 * checked out waits for the client and so deadlocks the transaction.
 */
export async function withTransaction<T>(pool: ConnectionPool, work: (tx: Queryable) => Promise<T>): Promise<T> {
  let client: PooledClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw translatePgError(e);
  }
  let broken: Error | undefined;
  // The pool listens for errors only on idle clients. A checked-out client whose connection dies
  // between two statements (the server terminated it, the network dropped) emits 'error', and
  // with no listener that ends the process: keep the error instead; the next statement fails with
  // it and the client is destroyed on release.
  const onError = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    broken = (await rollback(client, e)) ?? broken;
    throw translatePgError(e);
  } finally {
    // A client whose connection failed or whose rollback failed is in an unknown state: destroy it
    // rather than reuse it.
    client.removeListener('error', onError);
    client.release(broken ?? false);
  }
}

async function rollback(client: Queryable, cause: unknown): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (e) {
    const error = ensureError(e);
    error.cause ??= cause;
    return error;
  }
}

/** Runs one statement on the pool and returns its rows, with driver errors translated. */
export async function queryRows<R extends QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  try {
    return (await db.query<R>(text, values)).rows;
  } catch (e) {
    throw translatePgError(e);
  }
}
