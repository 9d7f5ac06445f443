import type {
  AppendOptions,
  BackendHealth,
  CreatedExecution,
  Database,
  EngineEvent,
  EventRepository,
  Execution,
  ExecutionListQuery,
  ExecutionPatch,
  ExecutionRepository,
  ExecutionSnapshot,
  JsonObject,
  NewExecution,
  Page,
  SnapshotRepository,
  StepRun,
  StepRunRepository,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import { AppError } from '@wormhole/interfaces';
import type { BlobCodec } from './blob-codec';
import { EXECUTION_FIELDS, SNAPSHOT_FIELDS, STEP_RUN_FIELDS } from './offload';
import { offloadEvent, offloadRecord, resolveEvents, resolveRecord, resolveRecords } from './records';

/**
 * Keeps rows small: execution and step run inputs and outputs, event payloads and snapshots
 * larger than the codec's threshold are written as references to blobs, and read back as the
 * full values, so callers never see a reference. Workflows, logs and stats pass through.
 * `health` adds the blob store's; `close` closes `db` only (the store's opener closes the store).
 */
export function withBlobOffload(db: Database, codec: BlobCodec): Database {
  return {
    backend: db.backend,
    workflows: db.workflows,
    executions: executions(db.executions, codec),
    steps: steps(db.steps, codec),
    events: events(db.events, codec),
    snapshots: snapshots(db.snapshots, codec),
    // Filters are small (a listen's `with`): stored as they are.
    subscriptions: db.subscriptions,
    logs: db.logs,
    stats: db.stats,
    apiKeys: db.apiKeys,
    maintenance: {
      findUnfinished: async (updatedBefore: string, limit: number): Promise<Execution[]> =>
        resolveRecords(
          codec,
          (e) => e.tenant_id,
          await db.maintenance.findUnfinished(updatedBefore, limit),
          EXECUTION_FIELDS,
        ),
      findScheduled: () => db.maintenance.findScheduled(),
      deleteHistories: (tenantId: string, ids: readonly string[]) => db.maintenance.deleteHistories(tenantId, ids),
    },
    advance: async (tenantId, executionId, batch, expectedSequence, derive) => {
      const offloaded = await Promise.all(batch.map((event) => offloadEvent(codec, event)));
      // The inner database's rows are derived from the events as passed in (large values
      // inline), then what is large in them is offloaded, as the repositories above do.
      const byId = new Map(batch.map((event) => [event.id, event]));
      const originals = (stored: readonly StoredEngineEvent[]): Promise<StoredEngineEvent[]> =>
        withOriginals(codec, byId, stored);
      const stored = await db.advance(tenantId, executionId, offloaded, expectedSequence, async (inner) => {
        const rows = await derive(await originals(inner));
        return {
          steps: await Promise.all(rows.steps.map((step) => offloadRecord(codec, tenantId, step, STEP_RUN_FIELDS))),
          logs: rows.logs,
          patch: await offloadRecord(codec, tenantId, rows.patch, EXECUTION_FIELDS),
        };
      });
      return originals(stored);
    },
    health: async (): Promise<BackendHealth[]> => [...(await db.health()), await codec.health()],
    close: (): Promise<void> => db.close(),
  };
}

function executions(inner: ExecutionRepository, codec: BlobCodec): ExecutionRepository {
  const resolve = (tenantId: string, e: Execution): Promise<Execution> =>
    resolveRecord(codec, tenantId, e, EXECUTION_FIELDS);
  return {
    create: async (tenantId: string, input: NewExecution): Promise<CreatedExecution> => {
      const created = await inner.create(tenantId, await offloadRecord(codec, tenantId, input, EXECUTION_FIELDS));
      return { ...created, execution: await resolve(tenantId, created.execution) };
    },
    get: async (tenantId: string, executionId: string): Promise<Execution> =>
      resolve(tenantId, await inner.get(tenantId, executionId)),
    findByIdempotencyKey: async (tenantId: string, workflowId: string, key: string): Promise<Execution | undefined> => {
      const found = await inner.findByIdempotencyKey(tenantId, workflowId, key);
      return found ? resolve(tenantId, found) : undefined;
    },
    // The API's list returns input and output, so every item is resolved (a few at a time).
    list: async (tenantId: string, query: ExecutionListQuery): Promise<Page<Execution>> => {
      const page = await inner.list(tenantId, query);
      return { ...page, items: await resolveRecords(codec, () => tenantId, page.items, EXECUTION_FIELDS) };
    },
    update: async (
      tenantId: string,
      executionId: string,
      patch: ExecutionPatch,
      options?: { onlyIfNotTerminal?: boolean },
    ): Promise<Execution> => {
      const stored = await offloadRecord(codec, tenantId, patch, EXECUTION_FIELDS);
      return resolve(tenantId, await inner.update(tenantId, executionId, stored, options));
    },
  };
}

function steps(inner: StepRunRepository, codec: BlobCodec): StepRunRepository {
  return {
    upsert: async (tenantId: string, step: StepRun): Promise<void> =>
      inner.upsert(tenantId, await offloadRecord(codec, tenantId, step, STEP_RUN_FIELDS)),
    listByExecution: async (tenantId: string, executionId: string): Promise<StepRun[]> =>
      resolveRecords(codec, () => tenantId, await inner.listByExecution(tenantId, executionId), STEP_RUN_FIELDS),
  };
}

function events(inner: EventRepository, codec: BlobCodec): EventRepository {
  return {
    append: async (
      tenantId: string,
      executionId: string,
      batch: readonly EngineEvent[],
      options?: AppendOptions,
    ): Promise<StoredEngineEvent[]> => {
      const offloaded = await Promise.all(batch.map((event) => offloadEvent(codec, event)));
      const stored = await inner.append(tenantId, executionId, offloaded, options);
      return withOriginals(codec, new Map(batch.map((event) => [event.id, event])), stored);
    },
    list: async (tenantId: string, executionId: string, afterSequence?: number): Promise<StoredEngineEvent[]> =>
      resolveEvents(codec, await inner.list(tenantId, executionId, afterSequence)),
  };
}

function snapshots(inner: SnapshotRepository, codec: BlobCodec): SnapshotRepository {
  return {
    save: async (tenantId: string, executionId: string, snapshot: ExecutionSnapshot): Promise<void> =>
      inner.save(tenantId, executionId, await offloadRecord(codec, tenantId, snapshot, SNAPSHOT_FIELDS)),
    load: async (tenantId: string, executionId: string): Promise<ExecutionSnapshot | undefined> => {
      const snapshot = await inner.load(tenantId, executionId);
      if (!snapshot) return undefined;
      const resolved = await resolveRecord(codec, tenantId, snapshot, SNAPSHOT_FIELDS);
      return { sequence: resolved.sequence, state: asObject(resolved.state, executionId) };
    },
  };
}

/**
 * The stored events as they were passed in (large values inline), with their sequences: no need
 * to fetch what was just written.
 */
function withOriginals(
  codec: BlobCodec,
  byId: ReadonlyMap<string, EngineEvent>,
  stored: readonly StoredEngineEvent[],
): Promise<StoredEngineEvent[]> {
  return Promise.all(
    stored.map(async (s) => {
      const original = byId.get(s.id);
      return original ? { ...original, sequence: s.sequence } : (await resolveEvents(codec, [s]))[0]!;
    }),
  );
}

/** A snapshot's state is an object; a blob that decodes to anything else is corrupt. */
function asObject(value: unknown, executionId: string): JsonObject {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  throw new AppError('INTERNAL_ERROR', `snapshot state of execution '${executionId}' is not an object`);
}
