import type { StatsRepository, TenantStats } from '@wormhole/interfaces';
import { EXECUTION_STATUSES } from '@wormhole/interfaces';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

interface CountRow {
  kind: 'workflow' | 'execution';
  key: string;
  n: number;
}

/** Counts by state and status, grouped by the database in one round trip. */
export class PostgresStatsRepository implements StatsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async get(tenantId: string): Promise<TenantStats> {
    const rows = await queryRows<CountRow>(
      this.db,
      `SELECT 'workflow' AS kind, state AS key, COUNT(*)::int AS n FROM ${this.t.workflows}
       WHERE tenant_id = $1 GROUP BY state
       UNION ALL
       SELECT 'execution', status, COUNT(*)::int FROM ${this.t.executions}
       WHERE tenant_id = $1 GROUP BY status`,
      [tenantId],
    );
    const count = (kind: CountRow['kind'], key: string): number =>
      rows.find((row) => row.kind === kind && row.key === key)?.n ?? 0;
    const sum = (kind: CountRow['kind']): number =>
      rows.filter((row) => row.kind === kind).reduce((total, row) => total + row.n, 0);
    const executions = Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, count('execution', status)]));
    return {
      tenant_id: tenantId,
      workflows: {
        total: sum('workflow'),
        active: count('workflow', 'active'),
        inactive: count('workflow', 'inactive'),
      },
      executions: { total: sum('execution'), ...executions } as TenantStats['executions'],
    };
  }
}
