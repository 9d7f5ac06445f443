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
import { ensureError } from '@wormhole/interfaces';
import type { PostgresSettings } from '../config';
import type { StorageDeps } from '../deps';
import { advanceInOneStatement } from './advance';
import { PostgresApiKeyRepository } from './api-key-repository';
import { BACKEND, translatePgError } from './errors';
import { PostgresEventRepository } from './event-repository';
import { PostgresExecutionRepository } from './execution-repository';
import { PostgresLogRepository } from './log-repository';
import { PostgresMaintenanceRepository } from './maintenance-repository';
import { migrate } from './migrate';
import type { ConnectionPool } from './pool';
import { createPool, queryRows } from './pool';
import { PostgresSnapshotRepository } from './snapshot-repository';
import type { Tables } from './sql-names';
import { tablesFor } from './sql-names';
import { PostgresSubscriptionRepository } from './subscription-repository';
import { PostgresStatsRepository } from './stats-repository';
import { PostgresStepRunRepository } from './step-run-repository';
import { PostgresWorkflowRepository } from './workflow-repository';

export interface PostgresOpenOptions {
  /** Apply pending migrations before returning (default true). */
  readonly migrate?: boolean;
}

export interface PostgresFromPoolOptions extends PostgresOpenOptions {
  /** End the pool when the database is closed (default true: the database takes the pool over). */
  readonly ownsPool?: boolean;
}

/**
 * The Database port on PostgreSQL (or PGlite through its node-postgres adapter). Every table lives
 * in one schema; every statement names it, so no connection set-up is needed.
 */
export class PostgresDatabase implements Database {
  readonly backend = BACKEND;
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
  private readonly tables: Tables;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: ConnectionPool,
    /** The schema holding the tables. */
    readonly schema: string,
    private readonly ownsPool: boolean,
  ) {
    const tables = tablesFor(schema);
    this.tables = tables;
    this.workflows = new PostgresWorkflowRepository(pool, tables);
    this.executions = new PostgresExecutionRepository(pool, tables);
    this.steps = new PostgresStepRunRepository(pool, tables);
    this.events = new PostgresEventRepository(pool, tables);
    this.snapshots = new PostgresSnapshotRepository(pool, tables);
    this.subscriptions = new PostgresSubscriptionRepository(pool, tables);
    this.logs = new PostgresLogRepository(pool, tables);
    this.stats = new PostgresStatsRepository(pool, tables);
    this.maintenance = new PostgresMaintenanceRepository(pool, tables);
    this.apiKeys = new PostgresApiKeyRepository(pool, tables);
  }

  /**
   * Connects with these settings and, unless told not to, migrates the schema. Fails (with an
   * UnavailableError when the server cannot be reached) rather than returning an unusable database.
   */
  static async create(
    settings: PostgresSettings,
    deps: StorageDeps,
    options: PostgresOpenOptions = {},
  ): Promise<PostgresDatabase> {
    tablesFor(settings.schema); // rejects a bad schema name before any connection is made
    const logger = deps.logger.child({ backend: BACKEND, schema: settings.schema });
    return PostgresDatabase.fromPool(createPool(settings, logger), settings.schema, deps, options);
  }

  /**
   * Wraps an existing pg-compatible pool, e.g. `new pg.Pool(createPgConfig(pglite))` in the embedded
   * mode. The repositories never hold a pool connection while querying the pool, so a pool of one
   * connection is enough.
   */
  static async fromPool(
    pool: ConnectionPool,
    schema: string,
    deps: StorageDeps,
    options: PostgresFromPoolOptions = {},
  ): Promise<PostgresDatabase> {
    const logger = deps.logger.child({ backend: BACKEND, schema });
    const ownsPool = options.ownsPool ?? true;
    try {
      tablesFor(schema);
      if (options.migrate ?? true) {
        await migrate(pool, schema, { logger });
      } else {
        await queryRows(pool, 'SELECT 1');
      }
    } catch (e) {
      if (ownsPool) await pool.end().catch(() => undefined);
      throw translatePgError(e);
    }
    return new PostgresDatabase(pool, schema, ownsPool);
  }

  /** One statement: see advanceInOneStatement. */
  advance(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expectedSequence: number,
    derive: DeriveRows,
  ): Promise<StoredEngineEvent[]> {
    return advanceInOneStatement(this.pool, this.tables, this, tenantId, executionId, events, expectedSequence, derive);
  }

  /** Never throws: a failed ping is reported as `ok: false` with the reason. */
  async health(): Promise<BackendHealth[]> {
    const started = performance.now();
    try {
      if (this.closing) throw new Error('database is closed');
      await this.pool.query('SELECT 1');
      return [{ name: BACKEND, ok: true, latency_ms: elapsed(started) }];
    } catch (e) {
      return [{ name: BACKEND, ok: false, latency_ms: elapsed(started), error: ensureError(e).message }];
    }
  }

  close(): Promise<void> {
    this.closing ??= this.ownsPool ? this.pool.end() : Promise.resolve();
    return this.closing;
  }
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}
