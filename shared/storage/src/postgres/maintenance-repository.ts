import type { Execution, MaintenanceRepository } from '@wormhole/interfaces';
import type { ExecutionRow } from './mappers';
import { EXECUTION_COLUMNS, executionFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

/** Cross-tenant housekeeping queries for the reconciler. */
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
}
