import type { StepRun, StepRunRepository } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';
import type { StepRunRow } from './mappers';
import { STEP_RUN_COLUMNS, jsonParam, stepRunFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import type { BatchOutcomes } from '@wormhole/platform';
import { MicroBatcher } from '@wormhole/platform';

/** One step run as the batched upsert reads it (jsonb_to_recordset): JSON values as text. */
export interface StepRecord {
  readonly tenant_id: string;
  readonly id: string;
  readonly execution_id: string;
  readonly task_name: string;
  readonly task_path: string;
  readonly task_type: string;
  readonly status: string;
  readonly attempt: number;
  readonly input: string | null;
  readonly output: string | null;
  readonly error: string | null;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly duration_ms: number | null;
}

/**
 * Step runs: one row per attempt at a task, replaced whole on every transition.
 *
 * Upserts issued in the same turn of the event loop (a worker projects many executions at once)
 * are written by one multi-row statement: the profile of the Postgres installation showed the
 * worker's time going to one statement per step transition. Each upsert still resolves only once
 * its row is written; a failed batch is retried row by row, so each caller gets its own outcome.
 */
export class PostgresStepRunRepository implements StepRunRepository {
  private readonly batcher = new MicroBatcher<StepRecord>((records) => this.flush(records), 200);

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
    await this.batcher.add(stepRecord(tenantId, step));
  }

  private async flush(records: readonly StepRecord[]): Promise<BatchOutcomes | undefined> {
    try {
      await this.write(latestPerRow(records));
      return undefined;
    } catch {
      const outcomes: unknown[] = [];
      // In order: two records of one row must land as sequential writes would have left them.
      for (const record of records) {
        outcomes.push(
          await this.write([record]).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
      }
      return outcomes;
    }
  }

  private async write(records: readonly StepRecord[]): Promise<void> {
    await queryRows(this.db, upsertStepRunsSql(this.t, '$1'), [JSON.stringify(records)]);
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

/**
 * One record per row, the last written: ON CONFLICT cannot update a row twice in one statement,
 * and of two upserts of one step the later one is what sequential writes would have left.
 */
export function latestPerRow(records: readonly StepRecord[]): StepRecord[] {
  const latest = new Map<string, StepRecord>();
  for (const record of records) {
    const key = `${record.tenant_id}\u0000${record.id}`;
    latest.delete(key);
    latest.set(key, record);
  }
  return [...latest.values()];
}

/** A step run as upsertStepRunsSql reads it. */
export function stepRecord(tenantId: string, step: StepRun): StepRecord {
  return {
    tenant_id: tenantId,
    id: step.id,
    execution_id: step.execution_id,
    task_name: step.task_name,
    task_path: step.task_path,
    task_type: step.task_type,
    status: step.status,
    attempt: step.attempt,
    input: jsonParam(step.input),
    output: jsonParam(step.output),
    error: jsonParam(step.error),
    started_at: step.started_at,
    completed_at: step.completed_at ?? null,
    duration_ms: step.duration_ms ?? null,
  };
}

/**
 * Upserts the step records of the JSON array in parameter `records` (one record per row: see
 * latestPerRow), only when `condition` holds (the one-statement advance makes them depend on the
 * append).
 */
export function upsertStepRunsSql(t: Tables, records: string, condition = 'true'): string {
  return `INSERT INTO ${t.stepRuns}
         (tenant_id, id, execution_id, task_name, task_path, task_type, status, attempt, input, output, error,
          started_at, completed_at, duration_ms)
       SELECT r.tenant_id, r.id, r.execution_id, r.task_name, r.task_path, r.task_type, r.status, r.attempt,
         r.input::jsonb, r.output::jsonb, r.error::jsonb, r.started_at::timestamptz, r.completed_at::timestamptz,
         r.duration_ms
       FROM jsonb_to_recordset(${records}::jsonb) AS r (tenant_id text, id text, execution_id text, task_name text,
         task_path text, task_type text, status text, attempt integer, input text, output text, error text,
         started_at text, completed_at text, duration_ms bigint)
       WHERE ${condition}
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         execution_id = EXCLUDED.execution_id, task_name = EXCLUDED.task_name, task_path = EXCLUDED.task_path,
         task_type = EXCLUDED.task_type, status = EXCLUDED.status, attempt = EXCLUDED.attempt,
         input = EXCLUDED.input, output = EXCLUDED.output, error = EXCLUDED.error,
         started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
         duration_ms = EXCLUDED.duration_ms`;
}
