import type { Request } from 'express';
import type { ErrorDetail, SortOrder } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Query values as strings; repeated parameters and nested objects are refused. */
export class QueryReader {
  private readonly problems: ErrorDetail[] = [];
  readonly applied: Record<string, string> = {};

  constructor(private readonly query: Request['query']) {}

  string(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problems.push({ path: name, message: 'must be given once, as a plain value' });
      return undefined;
    }
    return value;
  }

  filter(name: string): string | undefined {
    const value = this.string(name)?.trim();
    if (value === undefined || value === '') return undefined;
    if (value.length > 200) {
      this.problems.push({ path: name, message: 'must be at most 200 characters' });
      return undefined;
    }
    this.applied[name] = value;
    return value;
  }

  int(name: string, min: number, max: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      this.problems.push({ path: name, message: `must be an integer from ${min} to ${max}` });
      return undefined;
    }
    return Number(text);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined || text === '') return undefined;
    const match = allowed.find((a) => a === text.toLowerCase());
    if (match === undefined) this.problems.push({ path: name, message: `must be one of ${allowed.join(', ')}` });
    return match;
  }

  date(name: string): string | undefined {
    const text = this.filter(name);
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
      this.problems.push({ path: name, message: 'must be an ISO 8601 date or date-time' });
      return undefined;
    }
    return new Date(ms).toISOString();
  }

  /** Throws one ValidationError listing every bad parameter. */
  done(): void {
    if (this.problems.length > 0) {
      throw new ValidationError(
        `invalid query parameters: ${this.problems.map((p) => p.path).join(', ')}`,
        this.problems,
      );
    }
  }
}

export interface Paging {
  readonly limit: number;
  readonly offset: number;
}

/** `limit`/`offset`, or `page`/`size` (1-based pages). */
export function readPaging(q: QueryReader): Paging {
  const size = q.int('size', 1, MAX_PAGE_SIZE);
  const page = q.int('page', 1, 1_000_000);
  const limit = q.int('limit', 1, MAX_PAGE_SIZE) ?? size ?? DEFAULT_PAGE_SIZE;
  const offset = q.int('offset', 0, 100_000_000) ?? (page !== undefined ? (page - 1) * limit : 0);
  return { limit, offset };
}

export function readSortOrder(q: QueryReader, fallback: SortOrder): SortOrder {
  return q.oneOf('sort_order', ['asc', 'desc'] as const) ?? fallback;
}

/** The list envelope of api.md. */
export function listEnvelope<T>(
  items: T[],
  total: number,
  paging: Paging,
  applied: Record<string, string>,
  sort: { field: string; order: SortOrder },
): {
  items: T[];
  pagination: Record<string, number | boolean>;
  filters: { applied: Record<string, string>; count: number };
  sort: { field: string; order: SortOrder };
} {
  const page = Math.floor(paging.offset / paging.limit) + 1;
  const totalPages = Math.ceil(total / paging.limit);
  return {
    items,
    pagination: {
      total,
      limit: paging.limit,
      offset: paging.offset,
      page,
      size: paging.limit,
      total_pages: totalPages,
      has_next: paging.offset + items.length < total,
      has_previous: paging.offset > 0,
    },
    filters: { applied, count: Object.keys(applied).length },
    sort,
  };
}
