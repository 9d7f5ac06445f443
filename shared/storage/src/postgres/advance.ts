import type { Database, DeriveRows, EngineEvent, StoredEngineEvent } from '@wormhole/interfaces';
import { ConflictError } from '@wormhole/interfaces';
import { advanceInOrder, writeDerivedRows } from '../advance-in-order';
import { appendCtes, checkOwnership } from './event-repository';
import { TERMINAL_LIST, setClause } from './execution-repository';
import { insertLogsSql } from './log-repository';
import type { EventRow } from './mappers';
import { eventFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { Params } from './sql-names';
import { latestPerRow, stepRecord, upsertStepRunsSql } from './step-run-repository';

/**
 * `Database.advance` in one statement: the append and, depending on it, the step runs, the log
 * lines and the execution row, as data-modifying CTEs. One round trip and one commit instead of
 * three or four per worker event (the largest share of the Postgres server's CPU per run), and
 * atomic: a worker dying mid-event leaves either everything or nothing.
 *
 * The rows are derived before the statement, from the events as they will be stored: numbered
 * after `expectedSequence`, as the fenced append numbers them when it inserts all of them. Where
 * it inserts fewer (ids already stored: a partial redelivery), the statement writes no rows and
 * they are derived again from what was stored and written separately.
 */
export async function advanceInOneStatement(
  db: Queryable,
  t: Tables,
  database: Database,
  tenantId: string,
  executionId: string,
  events: readonly EngineEvent[],
  expectedSequence: number,
  derive: DeriveRows,
): Promise<StoredEngineEvent[]> {
  checkOwnership(tenantId, executionId, events);
  if (events.length === 0) {
    return advanceInOrder(database, tenantId, executionId, events, expectedSequence, derive);
  }
  const presumed = events.map((event, i) => ({ ...event, sequence: expectedSequence + i + 1 }));
  const rows = await derive(presumed);
  const params = new Params();
  const tenant = params.add(tenantId);
  const execution = params.add(executionId);
  const ctes = [
    appendCtes(t, {
      tenant,
      execution,
      events: params.add(JSON.stringify(events)),
      expected: params.add(expectedSequence),
    }),
    `whole AS (SELECT (SELECT COUNT(*) FROM inserted) = ${params.add(events.length)}::bigint AS ok)`,
  ];
  const ok = '(SELECT ok FROM whole)';
  if (rows.steps.length > 0) {
    const records = latestPerRow(rows.steps.map((step) => stepRecord(tenantId, step)));
    ctes.push(`steps AS (${upsertStepRunsSql(t, params.add(JSON.stringify(records)), ok)})`);
  }
  if (rows.logs.length > 0) ctes.push(`logs AS (${insertLogsSql(t, params.add(JSON.stringify(rows.logs)), ok)})`);
  if (Object.keys(rows.patch).length > 0) {
    const set = setClause(rows.patch, params);
    ctes.push(
      `execution AS (UPDATE ${t.executions} SET ${set}
         WHERE tenant_id = ${tenant} AND id = ${execution} AND status NOT IN (${TERMINAL_LIST}) AND ${ok})`,
    );
  }
  const result = await queryRows<EventRow & { last: string | null; whole: boolean | null }>(
    db,
    `WITH ${ctes.join(',\n')}
     SELECT NULL::text AS last, NULL::boolean AS whole, sequence, attributes, payload_json FROM inserted
     UNION ALL
     SELECT l.last::text, ${ok}, NULL, NULL, NULL FROM last l`,
    params.values,
  );
  const summary = result.find((r) => r.last !== null);
  const last = Number(summary?.last ?? 0);
  if (last !== expectedSequence) {
    throw new ConflictError(`execution ${executionId} history is at sequence ${last}, expected ${expectedSequence}`);
  }
  // RETURNING does not promise an order.
  const stored = result
    .filter((r) => r.last === null)
    .map(eventFromRow)
    .sort((a, b) => a.sequence - b.sequence);
  if (summary?.whole !== true) await writeDerivedRows(database, tenantId, executionId, await derive(stored));
  return stored;
}
