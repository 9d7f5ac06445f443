import type { AppendOptions, EngineEvent, EventRepository, StoredEngineEvent } from '@wormhole/interfaces';
import { ConflictError, ValidationError } from '@wormhole/interfaces';
import type { EventRow } from './mappers';
import { eventFromRow } from './mappers';
import type { ConnectionPool } from './pool';
import { queryRows } from './pool';
import type { Tables } from './sql-names';

/** Attempts at a plain append (no expected sequence) that lost a race for the next sequence. */
const MAX_APPEND_ATTEMPTS = 20;

/**
 * Execution histories. An append is one statement (one round trip, no transaction): it reads the
 * last sequence, drops ids already stored (and repeats within the batch), and numbers the rest
 * after it, only when the last sequence is the expected one. Two appends racing for the same
 * sequence collide on the primary key; with an expected sequence that is the caller's conflict,
 * without one the loser simply tries again at the new end.
 */
export class PostgresEventRepository implements EventRepository {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly t: Tables,
  ) {}

  async append(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    options: AppendOptions = {},
  ): Promise<StoredEngineEvent[]> {
    checkOwnership(tenantId, executionId, events);
    if (events.length === 0 && options.expectedSequence === undefined) return [];
    const expected = options.expectedSequence;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(tenantId, executionId, events, expected);
      } catch (e) {
        if (!(e instanceof ConflictError) || expected !== undefined || attempt >= MAX_APPEND_ATTEMPTS) throw e;
      }
    }
  }

  private async appendOnce(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expected: number | undefined,
  ): Promise<StoredEngineEvent[]> {
    const rows = await queryRows<EventRow & { last: string | null }>(
      this.pool,
      `WITH ${appendCtes(this.t, { tenant: '$1', execution: '$2', events: '$3', expected: '$4' })}
       SELECT NULL::text AS last, sequence, attributes, payload_json FROM inserted
       UNION ALL
       SELECT l.last::text, NULL, NULL, NULL FROM last l`,
      [tenantId, executionId, JSON.stringify(events), expected ?? null],
    );
    const lastSequence = Number(rows.find((r) => r.last !== null)?.last ?? 0);
    if (expected !== undefined && expected !== lastSequence) {
      throw new ConflictError(`execution ${executionId} history is at sequence ${lastSequence}, expected ${expected}`);
    }
    // RETURNING does not promise an order.
    return rows
      .filter((r) => r.last === null)
      .map(eventFromRow)
      .sort((a, b) => a.sequence - b.sequence);
  }

  async list(tenantId: string, executionId: string, afterSequence = 0): Promise<StoredEngineEvent[]> {
    const rows = await queryRows<EventRow>(
      this.pool,
      `SELECT sequence, attributes, payload::text AS payload_json FROM ${this.t.events}
       WHERE tenant_id = $1 AND execution_id = $2 AND sequence > $3
       ORDER BY sequence`,
      [tenantId, executionId, afterSequence],
    );
    return rows.map(eventFromRow);
  }
}

/** The placeholders of an append's values (see appendCtes). */
export interface AppendParams {
  readonly tenant: string;
  readonly execution: string;
  /** The events as a JSON array. */
  readonly events: string;
  /** The expected last sequence, or NULL for none. */
  readonly expected: string;
}

/**
 * The append as common table expressions: `last` (the history's last sequence before it) and
 * `inserted` (the new events, RETURNING sequence, attributes and payload_json). Events whose id
 * is stored already, or repeated in the batch, are dropped; nothing is inserted unless the last
 * sequence is the expected one.
 */
export function appendCtes(t: Tables, p: AppendParams): string {
  return `last AS (
         SELECT COALESCE(MAX(sequence), 0) AS last FROM ${t.events}
         WHERE tenant_id = ${p.tenant}::text AND execution_id = ${p.execution}::text
       ), input AS (
         SELECT e.doc, e.ord FROM jsonb_array_elements(${p.events}::jsonb) WITH ORDINALITY AS e (doc, ord)
       ), fresh AS (
         SELECT DISTINCT ON (doc ->> 'id') doc, ord FROM input
         WHERE NOT EXISTS (
           SELECT 1 FROM ${t.events} x
           WHERE x.tenant_id = ${p.tenant}::text AND x.execution_id = ${p.execution}::text AND x.id = input.doc ->> 'id'
         )
         ORDER BY doc ->> 'id', ord
       ), inserted AS (
         INSERT INTO ${t.events} (tenant_id, execution_id, sequence, id, type, attributes, payload, time)
         SELECT ${p.tenant}::text, ${p.execution}::text, last.last + ROW_NUMBER() OVER (ORDER BY fresh.ord), doc ->> 'id',
           doc ->> 'type', doc - 'data', doc -> 'data', (doc ->> 'time')::timestamptz
         FROM fresh CROSS JOIN last
         WHERE ${p.expected}::bigint IS NULL OR last.last = ${p.expected}::bigint
         RETURNING sequence, attributes, payload::text AS payload_json
       )`;
}

/** @throws ValidationError when an event is another tenant's or execution's */
export function checkOwnership(tenantId: string, executionId: string, events: readonly EngineEvent[]): void {
  for (const event of events) {
    if (event.tenantid !== tenantId || event.executionid !== executionId) {
      throw new ValidationError(`event ${event.id} belongs to another tenant or execution`, [
        { path: 'tenantid', message: `expected tenant '${tenantId}' and execution '${executionId}'` },
      ]);
    }
  }
}
