import type { StepRun, StepRunRepository } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';
import type { StepRunRow } from './mappers';
import { STEP_RUN_COLUMNS, jsonParam, stepRunFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

/** Step runs: one row per attempt at a task, replaced whole on every transition. */
export class PostgresStepRunRepository implements StepRunRepository {
  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  async upsert(tenantId: string, step: StepRun): Promise<void> {
    if (step.tenant_id !== tenantId) {
      throw new ValidationError(`step run ${step.id} belongs to another tenant`, [
        { path: 'tenant_id', message: `expected '${tenantId}'` },
      ]);
    }
    await queryRows(
      this.db,
      `INSERT INTO ${this.t.stepRuns}
         (tenant_id, id, execution_id, task_name, task_path, task_type, status, attempt, input, output, error,
          started_at, completed_at, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::timestamptz,
         $13::timestamptz, $14)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         execution_id = EXCLUDED.execution_id, task_name = EXCLUDED.task_name, task_path = EXCLUDED.task_path,
         task_type = EXCLUDED.task_type, status = EXCLUDED.status, attempt = EXCLUDED.attempt,
         input = EXCLUDED.input, output = EXCLUDED.output, error = EXCLUDED.error,
         started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
         duration_ms = EXCLUDED.duration_ms`,
      [
        tenantId,
        step.id,
        step.execution_id,
        step.task_name,
        step.task_path,
        step.task_type,
        step.status,
        step.attempt,
        jsonParam(step.input),
        jsonParam(step.output),
        jsonParam(step.error),
        step.started_at,
        step.completed_at ?? null,
        step.duration_ms ?? null,
      ],
    );
  }

  async listByExecution(tenantId: string, executionId: string): Promise<StepRun[]> {
    const rows = await queryRows<StepRunRow>(
      this.db,
      `SELECT ${STEP_RUN_COLUMNS} FROM ${this.t.stepRuns}
       WHERE tenant_id = $1 AND execution_id = $2
       ORDER BY started_at, attempt, id`,
      [tenantId, executionId],
    );
    return rows.map(stepRunFromRow);
  }
}
