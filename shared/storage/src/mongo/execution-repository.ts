import type { Collection, Filter } from 'mongodb';
import type {
  CreatedExecution,
  Execution,
  ExecutionListQuery,
  ExecutionPatch,
  ExecutionRepository,
  NewExecution,
  Page,
} from '@wormhole/interfaces';
import { ExecutionNotFoundError, TERMINAL_STATUSES, newId } from '@wormhole/interfaces';
import type { ExecutionDoc } from './documents';
import { executionFromDoc, isDuplicateKey, isTransientWriteConflict, toJson } from './documents';

const UNFINISHED = ['pending', 'running', 'waiting', 'suspended'] as const;

export class MongoExecutionRepository implements ExecutionRepository {
  constructor(private readonly executions: Collection<ExecutionDoc>) {}

  /** Idempotency rests on a unique partial index over (tenant, workflow, key). */
  async create(tenantId: string, input: NewExecution): Promise<CreatedExecution> {
    const now = new Date();
    const doc: ExecutionDoc = {
      _id: newId('execution'),
      tenant_id: tenantId,
      workflow_id: input.workflow_id,
      workflow_version: input.workflow_version,
      status: 'pending',
      ...(input.correlation_id !== undefined ? { correlation_id: input.correlation_id } : {}),
      ...(input.idempotency_key !== undefined ? { idempotency_key: input.idempotency_key } : {}),
      input_json: toJson(input.input),
      started_at: now,
      updated_at: now,
    };
    try {
      await this.insertRetryingConflicts(doc);
      return { execution: executionFromDoc(doc), created: true };
    } catch (e) {
      if (!isDuplicateKey(e) || input.idempotency_key === undefined) throw e;
      const existing = await this.executions.findOne({
        tenant_id: tenantId,
        workflow_id: input.workflow_id,
        idempotency_key: input.idempotency_key,
      });
      if (!existing) throw e;
      return { execution: executionFromDoc(existing), created: false };
    }
  }

  /** Concurrent creates with one idempotency key can lose a race without a duplicate-key error. */
  private async insertRetryingConflicts(doc: ExecutionDoc): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.executions.insertOne(doc);
        return;
      } catch (e) {
        if (!isTransientWriteConflict(e) || attempt >= 5) throw e;
      }
    }
  }

  async get(tenantId: string, executionId: string): Promise<Execution> {
    const doc = await this.executions.findOne({ _id: executionId, tenant_id: tenantId });
    if (!doc) throw new ExecutionNotFoundError(tenantId, executionId);
    return executionFromDoc(doc);
  }

  async findByIdempotencyKey(tenantId: string, workflowId: string, key: string): Promise<Execution | undefined> {
    const doc = await this.executions.findOne({ tenant_id: tenantId, workflow_id: workflowId, idempotency_key: key });
    return doc ? executionFromDoc(doc) : undefined;
  }

  async list(tenantId: string, query: ExecutionListQuery): Promise<Page<Execution>> {
    const filter: Filter<ExecutionDoc> = { tenant_id: tenantId };
    if (query.workflowId) filter.workflow_id = query.workflowId;
    if (query.status) filter.status = query.status;
    if (query.correlationId) filter.correlation_id = query.correlationId;
    if (query.startedFrom || query.startedTo) {
      filter.started_at = {
        ...(query.startedFrom ? { $gte: new Date(query.startedFrom) } : {}),
        ...(query.startedTo ? { $lte: new Date(query.startedTo) } : {}),
      };
    }
    const direction = query.sortOrder === 'asc' ? 1 : -1;
    const [docs, total] = await Promise.all([
      this.executions
        .find(filter)
        .sort({ [query.sortBy]: direction, _id: direction })
        .skip(query.offset)
        .limit(query.limit)
        .toArray(),
      this.executions.countDocuments(filter),
    ]);
    return { items: docs.map(executionFromDoc), total };
  }

  async update(
    tenantId: string,
    executionId: string,
    patch: ExecutionPatch,
    options: { onlyIfNotTerminal?: boolean } = {},
  ): Promise<Execution> {
    const set: Partial<ExecutionDoc> = { updated_at: new Date() };
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.output !== undefined) set.output_json = toJson(patch.output);
    if (patch.error !== undefined) set.error = patch.error;
    if (patch.current_task !== undefined) set.current_task = patch.current_task;
    if (patch.completed_at !== undefined) set.completed_at = new Date(patch.completed_at);
    if (patch.duration_ms !== undefined) set.duration_ms = patch.duration_ms;
    const filter: Filter<ExecutionDoc> = { _id: executionId, tenant_id: tenantId };
    if (options.onlyIfNotTerminal) filter.status = { $nin: [...TERMINAL_STATUSES] };
    const doc = await this.executions.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' });
    if (doc) return executionFromDoc(doc);
    return this.get(tenantId, executionId);
  }

  async findUnfinished(updatedBefore: string, limit: number): Promise<Execution[]> {
    const docs = await this.executions
      .find({ status: { $in: [...UNFINISHED] }, updated_at: { $lt: new Date(updatedBefore) } })
      .sort({ updated_at: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(executionFromDoc);
  }
}
