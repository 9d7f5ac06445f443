import type { Redis } from 'ioredis';
import type {
  JsonObject,
  NewWorkflow,
  Page,
  WorkflowDefinition,
  WorkflowListQuery,
  WorkflowPatch,
  WorkflowRepository,
  WorkflowState,
} from '@wormhole/interfaces';
import { WorkflowNotFoundError, newId, scheduleCorrelationIds } from '@wormhole/interfaces';
import { deleteHistories } from './history-deletion';
import type { StorageKeys } from './keys';
import { Script } from './scripts';

const CREATE = Script.file('workflow_create.lua');
const UPDATE = Script.file('workflow_update.lua');
const DELETE = Script.file('workflow_delete.lua');
const LIST = Script.file('workflow_list.lua');

export class RedisWorkflowRepository implements WorkflowRepository {
  /** Whether this process has made sure older workflows are in the scheduled set. */
  private backfilled = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async create(tenantId: string, input: NewWorkflow): Promise<WorkflowDefinition> {
    const id = newId('workflow');
    const now = Date.now();
    const description = input.description ?? '';
    const state = input.state ?? 'active';
    const definition = JSON.stringify(input.definition);
    const fields: string[] = [
      'tenant_id',
      tenantId,
      'name_lower',
      input.name.toLowerCase(),
      'description',
      description,
      'description_lower',
      description.toLowerCase(),
      'spec_version',
      input.spec_version,
      'tags',
      JSON.stringify(input.tags ?? []),
      ...(input.created_by !== undefined ? ['created_by', input.created_by] : []),
    ];
    await CREATE.run(this.redis, this.indexKeys(tenantId, id, 'create'), [
      id,
      now,
      input.name,
      state,
      definition,
      ...fields,
    ]);
    return this.get(tenantId, id);
  }

  async get(tenantId: string, workflowId: string): Promise<WorkflowDefinition> {
    const hash = await this.redis.hgetall(this.keys.workflow(workflowId));
    if (hash.tenant_id !== tenantId) throw new WorkflowNotFoundError(tenantId, workflowId);
    return fromHash(workflowId, hash);
  }

  async getVersion(tenantId: string, workflowId: string, version: number): Promise<JsonObject> {
    const [owner, spec] = await this.redis
      .multi()
      .hget(this.keys.workflow(workflowId), 'tenant_id')
      .hget(this.keys.workflowVersions(workflowId), String(version))
      .exec()
      .then((r) => (r ?? []).map(([, v]) => v as string | null));
    if (owner !== tenantId || !spec) throw new WorkflowNotFoundError(tenantId, workflowId);
    return JSON.parse(spec) as JsonObject;
  }

  async list(tenantId: string, query: WorkflowListQuery): Promise<Page<WorkflowDefinition>> {
    const index = {
      created_at: this.keys.workflowsByCreated(tenantId),
      updated_at: this.keys.workflowsByUpdated(tenantId),
      name: this.keys.workflowsByName(tenantId),
    }[query.sortBy];
    const words = (query.search ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
    const filters = {
      ...(query.state ? { state: query.state } : {}),
      ...(query.name ? { name: query.name.toLowerCase() } : {}),
      ...(query.tags && query.tags.length > 0 ? { tags: query.tags } : {}),
      ...(words.length > 0 ? { words } : {}),
      ...(query.createdFrom ? { from: Date.parse(query.createdFrom) } : {}),
      ...(query.createdTo ? { to: Date.parse(query.createdTo) } : {}),
    };
    const args = [
      query.sortOrder,
      query.offset,
      query.limit,
      JSON.stringify(filters),
      this.keys.workflow(''),
      query.sortBy === 'name' ? 1 : 0,
    ];
    const [total, ...ids] = (await LIST.run(this.redis, [index], args)) as [number, ...string[]];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.workflow(id));
    const hashes = ((await pipeline.exec()) ?? []).map(([, h]) => h as Record<string, string>);
    return { items: ids.map((id, i) => fromHash(id, hashes[i] ?? {})), total };
  }

  async update(tenantId: string, workflowId: string, patch: WorkflowPatch): Promise<WorkflowDefinition> {
    const fields: Record<string, string> = {};
    if (patch.name !== undefined) Object.assign(fields, { name: patch.name, name_lower: patch.name.toLowerCase() });
    if (patch.description !== undefined) {
      Object.assign(fields, { description: patch.description, description_lower: patch.description.toLowerCase() });
    }
    if (patch.tags !== undefined) fields.tags = JSON.stringify(patch.tags);
    if (patch.state !== undefined) fields.state = patch.state;
    if (patch.spec_version !== undefined) fields.spec_version = patch.spec_version;
    if (patch.definition !== undefined) fields.definition = JSON.stringify(patch.definition);
    const updated = await UPDATE.run(this.redis, this.indexKeys(tenantId, workflowId, 'update'), [
      tenantId,
      workflowId,
      Date.now(),
      JSON.stringify(fields),
    ]);
    if (!Array.isArray(updated)) throw new WorkflowNotFoundError(tenantId, workflowId);
    // The script returns the hash as it left it: reading it again could see a later update.
    const workflow = fromHash(workflowId, pairsToRecord(updated as string[]));
    if (patch.definition !== undefined || patch.state === 'inactive') {
      await deleteHistories(this.redis, this.keys, tenantId, scheduleCorrelationIds(workflowId, workflow.version));
    }
    return workflow;
  }

  async delete(tenantId: string, workflowId: string): Promise<void> {
    const version = await DELETE.run(this.redis, this.indexKeys(tenantId, workflowId, 'delete'), [
      tenantId,
      workflowId,
    ]);
    if (version === 0) throw new WorkflowNotFoundError(tenantId, workflowId);
    await deleteHistories(this.redis, this.keys, tenantId, scheduleCorrelationIds(workflowId, Number(version)));
  }

  private indexKeys(tenantId: string, id: string, op: 'create' | 'update' | 'delete'): string[] {
    const k = this.keys;
    const definition = [k.workflow(id), k.workflowVersions(id)];
    if (op === 'update') {
      return [
        ...definition,
        k.workflowsByUpdated(tenantId),
        k.workflowsByName(tenantId),
        k.stats(tenantId),
        k.scheduledWorkflows(),
      ];
    }
    return [
      ...definition,
      k.workflowsByCreated(tenantId),
      k.workflowsByUpdated(tenantId),
      k.workflowsByName(tenantId),
      k.stats(tenantId),
      k.scheduledWorkflows(),
    ];
  }

  /**
   * The maintenance query of the scheduler (see MaintenanceRepository.findScheduled). The set the
   * scripts keep is a superset: each definition is read and checked; ids whose workflow is gone
   * (a backfill racing a delete) are dropped from it.
   */
  async findScheduled(): Promise<WorkflowDefinition[]> {
    if (!this.backfilled) {
      await this.backfillScheduled();
      this.backfilled = true;
    }
    const ids = (await this.redis.smembers(this.keys.scheduledWorkflows())).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.workflow(id));
    const hashes = ((await pipeline.exec()) ?? []).map(([, h]) => h as Record<string, string>);
    const gone = ids.filter((_, i) => !hashes[i]?.tenant_id);
    if (gone.length > 0) await this.redis.srem(this.keys.scheduledWorkflows(), ...gone);
    return ids
      .flatMap((id, i) => (hashes[i]?.tenant_id ? [fromHash(id, hashes[i])] : []))
      .filter((w) => w.state === 'active' && w.definition.schedule !== undefined)
      .sort((a, b) => (a.tenant_id === b.tenant_id ? 0 : a.tenant_id < b.tenant_id ? -1 : 1));
  }

  /**
   * Adds the workflows written before the scripts kept `scheduledWorkflows` (once per
   * installation, recorded by a marker key): a SCAN of the definition hashes, never KEYS. A
   * workflow written meanwhile is indexed by its script anyway, and the set may over-include.
   */
  private async backfillScheduled(): Promise<void> {
    const marker = this.keys.scheduledWorkflowsBackfilled();
    if ((await this.redis.exists(marker)) === 1) return;
    const base = this.keys.workflow('');
    const pattern = `${base.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      const ids = keys.filter((k) => !k.endsWith(':versions')).map((k) => k.slice(base.length));
      if (ids.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.keys.workflow(id), 'definition');
      const definitions = ((await pipeline.exec()) ?? []).map(([, d]) => d as string | null);
      const scheduled = ids.filter((_, i) => definitions[i]?.includes('"schedule":'));
      if (scheduled.length > 0) await this.redis.sadd(this.keys.scheduledWorkflows(), ...scheduled);
    } while (cursor !== '0');
    await this.redis.set(marker, new Date().toISOString());
  }
}

function fromHash(id: string, h: Record<string, string>): WorkflowDefinition {
  return {
    id,
    tenant_id: h.tenant_id ?? '',
    name: h.name ?? '',
    description: h.description ?? '',
    version: Number(h.version),
    spec_version: h.spec_version ?? '',
    definition: JSON.parse(h.definition ?? '{}') as JsonObject,
    state: (h.state ?? 'active') as WorkflowState,
    tags: JSON.parse(h.tags ?? '[]') as string[],
    ...(h.created_by !== undefined ? { created_by: h.created_by } : {}),
    created_at: new Date(Number(h.created_at)).toISOString(),
    updated_at: new Date(Number(h.updated_at)).toISOString(),
  };
}

function pairsToRecord(flat: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return record;
}
