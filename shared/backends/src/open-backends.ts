import type { BlobStore, Database, EventStream, Logger, Metrics, TimerStore } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { BlobConfig, StorageConfig } from '@wormhole/storage';
import {
  BlobCodec,
  EMBEDDED_SCHEMA,
  EmbeddedDatabase,
  createBlobStore,
  createPool,
  createPrimaryDatabase,
  decorateDatabase,
  withBlobOffload,
} from '@wormhole/storage';
import type { PgPool, TransportConfig } from '@wormhole/transport';
import { withEventOffload } from './offload-event-stream';
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
  /**
   * Where payloads over the threshold go (loadBlobConfig). Without it every value stays inline:
   * for tools and tests that open backends without a blob store.
   */
  readonly blobs?: BlobConfig;
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
  const blobs = config.blobs ? await createBlobStore(config.blobs) : undefined;
  let primary: Database;
  try {
    primary = await createPrimaryDatabase(config.storage, deps);
  } catch (e) {
    await blobs?.close();
    throw e;
  }
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
      // Last: the stream's in-flight handlers and the database decorator may still read blobs.
      () => blobs?.close() ?? Promise.resolve(),
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
    if (blobs && config.blobs) ({ db, stream } = offloading(db, stream, blobs, config.blobs));
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

/** One codec (and cache) for both, so a payload written by one is read back by the other for free. */
function offloading(
  db: Database,
  stream: EventStream,
  blobs: BlobStore,
  config: BlobConfig,
): { db: Database; stream: EventStream } {
  const codec = new BlobCodec(blobs, config.thresholdBytes);
  return { db: withBlobOffload(db, codec), stream: withEventOffload(stream, codec) };
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
