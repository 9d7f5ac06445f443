import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

/**
 * Deletes histories (events and snapshot) by id, in one statement: the maintenance port's
 * `deleteHistories`, and the workflow writes that drop a workflow's `schedule.on.all` correlation
 * histories inside their own transaction. `= ANY` of exact ids reads the primary keys.
 */
export async function deleteHistories(
  db: Queryable,
  t: Tables,
  tenantId: string,
  historyIds: readonly string[],
): Promise<void> {
  if (historyIds.length === 0) return;
  await queryRows(
    db,
    `WITH gone AS (DELETE FROM ${t.events} WHERE tenant_id = $1 AND execution_id = ANY($2::text[]))
     DELETE FROM ${t.snapshots} WHERE tenant_id = $1 AND execution_id = ANY($2::text[])`,
    [tenantId, [...historyIds]],
  );
}
