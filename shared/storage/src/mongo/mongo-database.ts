import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import type {
  DeriveRows,
  EngineEvent,
  StoredEngineEvent,
  BackendHealth,
  Database,
  MaintenanceRepository,
  StatsRepository,
  TenantStats,
} from '@wormhole/interfaces';
import { EXECUTION_STATUSES, UnavailableError, ensureError } from '@wormhole/interfaces';
import { advanceInOrder } from '../advance-in-order';
import type { MongoSettings } from '../config';
import type { StorageDeps } from '../deps';
import type { ExecutionDoc, StepRunDoc, WorkflowDoc, WorkflowVersionDoc } from './documents';
import { MongoExecutionRepository } from './execution-repository';
import { MongoHistoryDeletion } from './history-deletion';
import type { EventDoc, EventHeadDoc, SnapshotDoc } from './history-repositories';
import { MongoEventRepository, MongoSnapshotRepository, MongoStepRunRepository } from './history-repositories';
import type { SubscriptionDoc } from './subscription-repository';
import { MongoSubscriptionRepository } from './subscription-repository';
import type { ExecutionLogDoc } from './log-repository';
import { EXECUTION_LOGS, MongoLogRepository, ensureLogIndexes } from './log-repository';
import { MongoWorkflowRepository } from './workflow-repository';
import type { ApiKeyDoc } from './api-key-repository';
import { API_KEYS, MongoApiKeyRepository, ensureApiKeyIndexes } from './api-key-repository';
import { probeBackend } from '@wormhole/platform';

/** The Database port on MongoDB 6+ (standard commands only; no change streams, no transactions). */
export class MongoDatabase implements Database {
  readonly backend = 'mongo';
  readonly workflows: MongoWorkflowRepository;
  readonly executions: MongoExecutionRepository;
  readonly maintenance: MaintenanceRepository;
  readonly steps: MongoStepRunRepository;
  readonly events: MongoEventRepository;
  readonly snapshots: MongoSnapshotRepository;
  readonly subscriptions: MongoSubscriptionRepository;
  readonly logs: MongoLogRepository;
  readonly stats: StatsRepository;
  readonly apiKeys: MongoApiKeyRepository;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    const histories = new MongoHistoryDeletion(
      db.collection<EventDoc>('events'),
      db.collection<EventHeadDoc>('event_heads'),
      db.collection<SnapshotDoc>('snapshots'),
    );
    this.workflows = new MongoWorkflowRepository(
      db.collection<WorkflowDoc>('workflows'),
      db.collection<WorkflowVersionDoc>('workflow_versions'),
      histories,
    );
    this.executions = new MongoExecutionRepository(db.collection<ExecutionDoc>('executions'));
    // Unfinished executions are the executions' index, scheduled workflows the workflows'.
    this.maintenance = {
      findUnfinished: (updatedBefore, limit) => this.executions.findUnfinished(updatedBefore, limit),
      findScheduled: () => this.workflows.findScheduled(),
      deleteHistories: (tenantId, ids) => histories.delete(tenantId, ids),
    };
    this.steps = new MongoStepRunRepository(db.collection<StepRunDoc>('step_runs'));
    this.events = new MongoEventRepository(
      db.collection<EventDoc>('events'),
      db.collection<EventHeadDoc>('event_heads'),
    );
    this.snapshots = new MongoSnapshotRepository(db.collection<SnapshotDoc>('snapshots'));
    this.subscriptions = new MongoSubscriptionRepository(db.collection<SubscriptionDoc>('event_subscriptions'));
    this.logs = new MongoLogRepository(db.collection<ExecutionLogDoc>(EXECUTION_LOGS));
    this.stats = { get: (tenantId) => this.tenantStats(tenantId) };
    this.apiKeys = new MongoApiKeyRepository(db.collection<ApiKeyDoc>(API_KEYS));
  }

  /** Connects and creates the indexes (idempotent: the Mongo side of `migrate`). */
  static async create(settings: MongoSettings, _deps: StorageDeps): Promise<MongoDatabase> {
    if (!settings.url) throw new UnavailableError('mongo', 'MONGODB_URL is not set');
    const client = new MongoClient(settings.url, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
    } catch (e) {
      throw new UnavailableError('mongo', `cannot connect: ${ensureError(e).message}`, { cause: e });
    }
    const db = client.db(settings.database);
    await migrateMongo(db, settings.logRetentionDays);
    return new MongoDatabase(client, db);
  }

  /** Separate writes in order (see advanceInOrder): each repository writes its own collection. */
  advance(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expectedSequence: number,
    derive: DeriveRows,
  ): Promise<StoredEngineEvent[]> {
    return advanceInOrder(this, tenantId, executionId, events, expectedSequence, derive);
  }

  async health(): Promise<BackendHealth[]> {
    return [await probeBackend('mongo', () => this.db.command({ ping: 1 }))];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private async tenantStats(tenantId: string): Promise<TenantStats> {
    const [workflows, executions] = await Promise.all([
      this.db
        .collection('workflows')
        .aggregate<{ _id: string; n: number }>([
          { $match: { tenant_id: tenantId } },
          { $group: { _id: '$state', n: { $sum: 1 } } },
        ])
        .toArray(),
      this.db
        .collection('executions')
        .aggregate<{ _id: string; n: number }>([
          { $match: { tenant_id: tenantId } },
          { $group: { _id: '$status', n: { $sum: 1 } } },
        ])
        .toArray(),
    ]);
    const count = (rows: { _id: string; n: number }[], key: string): number => rows.find((r) => r._id === key)?.n ?? 0;
    const total = (rows: { n: number }[]): number => rows.reduce((sum, r) => sum + r.n, 0);
    return {
      tenant_id: tenantId,
      workflows: {
        total: total(workflows),
        active: count(workflows, 'active'),
        inactive: count(workflows, 'inactive'),
      },
      executions: {
        total: total(executions),
        ...(Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, count(executions, s)])) as Record<
          (typeof EXECUTION_STATUSES)[number],
          number
        >),
      },
    };
  }
}

/** Every index the backend relies on, declared in code and applied at start. */
export async function migrateMongo(db: Db, logRetentionDays: number): Promise<void> {
  await Promise.all([
    db.collection('event_subscriptions').createIndexes([
      { key: { tenant_id: 1, created_at: 1 }, name: 'tenant_created' },
      // The router's lookup by event type (listForEventType), one index per branch of its $or.
      { key: { tenant_id: 1, event_types: 1, created_at: 1 }, name: 'tenant_event_type' },
      { key: { tenant_id: 1, any_type: 1, created_at: 1 }, name: 'tenant_any_type' },
    ]),
    db.collection('workflows').createIndexes([
      { key: { tenant_id: 1, created_at: 1, _id: 1 }, name: 'tenant_created' },
      { key: { tenant_id: 1, updated_at: 1, _id: 1 }, name: 'tenant_updated' },
      { key: { tenant_id: 1, name: 1, _id: 1 }, name: 'tenant_name' },
      { key: { tenant_id: 1, tags: 1 }, name: 'tenant_tags' },
    ]),
    db
      .collection('workflow_versions')
      .createIndexes([{ key: { tenant_id: 1, workflow_id: 1 }, name: 'tenant_workflow' }]),
    db.collection('executions').createIndexes([
      { key: { tenant_id: 1, started_at: 1, _id: 1 }, name: 'tenant_started' },
      { key: { tenant_id: 1, workflow_id: 1, started_at: 1 }, name: 'tenant_workflow_started' },
      { key: { tenant_id: 1, status: 1, started_at: 1 }, name: 'tenant_status_started' },
      { key: { tenant_id: 1, correlation_id: 1 }, name: 'tenant_correlation' },
      { key: { status: 1, updated_at: 1 }, name: 'unfinished_updated' },
      {
        key: { tenant_id: 1, workflow_id: 1, idempotency_key: 1 },
        name: 'idempotency',
        unique: true,
        partialFilterExpression: { idempotency_key: { $exists: true } },
      },
    ]),
    db
      .collection('step_runs')
      .createIndexes([{ key: { tenant_id: 1, execution_id: 1, started_at: 1 }, name: 'tenant_execution' }]),
    db.collection('events').createIndexes([
      { key: { tenant_id: 1, execution_id: 1, sequence: 1 }, name: 'tenant_execution_sequence', unique: true },
      { key: { tenant_id: 1, execution_id: 1, event_id: 1 }, name: 'tenant_execution_event', unique: true },
    ]),
    ensureLogIndexes(db.collection<ExecutionLogDoc>(EXECUTION_LOGS), logRetentionDays),
    ensureApiKeyIndexes(db),
  ]);
}
