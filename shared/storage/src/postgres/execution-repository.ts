import type {
  CreatedExecution,
  Execution,
  ExecutionListQuery,
  ExecutionPatch,
  ExecutionRepository,
  ExecutionSortField,
  NewExecution,
  Page,
} from '@wormhole/interfaces';
import { ExecutionNotFoundError, TERMINAL_STATUSES, newId } from '@wormhole/interfaces';
import type { ExecutionRow } from './mappers';
import { EXECUTION_COLUMNS, executionFromRow, jsonParam } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { NOW_MS, Params } from './sql-names';

// Executions not yet completed sort after the others in both directions.
const SORT_COLUMNS: Record<ExecutionSortField, string> = {
  started_at: 'started_at',
  completed_at: 'completed_at',
  status: 'status',
};

export const TERMINAL_LIST = TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Executions. Every method is a single statement, atomic on its own, so none needs a transaction.
 */
export class PostgresExecutionRepository implements ExecutionRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  /**
   * The unique index on (tenant_id, workflow_id, idempotency_key) decides races: a concurrent
   * insert with the same key waits for the first to commit, then does nothing, and we read the
   * winner back.
   */
  async create(tenantId: string, input: NewExecution): Promise<CreatedExecution> {
    const [row] = await queryRows<ExecutionRow>(
      this.db,
      `WITH tenant AS (INSERT INTO ${this.t.tenants} (id) VALUES ($1) ON CONFLICT DO NOTHING)
       INSERT INTO ${this.t.executions}
         (tenant_id, id, workflow_id, workflow_version, status, correlation_id, idempotency_key, input,
          started_at, updated_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7::jsonb, ${NOW_MS}, ${NOW_MS})
       ON CONFLICT (tenant_id, workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${EXECUTION_COLUMNS}`,
      [
        tenantId,
        newId('execution'),
        input.workflow_id,
        input.workflow_version,
        input.correlation_id ?? null,
        input.idempotency_key ?? null,
        jsonParam(input.input),
      ],
    );
    if (row) return { execution: executionFromRow(row), created: true };
    const [existing] = await queryRows<ExecutionRow>(
      this.db,
      `SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions}
       WHERE tenant_id = $1 AND workflow_id = $2 AND idempotency_key = $3`,
      [tenantId, input.workflow_id, input.idempotency_key ?? null],
    );
    if (!existing) throw new Error('idempotent insert conflicted but no execution holds the key');
    return { execution: executionFromRow(existing), created: false };
  }

  async get(tenantId: string, executionId: string): Promise<Execution> {
    const row = await this.find(tenantId, executionId);
    if (!row) throw new ExecutionNotFoundError(tenantId, executionId);
    return executionFromRow(row);
  }

  async findByIdempotencyKey(tenantId: string, workflowId: string, key: string): Promise<Execution | undefined> {
    const [row] = await queryRows<ExecutionRow>(
      this.db,
      `SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions}
       WHERE tenant_id = $1 AND workflow_id = $2 AND idempotency_key = $3`,
      [tenantId, workflowId, key],
    );
    return row ? executionFromRow(row) : undefined;
  }

  async list(tenantId: string, query: ExecutionListQuery): Promise<Page<Execution>> {
    const params = new Params();
    const where = whereClause(tenantId, query, params);
    const direction = query.sortOrder === 'desc' ? 'DESC' : 'ASC';
    const rows = await queryRows<ExecutionRow & { total_count: string }>(
      this.db,
      `SELECT COUNT(*) OVER () AS total_count, ${EXECUTION_COLUMNS} FROM ${this.t.executions}
       WHERE ${where}
       ORDER BY ${SORT_COLUMNS[query.sortBy]} ${direction} NULLS LAST, id ${direction}
       LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`,
      params.values,
    );
    const first = rows[0];
    if (first !== undefined) return { items: rows.map(executionFromRow), total: Number(first.total_count) };
    if (query.offset === 0) return { items: [], total: 0 };
    const countParams = new Params();
    const [counted] = await queryRows<{ total: string }>(
      this.db,
      `SELECT COUNT(*) AS total FROM ${this.t.executions} WHERE ${whereClause(tenantId, query, countParams)}`,
      countParams.values,
    );
    return { items: [], total: Number(counted?.total ?? 0) };
  }

  /**
   * One UPDATE; with `onlyIfNotTerminal` the status test is part of its WHERE, so it cannot race
   * with another writer finishing the execution. No row updated: read it to tell "terminal,
   * unchanged" from "not found".
   */
  async update(
    tenantId: string,
    executionId: string,
    patch: ExecutionPatch,
    options: { onlyIfNotTerminal?: boolean } = {},
  ): Promise<Execution> {
    const params = new Params();
    const conditions = [`tenant_id = ${params.add(tenantId)}`, `id = ${params.add(executionId)}`];
    if (options.onlyIfNotTerminal) conditions.push(`status NOT IN (${TERMINAL_LIST})`);
    const [row] = await queryRows<ExecutionRow>(
      this.db,
      `UPDATE ${this.t.executions} SET ${setClause(patch, params)}
       WHERE ${conditions.join(' AND ')}
       RETURNING ${EXECUTION_COLUMNS}`,
      params.values,
    );
    if (row) return executionFromRow(row);
    return this.get(tenantId, executionId);
  }

  private async find(tenantId: string, executionId: string): Promise<ExecutionRow | undefined> {
    const [row] = await queryRows<ExecutionRow>(
      this.db,
      `SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions} WHERE tenant_id = $1 AND id = $2`,
      [tenantId, executionId],
    );
    return row;
  }
}

/** The SET list of an execution update with `patch`, its values added to `params`. */
export function setClause(patch: ExecutionPatch, params: Params): string {
  // updated_at never goes backwards, even if the server clock does.
  const sets = [`updated_at = GREATEST(${NOW_MS}, updated_at)`];
  if (patch.status !== undefined) sets.push(`status = ${params.add(patch.status)}`);
  if (patch.output !== undefined) sets.push(`output = ${params.add(jsonParam(patch.output))}::jsonb`);
  if (patch.error !== undefined) sets.push(`error = ${params.add(jsonParam(patch.error))}::jsonb`);
  if (patch.current_task !== undefined) sets.push(`current_task = ${params.add(patch.current_task)}`);
  if (patch.completed_at !== undefined) {
    sets.push(`completed_at = ${params.add(patch.completed_at)}::timestamptz`);
  }
  if (patch.duration_ms !== undefined) sets.push(`duration_ms = ${params.add(patch.duration_ms)}`);
  return sets.join(', ');
}

function whereClause(tenantId: string, query: ExecutionListQuery, params: Params): string {
  const conditions = [`tenant_id = ${params.add(tenantId)}`];
  if (query.workflowId !== undefined) conditions.push(`workflow_id = ${params.add(query.workflowId)}`);
  if (query.status !== undefined) conditions.push(`status = ${params.add(query.status)}`);
  if (query.correlationId !== undefined) conditions.push(`correlation_id = ${params.add(query.correlationId)}`);
  if (query.startedFrom !== undefined) conditions.push(`started_at >= ${params.add(query.startedFrom)}::timestamptz`);
  if (query.startedTo !== undefined) conditions.push(`started_at <= ${params.add(query.startedTo)}::timestamptz`);
  return conditions.join(' AND ');
}
