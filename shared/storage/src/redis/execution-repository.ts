import type { Redis } from 'ioredis';
import type {
  CreatedExecution,
  DslError,
  Execution,
  ExecutionListQuery,
  ExecutionPatch,
  ExecutionRepository,
  ExecutionStatus,
  JsonValue,
  NewExecution,
  Page,
} from '@wormhole/interfaces';
import { ExecutionNotFoundError, newId } from '@wormhole/interfaces';
import type { StorageKeys } from './keys';
import { Script } from './scripts';

const CREATE = Script.file('execution_create.lua');
const UPDATE = Script.file('execution_update.lua');
const LIST = Script.file('execution_list.lua');
const BACKFILL = Script.file('execution_index_backfill.lua');
/** Executions indexed per backfill call: bounds the time one call holds Redis. */
const BACKFILL_SLICE = 500;

export class RedisExecutionRepository implements ExecutionRepository {
  /** Tenants whose indexes this process saw backfilled (saves the marker read on each list). */
  private readonly backfilled = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async create(tenantId: string, input: NewExecution): Promise<CreatedExecution> {
    const id = newId('execution');
    const k = this.keys;
    const idempotency =
      input.idempotency_key !== undefined ? k.idempotency(tenantId, input.workflow_id, input.idempotency_key) : '';
    const fields = [
      'tenant_id',
      tenantId,
      'workflow_id',
      input.workflow_id,
      'workflow_version',
      String(input.workflow_version),
      'input',
      JSON.stringify(input.input),
      ...(input.correlation_id !== undefined ? ['correlation_id', input.correlation_id] : []),
      ...(input.idempotency_key !== undefined ? ['idempotency_key', input.idempotency_key] : []),
    ];
    const keys = [
      k.execution(tenantId, id),
      k.executionsByStarted(tenantId),
      k.stats(tenantId),
      k.unfinished(),
      idempotency,
      executionIndex(k, tenantId, { workflow: input.workflow_id }),
      executionIndex(k, tenantId, { status: 'pending' }),
      executionIndex(k, tenantId, { workflow: input.workflow_id, status: 'pending' }),
    ];
    const [created, executionId, ...flat] = (await CREATE.run(this.redis, keys, [
      id,
      Date.now(),
      tenantId,
      ...fields,
    ])) as [number, string, ...string[]];
    const hash = pairsToHash(flat);
    if (hash.tenant_id !== tenantId) throw new ExecutionNotFoundError(tenantId, executionId);
    return { execution: fromHash(executionId, hash), created: created === 1 };
  }

  async get(tenantId: string, executionId: string): Promise<Execution> {
    const hash = await this.redis.hgetall(this.keys.execution(tenantId, executionId));
    if (hash.tenant_id !== tenantId) throw new ExecutionNotFoundError(tenantId, executionId);
    return fromHash(executionId, hash);
  }

  async findByIdempotencyKey(tenantId: string, workflowId: string, key: string): Promise<Execution | undefined> {
    // The key holds the id of the execution that claimed it (execution_create.lua).
    const executionId = await this.redis.get(this.keys.idempotency(tenantId, workflowId, key));
    if (executionId === null) return undefined;
    try {
      return await this.get(tenantId, executionId);
    } catch (e) {
      if (e instanceof ExecutionNotFoundError) return undefined;
      throw e;
    }
  }

  async list(tenantId: string, query: ExecutionListQuery): Promise<Page<Execution>> {
    await this.backfillIndexes(tenantId);
    const filters = {
      ...(query.workflowId ? { workflow: query.workflowId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.correlationId ? { correlation: query.correlationId } : {}),
      ...(query.startedFrom ? { from: Date.parse(query.startedFrom) } : {}),
      ...(query.startedTo ? { to: Date.parse(query.startedTo) } : {}),
    };
    const args = [
      query.sortOrder,
      query.offset,
      query.limit,
      JSON.stringify(filters),
      this.keys.execution(tenantId, ''),
      query.sortBy,
      // The index answers alone what it is keyed by; a correlation filter or another order
      // still reads each candidate's hash.
      !query.correlationId && query.sortBy === 'started_at' ? '1' : '0',
    ];
    const index = executionIndex(this.keys, tenantId, {
      ...(query.workflowId ? { workflow: query.workflowId } : {}),
      ...(query.status ? { status: query.status } : {}),
    });
    const [total, ...ids] = (await LIST.run(this.redis, [index], args)) as [number, ...string[]];
    return { items: await this.many(tenantId, ids), total };
  }

  async update(
    tenantId: string,
    executionId: string,
    patch: ExecutionPatch,
    options: { onlyIfNotTerminal?: boolean } = {},
  ): Promise<Execution> {
    const fields: Record<string, string> = {};
    if (patch.status !== undefined) fields.status = patch.status;
    if (patch.output !== undefined) fields.output = JSON.stringify(patch.output);
    if (patch.error !== undefined) fields.error = JSON.stringify(patch.error);
    if (patch.current_task !== undefined) fields.current_task = patch.current_task;
    if (patch.completed_at !== undefined) fields.completed_at = String(Date.parse(patch.completed_at));
    if (patch.duration_ms !== undefined) fields.duration_ms = String(patch.duration_ms);
    const k = this.keys;
    const updated = await UPDATE.run(
      this.redis,
      [k.execution(tenantId, executionId), k.stats(tenantId), k.unfinished()],
      [
        tenantId,
        executionId,
        Date.now(),
        options.onlyIfNotTerminal ? '1' : '0',
        JSON.stringify(fields),
        k.executionIndexes(tenantId),
      ],
    );
    if (!Array.isArray(updated)) throw new ExecutionNotFoundError(tenantId, executionId);
    return fromHash(executionId, pairsToHash(updated as string[]));
  }

  async findUnfinished(updatedBefore: string, limit: number): Promise<Execution[]> {
    const members = await this.redis.zrangebyscore(
      this.keys.unfinished(),
      '-inf',
      `(${Date.parse(updatedBefore)}`,
      'LIMIT',
      0,
      limit,
    );
    const found: Execution[] = [];
    for (const member of members) {
      const [tenantId = '', id = ''] = member.split('\0');
      found.push(...(await this.many(tenantId, [id])));
    }
    return found;
  }

  /**
   * Executions stored before the by_workflow / by_status indexes existed are added to them once
   * per tenant (a marker key records it), in slices, before the tenant's first list.
   */
  private async backfillIndexes(tenantId: string): Promise<void> {
    const k = this.keys;
    const marker = k.executionIndexesBackfilled(tenantId);
    if (this.backfilled.has(tenantId) || (await this.redis.exists(marker)) === 1) {
      this.backfilled.add(tenantId);
      return;
    }
    for (let offset = 0; ; offset += BACKFILL_SLICE) {
      const args = [offset, BACKFILL_SLICE, k.execution(tenantId, ''), k.executionIndexes(tenantId)];
      const held = Number(await BACKFILL.run(this.redis, [k.executionsByStarted(tenantId)], args));
      if (held < BACKFILL_SLICE) break;
    }
    await this.redis.set(marker, new Date().toISOString());
    this.backfilled.add(tenantId);
  }

  private async many(tenantId: string, ids: readonly string[]): Promise<Execution[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.execution(tenantId, id));
    const hashes = ((await pipeline.exec()) ?? []).map(([, h]) => h as Record<string, string>);
    return ids.flatMap((id, i) => (hashes[i]?.tenant_id === tenantId ? [fromHash(id, hashes[i])] : []));
  }
}

/** A hash from a script's flat HGETALL reply (field, value, field, value…). */
function pairsToHash(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

function fromHash(id: string, h: Record<string, string>): Execution {
  const iso = (ms: string): string => new Date(Number(ms)).toISOString();
  return {
    id,
    tenant_id: h.tenant_id ?? '',
    workflow_id: h.workflow_id ?? '',
    workflow_version: Number(h.workflow_version),
    status: (h.status ?? 'pending') as ExecutionStatus,
    ...(h.correlation_id !== undefined ? { correlation_id: h.correlation_id } : {}),
    ...(h.idempotency_key !== undefined ? { idempotency_key: h.idempotency_key } : {}),
    input: JSON.parse(h.input ?? 'null') as JsonValue,
    ...(h.output !== undefined ? { output: JSON.parse(h.output) as JsonValue } : {}),
    ...(h.error !== undefined ? { error: JSON.parse(h.error) as DslError } : {}),
    ...(h.current_task !== undefined ? { current_task: h.current_task } : {}),
    started_at: iso(h.started_at ?? '0'),
    ...(h.completed_at !== undefined ? { completed_at: iso(h.completed_at) } : {}),
    ...(h.duration_ms !== undefined ? { duration_ms: Number(h.duration_ms) } : {}),
    updated_at: iso(h.updated_at ?? '0'),
  };
}

/** The narrowest start-time index holding every execution that matches `filter`. */
function executionIndex(keys: StorageKeys, tenantId: string, filter: { workflow?: string; status?: string }): string {
  const prefix = keys.executionIndexes(tenantId);
  if (filter.workflow !== undefined && filter.status !== undefined) {
    return `${prefix}by_workflow:${filter.workflow}:status:${filter.status}`;
  }
  if (filter.workflow !== undefined) return `${prefix}by_workflow:${filter.workflow}`;
  if (filter.status !== undefined) return `${prefix}by_status:${filter.status}`;
  return keys.executionsByStarted(tenantId);
}
