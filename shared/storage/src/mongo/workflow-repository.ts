import type { Collection, Filter, Sort } from 'mongodb';
import type {
  JsonObject,
  NewWorkflow,
  Page,
  WorkflowDefinition,
  WorkflowListQuery,
  WorkflowPatch,
  WorkflowRepository,
} from '@wormhole/interfaces';
import { WorkflowNotFoundError, newId, scheduleCorrelationIds } from '@wormhole/interfaces';
import type { WorkflowDoc, WorkflowVersionDoc } from './documents';
import type { MongoHistoryDeletion } from './history-deletion';
import { literal, workflowFromDoc } from './documents';

const versionId = (workflowId: string, version: number): string => `${workflowId}:${version}`;

export class MongoWorkflowRepository implements WorkflowRepository {
  constructor(
    private readonly workflows: Collection<WorkflowDoc>,
    private readonly versions: Collection<WorkflowVersionDoc>,
    /** Drops the `schedule.on.all` correlation histories a delete, deactivation or new definition ends. */
    private readonly histories: MongoHistoryDeletion,
  ) {}

  async create(tenantId: string, input: NewWorkflow): Promise<WorkflowDefinition> {
    const now = new Date();
    const description = input.description ?? '';
    const doc: WorkflowDoc = {
      _id: newId('workflow'),
      tenant_id: tenantId,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      description,
      description_lower: description.toLowerCase(),
      version: 1,
      spec_version: input.spec_version,
      definition_json: JSON.stringify(input.definition),
      state: input.state ?? 'active',
      tags: [...(input.tags ?? [])],
      ...(input.created_by !== undefined ? { created_by: input.created_by } : {}),
      created_at: now,
      updated_at: now,
    };
    // The version row first: a workflow is never visible without its definition's version.
    await this.versions.insertOne(versionDoc(doc, 1, now));
    await this.workflows.insertOne(doc);
    return workflowFromDoc(doc);
  }

  async get(tenantId: string, workflowId: string): Promise<WorkflowDefinition> {
    const doc = await this.workflows.findOne({ _id: workflowId, tenant_id: tenantId });
    if (!doc) throw new WorkflowNotFoundError(tenantId, workflowId);
    return workflowFromDoc(doc);
  }

  async getVersion(tenantId: string, workflowId: string, version: number): Promise<JsonObject> {
    const doc = await this.versions.findOne({ _id: versionId(workflowId, version), tenant_id: tenantId });
    const exists =
      doc && (await this.workflows.countDocuments({ _id: workflowId, tenant_id: tenantId }, { limit: 1 })) > 0;
    if (!doc || !exists) throw new WorkflowNotFoundError(tenantId, workflowId);
    return JSON.parse(doc.spec_json) as JsonObject;
  }

  async list(tenantId: string, query: WorkflowListQuery): Promise<Page<WorkflowDefinition>> {
    const filter = listFilter(tenantId, query);
    const direction = query.sortOrder === 'asc' ? 1 : -1;
    const sort: Sort = { [query.sortBy]: direction, _id: direction };
    const [docs, total] = await Promise.all([
      this.workflows.find(filter).sort(sort).skip(query.offset).limit(query.limit).toArray(),
      this.workflows.countDocuments(filter),
    ]);
    return { items: docs.map(workflowFromDoc), total };
  }

  /**
   * One atomic findOneAndUpdate: `$inc` on the version and the new definition land together, so
   * concurrent updates each get their own version. `updated_at` moves forward by at least 1 ms.
   */
  async update(tenantId: string, workflowId: string, patch: WorkflowPatch): Promise<WorkflowDefinition> {
    const now = new Date();
    const set: Record<string, unknown> = {};
    if (patch.name !== undefined) Object.assign(set, { name: patch.name, name_lower: patch.name.toLowerCase() });
    if (patch.description !== undefined) {
      Object.assign(set, { description: patch.description, description_lower: patch.description.toLowerCase() });
    }
    if (patch.tags !== undefined) set.tags = [...patch.tags];
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.spec_version !== undefined) set.spec_version = patch.spec_version;
    if (patch.definition !== undefined) set.definition_json = JSON.stringify(patch.definition);
    const pipeline = [
      {
        $set: {
          ...literalValues(set),
          updated_at: { $max: [now, { $add: ['$updated_at', 1] }] },
          ...(patch.definition !== undefined ? { version: { $add: ['$version', 1] } } : {}),
        },
      },
    ];
    const doc = await this.workflows.findOneAndUpdate({ _id: workflowId, tenant_id: tenantId }, pipeline, {
      returnDocument: 'after',
    });
    if (!doc) throw new WorkflowNotFoundError(tenantId, workflowId);
    if (patch.definition !== undefined) await this.versions.insertOne(versionDoc(doc, doc.version, now));
    if (patch.definition !== undefined || patch.state === 'inactive') {
      await this.histories.delete(tenantId, scheduleCorrelationIds(workflowId, doc.version));
    }
    return workflowFromDoc(doc);
  }

  async delete(tenantId: string, workflowId: string): Promise<void> {
    const doc = await this.workflows.findOneAndDelete({ _id: workflowId, tenant_id: tenantId });
    if (!doc) throw new WorkflowNotFoundError(tenantId, workflowId);
    await this.versions.deleteMany({ tenant_id: tenantId, workflow_id: workflowId });
    await this.histories.delete(tenantId, scheduleCorrelationIds(workflowId, doc.version));
  }

  /**
   * The maintenance query of the scheduler (see MaintenanceRepository.findScheduled). Definitions
   * are stored as JSON text, so the text search finds a superset (a nested "schedule" key too)
   * that each parsed definition narrows.
   */
  async findScheduled(): Promise<WorkflowDefinition[]> {
    const docs = await this.workflows
      .find({ state: 'active', definition_json: { $regex: '"schedule":' } })
      .sort({ tenant_id: 1, _id: 1 })
      .toArray();
    return docs.map(workflowFromDoc).filter((w) => w.definition.schedule !== undefined);
  }
}

function versionDoc(doc: WorkflowDoc, version: number, now: Date): WorkflowVersionDoc {
  return {
    _id: versionId(doc._id, version),
    tenant_id: doc.tenant_id,
    workflow_id: doc._id,
    version,
    spec_json: doc.definition_json,
    created_at: now,
  };
}

/** In an update pipeline, values starting with `$` would be read as field paths: wrap them all. */
function literalValues(set: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(set).map(([k, v]) => [k, { $literal: v }]));
}

function listFilter(tenantId: string, query: WorkflowListQuery): Filter<WorkflowDoc> {
  const and: Filter<WorkflowDoc>[] = [{ tenant_id: tenantId }];
  if (query.state) and.push({ state: query.state });
  if (query.name) and.push({ name_lower: { $regex: literal(query.name) } });
  if (query.tags && query.tags.length > 0) and.push({ tags: { $all: [...query.tags] } });
  for (const word of (query.search ?? '').split(/\s+/).filter((w) => w !== '')) {
    and.push({ $or: [{ name_lower: { $regex: literal(word) } }, { description_lower: { $regex: literal(word) } }] });
  }
  if (query.createdFrom || query.createdTo) {
    and.push({
      created_at: {
        ...(query.createdFrom ? { $gte: new Date(query.createdFrom) } : {}),
        ...(query.createdTo ? { $lte: new Date(query.createdTo) } : {}),
      },
    });
  }
  return { $and: and };
}
