import type { Pool } from 'pg';
import type {
  ApiKeyRepository,
  BackendHealth,
  Database,
  DeriveRows,
  EngineEvent,
  EventRepository,
  ExecutionRepository,
  LogRepository,
  MaintenanceRepository,
  SnapshotRepository,
  EventSubscriptionRepository,
  StatsRepository,
  StepRunRepository,
  StoredEngineEvent,
  WorkflowRepository,
} from '@wormhole/interfaces';
import type { StorageDeps } from '../deps';
import { PostgresDatabase } from '../postgres';
import type { EmbeddedPostgres } from './open-embedded-postgres';
import { openEmbeddedPostgres } from './open-embedded-postgres';

export const EMBEDDED_BACKEND = 'embedded';
/** The schema of the embedded database: one cluster per data directory, so no need to vary it. */
export const EMBEDDED_SCHEMA = 'wormhole';

/** A health entry that also says where the data is. */
export interface EmbeddedHealth extends BackendHealth {
  readonly data_dir: string;
}

/**
 * The Database port on PGlite in a local data directory: the Postgres repositories, unchanged,
 * over PGlite's pg adapter. It owns the engine: `close()` closes PGlite and releases the lock.
 * The event stream and timer store of an embedded process share `pool` (one engine per directory).
 */
export class EmbeddedDatabase implements Database {
  readonly backend = EMBEDDED_BACKEND;
  readonly workflows: WorkflowRepository;
  readonly executions: ExecutionRepository;
  readonly steps: StepRunRepository;
  readonly events: EventRepository;
  readonly snapshots: SnapshotRepository;
  readonly subscriptions: EventSubscriptionRepository;
  readonly logs: LogRepository;
  readonly stats: StatsRepository;
  readonly maintenance: MaintenanceRepository;
  readonly apiKeys: ApiKeyRepository;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly inner: PostgresDatabase,
    private readonly engine: EmbeddedPostgres,
  ) {
    this.workflows = inner.workflows;
    this.executions = inner.executions;
    this.steps = inner.steps;
    this.events = inner.events;
    this.snapshots = inner.snapshots;
    this.subscriptions = inner.subscriptions;
    this.logs = inner.logs;
    this.stats = inner.stats;
    this.maintenance = inner.maintenance;
    this.apiKeys = inner.apiKeys;
  }

  /**
   * Opens (or creates) the database in `dataDir` and migrates it. Fails with DataDirLockedError
   * when another live process has the directory.
   */
  static async create(dataDir: string, deps: StorageDeps): Promise<EmbeddedDatabase> {
    const engine = await openEmbeddedPostgres(dataDir, deps);
    try {
      const inner = await PostgresDatabase.fromPool(engine.pool, EMBEDDED_SCHEMA, deps, { ownsPool: false });
      return new EmbeddedDatabase(inner, engine);
    } catch (e) {
      await engine.close();
      throw e;
    }
  }

  /** Absolute path of the data directory. */
  get dataDir(): string {
    return this.engine.dataDir;
  }

  /** The one-connection pool, for the embedded event stream and timer store. Closed by `close()`. */
  get pool(): Pool {
    return this.engine.pool;
  }

  /** Never throws. */
  /** The Postgres one-statement advance, over PGlite. */
  advance(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expectedSequence: number,
    derive: DeriveRows,
  ): Promise<StoredEngineEvent[]> {
    return this.inner.advance(tenantId, executionId, events, expectedSequence, derive);
  }

  async health(): Promise<EmbeddedHealth[]> {
    const results = await this.inner.health();
    return results.map((h) => ({ ...h, name: EMBEDDED_BACKEND, data_dir: this.engine.dataDir }));
  }

  /** Closes the repositories, PGlite and the lock, in that order. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.inner.close().finally(() => this.engine.close());
    return this.closing;
  }
}
