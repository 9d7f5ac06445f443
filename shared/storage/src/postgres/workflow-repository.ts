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
import { deleteHistories } from './history-deletion';
import type { WorkflowRow } from './mappers';
import { jsonParam, workflowFromRow } from './mappers';
import type { ConnectionPool, Queryable } from './pool';
import { queryRows, withTransaction } from './pool';
import type { Tables } from './sql-names';
import { NOW_MS } from './sql-names';
import { listWorkflows, selectWorkflows } from './workflow-list';

type WorkflowColumns = Omit<WorkflowRow, 'definition'>;

const RETURNING = `RETURNING tenant_id, id, name, description, version, spec_version, state, tags, created_by,
  created_at, updated_at`;

interface AuditRecord {
  readonly workflowId: string;
  readonly action: 'created' | 'updated' | 'deleted';
  readonly actor?: string;
  readonly version: number;
  readonly fields: readonly string[];
}

/**
 * Workflows and their immutable versions. Each write runs in one transaction together with its
 * audit row, so the audit trail never disagrees with the data.
 */
export class PostgresWorkflowRepository implements WorkflowRepository {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly t: Tables,
  ) {}

  async create(tenantId: string, input: NewWorkflow): Promise<WorkflowDefinition> {
    return withTransaction(this.pool, async (tx) => {
      await queryRows(tx, `INSERT INTO ${this.t.tenants} (id) VALUES ($1) ON CONFLICT DO NOTHING`, [tenantId]);
      const [row] = await queryRows<WorkflowColumns>(
        tx,
        `INSERT INTO ${this.t.workflows}
           (tenant_id, id, name, description, version, spec_version, state, tags, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7::text[], $8, ${NOW_MS}, ${NOW_MS})
         ${RETURNING}`,
        [
          tenantId,
          newId('workflow'),
          input.name,
          input.description ?? '',
          input.spec_version,
          input.state ?? 'active',
          input.tags ?? [],
          input.created_by ?? null,
        ],
      );
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      await this.insertVersion(tx, row, input.definition);
      await this.audit(tx, tenantId, {
        workflowId: row.id,
        action: 'created',
        actor: input.created_by,
        version: 1,
        fields: presentFields(input).filter((k) => k !== 'created_by'),
      });
      return workflowFromRow({ ...row, definition: input.definition });
    });
  }

  async get(tenantId: string, workflowId: string): Promise<WorkflowDefinition> {
    const [row] = await queryRows<WorkflowRow>(
      this.pool,
      `${selectWorkflows(this.t)} WHERE w.tenant_id = $1 AND w.id = $2`,
      [tenantId, workflowId],
    );
    if (!row) throw new WorkflowNotFoundError(tenantId, workflowId);
    return workflowFromRow(row);
  }

  async getVersion(tenantId: string, workflowId: string, version: number): Promise<JsonObject> {
    const [row] = await queryRows<{ spec: JsonObject }>(
      this.pool,
      `SELECT spec FROM ${this.t.workflowVersions} WHERE tenant_id = $1 AND workflow_id = $2 AND version = $3`,
      [tenantId, workflowId, version],
    );
    if (!row) throw new WorkflowNotFoundError(tenantId, workflowId);
    return row.spec;
  }

  list(tenantId: string, query: WorkflowListQuery): Promise<Page<WorkflowDefinition>> {
    return listWorkflows(this.pool, this.t, tenantId, query);
  }

  async update(tenantId: string, workflowId: string, patch: WorkflowPatch): Promise<WorkflowDefinition> {
    return withTransaction(this.pool, async (tx) => {
      const row = await this.updateColumns(tx, tenantId, workflowId, patch);
      let definition = patch.definition;
      if (definition !== undefined) {
        await queryRows(
          tx,
          `UPDATE ${this.t.workflowVersions} SET is_active = false
           WHERE tenant_id = $1 AND workflow_id = $2 AND is_active`,
          [tenantId, workflowId],
        );
        await this.insertVersion(tx, row, definition);
      } else {
        definition = await this.currentSpec(tx, row);
      }
      if (patch.definition !== undefined || patch.state === 'inactive') {
        await deleteHistories(tx, this.t, tenantId, scheduleCorrelationIds(workflowId, row.version));
      }
      await this.audit(tx, tenantId, {
        workflowId,
        action: 'updated',
        version: row.version,
        fields: presentFields(patch),
      });
      return workflowFromRow({ ...row, definition });
    });
  }

  async delete(tenantId: string, workflowId: string): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      // Versions go with it (ON DELETE CASCADE), and its correlation histories; executions stay, they
      // refer to it by id only.
      const [row] = await queryRows<{ version: number }>(
        tx,
        `DELETE FROM ${this.t.workflows} WHERE tenant_id = $1 AND id = $2 RETURNING version`,
        [tenantId, workflowId],
      );
      if (!row) throw new WorkflowNotFoundError(tenantId, workflowId);
      await deleteHistories(tx, this.t, tenantId, scheduleCorrelationIds(workflowId, row.version));
      await this.audit(tx, tenantId, { workflowId, action: 'deleted', version: row.version, fields: [] });
    });
  }

  /**
   * One UPDATE: its row lock queues concurrent updates of this workflow, and each sees the version
   * its predecessor wrote, so a new definition bumps the version by exactly one. updated_at moves
   * by at least a millisecond even when two updates land within the same one.
   */
  private async updateColumns(
    tx: Queryable,
    tenantId: string,
    workflowId: string,
    patch: WorkflowPatch,
  ): Promise<WorkflowColumns> {
    const [row] = await queryRows<WorkflowColumns>(
      tx,
      `UPDATE ${this.t.workflows} SET
         name = COALESCE($3, name),
         description = COALESCE($4, description),
         spec_version = COALESCE($5, spec_version),
         tags = COALESCE($6::text[], tags),
         state = COALESCE($7, state),
         version = version + CASE WHEN $8::boolean THEN 1 ELSE 0 END,
         updated_at = GREATEST(${NOW_MS}, updated_at + interval '1 millisecond')
       WHERE tenant_id = $1 AND id = $2
       ${RETURNING}`,
      [
        tenantId,
        workflowId,
        patch.name ?? null,
        patch.description ?? null,
        patch.spec_version ?? null,
        patch.tags ?? null,
        patch.state ?? null,
        patch.definition !== undefined,
      ],
    );
    if (!row) throw new WorkflowNotFoundError(tenantId, workflowId);
    return row;
  }

  private async insertVersion(tx: Queryable, row: WorkflowColumns, definition: JsonObject): Promise<void> {
    await queryRows(
      tx,
      `INSERT INTO ${this.t.workflowVersions} (tenant_id, workflow_id, version, spec, is_active, created_at)
       VALUES ($1, $2, $3, $4::jsonb, true, $5)`,
      [row.tenant_id, row.id, row.version, jsonParam(definition), row.updated_at],
    );
  }

  private async currentSpec(tx: Queryable, row: WorkflowColumns): Promise<JsonObject> {
    const [version] = await queryRows<{ spec: JsonObject }>(
      tx,
      `SELECT spec FROM ${this.t.workflowVersions} WHERE tenant_id = $1 AND workflow_id = $2 AND version = $3`,
      [row.tenant_id, row.id, row.version],
    );
    if (!version) throw new Error(`workflow ${row.id} has no row for its current version ${row.version}`);
    return version.spec;
  }

  private async audit(tx: Queryable, tenantId: string, record: AuditRecord): Promise<void> {
    await queryRows(
      tx,
      `INSERT INTO ${this.t.auditEvents}
         (tenant_id, resource_type, resource_id, action, actor, version, changed_fields, occurred_at)
       VALUES ($1, 'workflow', $2, $3, $4, $5, $6::text[], ${NOW_MS})`,
      [tenantId, record.workflowId, record.action, record.actor ?? null, record.version, [...record.fields]],
    );
  }
}

function presentFields(object: object): string[] {
  return Object.entries(object)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
