import type { LogEntry, LogQuery, LogRepository } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';
import type { LogRow } from './mappers';
import { logFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { Params } from './sql-names';
import type { BatchOutcomes } from '@wormhole/platform';
import { MicroBatcher } from '@wormhole/platform';

const DEFAULT_LIMIT = 1000;

/** Execution log lines. Postgres keeps them until the worker's retention job purges them (LOG_RETENTION_DAYS). */
export class PostgresLogRepository implements LogRepository {
  private readonly batcher = new MicroBatcher<readonly LogEntry[]>((appends) => this.flush(appends), 200);

  constructor(
    private readonly db: Queryable,
    private readonly t: Tables,
  ) {}

  /**
   * One INSERT for the whole batch; identity ids follow the batch order (the tie-break on read).
   * Appends issued in the same turn of the event loop (many executions projected at once) share
   * that INSERT, in the order they were issued; a failed shared INSERT is retried append by
   * append, so each caller gets its own outcome.
   */
  async append(tenantId: string, entries: readonly LogEntry[]): Promise<void> {
    const stranger = entries.find((entry) => entry.tenant_id !== tenantId);
    if (stranger) {
      throw new ValidationError('log line belongs to another tenant', [
        { path: 'tenant_id', message: `expected '${tenantId}', got '${stranger.tenant_id}'` },
      ]);
    }
    if (entries.length === 0) return;
    await this.batcher.add(entries);
  }

  private async flush(appends: readonly (readonly LogEntry[])[]): Promise<BatchOutcomes | undefined> {
    try {
      await this.write(appends.flat());
      return undefined;
    } catch {
      const outcomes: unknown[] = [];
      for (const entries of appends) {
        outcomes.push(
          await this.write(entries).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
      }
      return outcomes;
    }
  }

  private async write(entries: readonly LogEntry[]): Promise<void> {
    await queryRows(this.db, insertLogsSql(this.t, '$1'), [JSON.stringify(entries)]);
  }

  async list(tenantId: string, executionId: string, query: LogQuery = {}): Promise<LogEntry[]> {
    const params = new Params();
    const conditions = [`tenant_id = ${params.add(tenantId)}`, `execution_id = ${params.add(executionId)}`];
    if (query.stepRunId !== undefined) conditions.push(`step_run_id = ${params.add(query.stepRunId)}`);
    if (query.level !== undefined) conditions.push(`level = ${params.add(query.level)}`);
    const rows = await queryRows<LogRow>(
      this.db,
      `SELECT tenant_id, execution_id, step_run_id, task, level, message, context, timestamp
       FROM ${this.t.executionLogs}
       WHERE ${conditions.join(' AND ')}
       ORDER BY timestamp, id
       LIMIT ${params.add(query.limit ?? DEFAULT_LIMIT)}`,
      params.values,
    );
    return rows.map(logFromRow);
  }

  async purge(before: string, limit: number): Promise<number> {
    // Oldest first through execution_logs_timestamp_idx, a bounded batch per statement.
    const result = await this.db.query(
      `DELETE FROM ${this.t.executionLogs} WHERE id IN (
         SELECT id FROM ${this.t.executionLogs} WHERE timestamp < $1::timestamptz ORDER BY timestamp LIMIT $2)`,
      [before, limit],
    );
    return result.rowCount ?? 0;
  }
}

/**
 * Inserts the log entries of the JSON array in parameter `entries`, in array order (identity ids
 * follow it: the tie-break on read), only when `condition` holds (see upsertStepRunsSql).
 */
export function insertLogsSql(t: Tables, entries: string, condition = 'true'): string {
  return `INSERT INTO ${t.executionLogs}
         (tenant_id, execution_id, step_run_id, task, level, message, context, timestamp)
       SELECT e ->> 'tenant_id', e ->> 'execution_id', e ->> 'step_run_id', e ->> 'task', e ->> 'level',
         e ->> 'message', e -> 'context', (e ->> 'timestamp')::timestamptz
       FROM jsonb_array_elements(${entries}::jsonb) WITH ORDINALITY AS x (e, ord)
       WHERE ${condition}
       ORDER BY ord`;
}
