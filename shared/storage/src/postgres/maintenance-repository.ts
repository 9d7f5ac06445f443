import type { Execution, MaintenanceRepository, WorkflowDefinition } from '@wormhole/interfaces';
import type { ExecutionRow, WorkflowRow } from './mappers';
import { EXECUTION_COLUMNS, executionFromRow, workflowFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { deleteHistories } from './history-deletion';
import { selectWorkflows } from './workflow-list';

/** Cross-tenant housekeeping queries for the reconciler and the scheduler. */
export class PostgresMaintenanceRepository implements MaintenanceRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async findUnfinished(updatedBefore: string, limit: number): Promise<Execution[]> {
    const rows = await queryRows<ExecutionRow>(
      this.db,
      `SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions}
       WHERE status IN ('pending', 'running', 'waiting', 'suspended') AND updated_at < $1::timestamptz
       ORDER BY updated_at, id LIMIT $2`,
      [updatedBefore, limit],
    );
    return rows.map(executionFromRow);
  }

  async findScheduled(): Promise<WorkflowDefinition[]> {
    const rows = await queryRows<WorkflowRow>(this.db, scheduledWorkflowsSql(this.t));
    return rows.map(workflowFromRow);
  }

  deleteHistories(tenantId: string, historyIds: readonly string[]): Promise<void> {
    return deleteHistories(this.db, this.t, tenantId, historyIds);
  }
}

/**
 * The active workflows whose current version has a top-level `schedule`. `v.is_active` (true on
 * the current version only) and the `->` test match workflow_versions_scheduled_idx's predicate,
 * so the planner can read that partial index; `->` rather than the `?` operator, which some
 * drivers read as a placeholder.
 */
export function scheduledWorkflowsSql(t: Tables): string {
  return `${selectWorkflows(t)} WHERE w.state = 'active' AND v.is_active AND (v.spec -> 'schedule') IS NOT NULL
    ORDER BY w.tenant_id, w.id`;
}
