export type SortOrder = 'asc' | 'desc';

/** Offset pagination, applied by the database (never by loading everything into memory). */
export interface PageRequest {
  /** 1..100 */
  readonly limit: number;
  /** >= 0 */
  readonly offset: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Number of rows matching the filters, ignoring limit and offset. */
  readonly total: number;
}
