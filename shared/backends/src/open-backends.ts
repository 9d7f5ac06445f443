import type { Database, EventStream, Logger, Metrics, TimerStore } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { StorageConfig } from '@wormhole/storage';
import {
  EMBEDDED_SCHEMA,
  EmbeddedDatabase,
  createPool,
  createPrimaryDatabase,
  decorateDatabase,
} from '@wormhole/storage';
import type { PgPool, TransportConfig } from '@wormhole/transport';
import {
  PostgresEventStream,
  PostgresTimerStore,
  RedisEventStream,
  RedisTimerStore,
  StreamWakeups,
} from '@wormhole/transport';

export interface BackendsConfig {
  readonly storage: StorageConfig;
  readonly transport: TransportConfig;
}

export interface BackendsDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The adapters a role runs on, opened once per process and closed together. */
export interface Backends {
  readonly db: Database;
  readonly stream: EventStream;
  /** The durable timer store beside the stream (only the executor fires timers). Opened once. */
  timers(): Promise<TimerStore>;
  /** Closes the stream, the timers and the database, in that order. Idempotent. */
  close(): Promise<void>;
}

/** Where the table-backed stream and timers live, and who ends that pool. */
interface SqlHome {
  readonly pool: PgPool;
  readonly schema: string;
  end(): Promise<void>;
}

/**
 * Opens the database of DATABASE_TYPE and the event stream of EVENT_STREAM_TYPE. With the
 * embedded database the stream and timers are tables in the same PGlite engine (it allows one
 * engine per data directory, so they must share its pool); with `postgres` they get a pool of
 * their own on POSTGRES_URL. Anything opened before a failure is closed again.
 */
export async function openBackends(config: BackendsConfig, deps: BackendsDeps): Promise<Backends> {
  const primary = await createPrimaryDatabase(config.storage, deps);
  let db: Database | undefined;
  let sql: SqlHome | undefined;
  let stream: EventStream | undefined;
  let timers: Promise<TimerStore> | undefined;
  // Stream first, then timers, then the pool and the database they may share.
  const closeAll = async (): Promise<void> => {
    const steps: (() => Promise<void>)[] = [
      () => stream?.close() ?? Promise.resolve(),
      async () => (timers ? (await timers).close() : undefined),
      () => sql?.end() ?? Promise.resolve(),
      () => (db ?? primary).close(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (e) {
        deps.logger.warn('closing a backend failed', { err: ensureError(e) });
      }
    }
  };
  try {
    db = await decorateDatabase(primary, config.storage, deps);
    sql = sqlHome(config, primary, deps.logger);
    stream = await openStream(config.transport, sql, deps);
  } catch (e) {
    await closeAll();
    throw e;
  }
  const home = sql;
  let closing: Promise<void> | undefined;
  return {
    db,
    stream,
    timers: () => {
      timers ??= home
        ? PostgresTimerStore.create(home.pool, home.schema)
        : RedisTimerStore.connect(config.transport.redis);
      return timers;
    },
    close: () => {
      closing ??= closeAll();
      return closing;
    },
  };
}

function sqlHome(config: BackendsConfig, primary: Database, logger: Logger): SqlHome | undefined {
  switch (config.transport.type) {
    case 'redis':
      return undefined;
    case 'embedded':
      if (!(primary instanceof EmbeddedDatabase)) {
        throw new Error('EVENT_STREAM_TYPE=embedded needs DATABASE_TYPE=embedded');
      }
      // The database closes the engine; the stream must not end the shared pool.
      return { pool: primary.pool, schema: EMBEDDED_SCHEMA, end: () => Promise.resolve() };
    case 'postgres': {
      const pool = createPool(config.storage.postgres, logger);
      return { pool, schema: config.storage.postgres.schema, end: () => pool.end() };
    }
  }
}

async function openStream(config: TransportConfig, sql: SqlHome | undefined, deps: BackendsDeps): Promise<EventStream> {
  if (!sql) return RedisEventStream.create(config.redis, deps);
  return PostgresEventStream.create(
    sql.pool,
    {
      schema: sql.schema,
      maxDeliveries: config.redis.maxDeliveries,
      claimIdleMs: config.redis.claimIdleMs,
      pollMs: config.pollMs,
    },
    { ...deps, wakeups: new StreamWakeups() },
  );
}
