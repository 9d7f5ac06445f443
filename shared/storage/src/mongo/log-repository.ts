import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import type { BackendHealth, JsonObject, LogEntry, LogLevel, LogQuery, LogRepository } from '@wormhole/interfaces';
import { UnavailableError, ensureError } from '@wormhole/interfaces';
import type { MongoSettings } from '../config';
import type { StorageDeps } from '../deps';
import { probeBackend } from '@wormhole/platform';

/** The storage design's document shape for execution logs. */
export interface ExecutionLogDoc {
  tenantId: string;
  workflowRunId: string;
  stepRunId?: string;
  task?: string;
  level: LogLevel;
  message: string;
  context?: JsonObject;
  timestamp: Date;
}

export const EXECUTION_LOGS = 'execution_logs';

const TTL_INDEX = 'ttl_timestamp';

/**
 * Creates the collection's indexes; the TTL index expires lines after the retention. A retention
 * changed since the index was made is applied to it with collMod: creating it again with other
 * options would fail (IndexOptionsConflict) and stop the start-up.
 */
export async function ensureLogIndexes(logs: Collection<ExecutionLogDoc>, retentionDays: number): Promise<void> {
  const expireAfterSeconds = retentionDays * 86400;
  await logs.createIndexes([
    { key: { tenantId: 1, workflowRunId: 1 }, name: 'tenant_run' },
    { key: { tenantId: 1, workflowRunId: 1, stepRunId: 1 }, name: 'tenant_run_step' },
    { key: { tenantId: 1, level: 1 }, name: 'tenant_level' },
  ]);
  const existing = (await logs.indexes()).find((index) => index.name === TTL_INDEX);
  if (existing === undefined) {
    await logs.createIndex({ timestamp: 1 }, { name: TTL_INDEX, expireAfterSeconds });
  } else if (existing.expireAfterSeconds !== expireAfterSeconds) {
    await logs.db.command({ collMod: logs.collectionName, index: { name: TTL_INDEX, expireAfterSeconds } });
  }
}

/**
 * Execution logs in MongoDB `execution_logs`. Used by the Mongo backend, and on its own beside
 * any other backend whenever a Mongo URL is configured.
 */
export class MongoLogRepository implements LogRepository {
  constructor(
    private readonly logs: Collection<ExecutionLogDoc>,
    private readonly client?: MongoClient,
  ) {}

  /** A standalone log store with its own client (closed by `close()`). */
  static async create(settings: MongoSettings, _deps: StorageDeps): Promise<MongoLogRepository> {
    if (!settings.url) throw new UnavailableError('mongo', 'MONGODB_URL is not set');
    const client = new MongoClient(settings.url, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
    } catch (e) {
      throw new UnavailableError('mongo', `cannot connect: ${ensureError(e).message}`, { cause: e });
    }
    const logs = client.db(settings.database).collection<ExecutionLogDoc>(EXECUTION_LOGS);
    try {
      await ensureLogIndexes(logs, settings.logRetentionDays);
    } catch (e) {
      await client.close();
      throw e;
    }
    return new MongoLogRepository(logs, client);
  }

  async append(tenantId: string, entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.logs.insertMany(
      entries.map((e) => ({
        tenantId,
        workflowRunId: e.execution_id,
        ...(e.step_run_id !== undefined ? { stepRunId: e.step_run_id } : {}),
        ...(e.task !== undefined ? { task: e.task } : {}),
        level: e.level,
        message: e.message,
        ...(e.context !== undefined ? { context: e.context } : {}),
        timestamp: new Date(e.timestamp),
      })),
      { ordered: true },
    );
  }

  async list(tenantId: string, executionId: string, query: LogQuery = {}): Promise<LogEntry[]> {
    const docs = await this.logs
      .find({
        tenantId,
        workflowRunId: executionId,
        ...(query.stepRunId !== undefined ? { stepRunId: query.stepRunId } : {}),
        ...(query.level !== undefined ? { level: query.level } : {}),
      })
      .sort({ timestamp: 1, _id: 1 })
      .limit(query.limit ?? 1000)
      .toArray();
    return docs.map((d) => ({
      tenant_id: d.tenantId,
      execution_id: d.workflowRunId,
      ...(d.stepRunId !== undefined && d.stepRunId !== null ? { step_run_id: d.stepRunId } : {}),
      ...(d.task !== undefined && d.task !== null ? { task: d.task } : {}),
      level: d.level,
      message: d.message,
      ...(d.context !== undefined && d.context !== null ? { context: d.context } : {}),
      timestamp: d.timestamp.toISOString(),
    }));
  }

  async health(): Promise<BackendHealth> {
    return probeBackend('mongo-logs', () => this.logs.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  /** The TTL index expires old lines too; this purge makes the retention exact and immediate. */
  async purge(before: string, limit: number): Promise<number> {
    const old = await this.logs
      .find({ timestamp: { $lt: new Date(before) } }, { projection: { _id: 1 }, sort: { timestamp: 1 }, limit })
      .toArray();
    if (old.length === 0) return 0;
    const result = await this.logs.deleteMany({ _id: { $in: old.map((doc) => doc._id) } });
    return result.deletedCount;
  }
}
