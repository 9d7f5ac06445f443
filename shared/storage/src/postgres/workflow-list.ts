import type { Page, WorkflowDefinition, WorkflowListQuery, WorkflowSortField } from '@wormhole/interfaces';
import type { WorkflowRow } from './mappers';
import { workflowFromRow } from './mappers';
import type { Queryable } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';
import { Params, likeContains } from './sql-names';

/** The workflow with its current definition. `w` is workflows, `v` its current version. */
export function selectWorkflows(t: Tables, extraColumns = ''): string {
  return `SELECT ${extraColumns} w.tenant_id, w.id, w.name, w.description, w.version, w.spec_version, w.state, w.tags,
      w.created_by, w.created_at, w.updated_at, v.spec AS definition
    FROM ${t.workflows} w
    JOIN ${t.workflowVersions} v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id AND v.version = w.version`;
}

// Names sort by code point (COLLATE "C"), the order the other backends produce too, whatever the
// database's collation.
const SORT_COLUMNS: Record<WorkflowSortField, string> = {
  name: 'w.name COLLATE "C"',
  created_at: 'w.created_at',
  updated_at: 'w.updated_at',
};

/** The WHERE clause for the query's filters; the tenant always comes first. */
function whereClause(tenantId: string, query: WorkflowListQuery, params: Params): string {
  const conditions = [`w.tenant_id = ${params.add(tenantId)}`];
  if (query.state !== undefined) conditions.push(`w.state = ${params.add(query.state)}`);
  if (query.name !== undefined) conditions.push(`w.name ILIKE ${params.add(likeContains(query.name))} ESCAPE '\\'`);
  if (query.tags !== undefined && query.tags.length > 0) {
    conditions.push(`w.tags @> ${params.add([...query.tags])}::text[]`);
  }
  // Each term is a case-insensitive substring of name or description. The space joining them
  // cannot create a false match: terms are split on white space, so none contains one.
  for (const term of (query.search ?? '').split(/\s+/).filter((s) => s.length > 0)) {
    conditions.push(`(w.name || ' ' || w.description) ILIKE ${params.add(likeContains(term))} ESCAPE '\\'`);
  }
  if (query.createdFrom !== undefined) conditions.push(`w.created_at >= ${params.add(query.createdFrom)}::timestamptz`);
  if (query.createdTo !== undefined) conditions.push(`w.created_at <= ${params.add(query.createdTo)}::timestamptz`);
  return conditions.join(' AND ');
}

type CountedRow = WorkflowRow & { total_count: string };

/** Filters, sorts and pages in one statement; the total rides along as a window count. */
export async function listWorkflows(
  db: Queryable,
  t: Tables,
  tenantId: string,
  query: WorkflowListQuery,
): Promise<Page<WorkflowDefinition>> {
  const params = new Params();
  const where = whereClause(tenantId, query, params);
  const direction = query.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const rows = await queryRows<CountedRow>(
    db,
    `${selectWorkflows(t, 'COUNT(*) OVER () AS total_count,')}
     WHERE ${where}
     ORDER BY ${SORT_COLUMNS[query.sortBy]} ${direction}, w.id ${direction}
     LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`,
    params.values,
  );
  const first = rows[0];
  if (first !== undefined) return { items: rows.map(workflowFromRow), total: Number(first.total_count) };
  if (query.offset === 0) return { items: [], total: 0 };
  // Past the last page the window count has no row to ride on: count separately.
  const countParams = new Params();
  const counted = await queryRows<{ total: string }>(
    db,
    `SELECT COUNT(*) AS total FROM ${t.workflows} w WHERE ${whereClause(tenantId, query, countParams)}`,
    countParams.values,
  );
  return { items: [], total: Number(counted[0]?.total ?? 0) };
}
