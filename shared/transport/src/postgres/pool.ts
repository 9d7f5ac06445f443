import type { QueryResult, QueryResultRow } from 'pg';

/**
 * What the table-backed stream needs of a pool: single statements only. A `pg.Pool` fits, and so
 * does PGlite's pg adapter (whose pool must have one connection).
 */
export interface PgPool {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
