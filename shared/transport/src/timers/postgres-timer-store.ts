import type { ScheduledTimer, TimerStore } from '@wormhole/interfaces';
import { UnavailableError, ensureError } from '@wormhole/interfaces';
import type { PgPool } from '../postgres/pool';
import { assertSchemaName } from '../postgres/sql';

/**
 * The timers table. `due_at` is the time the timer was scheduled for and is handed back as
 * `dueAt`; `claimable_at` is when it may be claimed next: `due_at` until a claim moves it to
 * the lease's end (the Redis store's re-scored sorted-set member). Epoch milliseconds as double
 * precision, like Redis scores, so any number the port accepts is kept exactly. Serialised by an advisory lock so concurrent starts do not race on CREATE.
 */
function ddl(s: string): string {
  return `
SELECT pg_advisory_xact_lock(hashtext('wormhole.transport.timers.ddl'));
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.timers (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  workflow_id  text NOT NULL,
  execution_id text NOT NULL,
  task_path    text NOT NULL,
  task_name    text NOT NULL,
  due_at       double precision NOT NULL,
  claimable_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS timers_claimable ON ${s}.timers (claimable_at, id COLLATE "C");
`;
}

interface Statements {
  readonly schedule: string;
  readonly claimDue: string;
  readonly complete: string;
  readonly nextDueAt: string;
}

function statements(s: string): Statements {
  const columns = 'id, tenant_id, workflow_id, execution_id, task_path, task_name, due_at';
  return {
    // Idempotent by id: a second schedule of a pending (or claimed) timer changes nothing.
    schedule: `INSERT INTO ${s}.timers (${columns}, claimable_at) VALUES ($1, $2, $3, $4, $5, $6, $7::float8, $7::float8)
      ON CONFLICT (id) DO NOTHING`,
    // One statement: SKIP LOCKED keeps concurrent claimers off each other's rows, and a row a
    // concurrent claim has just moved past $1 no longer matches when re-checked. Ids break ties
    // in byte order, as Redis orders equal scores.
    claimDue: `WITH due AS (
        SELECT id, claimable_at FROM ${s}.timers
        WHERE claimable_at <= $1::float8
        ORDER BY claimable_at, id COLLATE "C"
        LIMIT $2::int
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE ${s}.timers t SET claimable_at = $1::float8 + $3::float8
        FROM due WHERE t.id = due.id
        RETURNING t.id, t.tenant_id, t.workflow_id, t.execution_id, t.task_path, t.task_name, t.due_at,
          due.claimable_at AS was_claimable_at
      )
      SELECT * FROM claimed ORDER BY was_claimable_at, id COLLATE "C"`,
    complete: `DELETE FROM ${s}.timers WHERE id = ANY($1::text[])`,
    nextDueAt: `SELECT min(claimable_at) AS next FROM ${s}.timers`,
  };
}

interface TimerRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  execution_id: string;
  task_path: string;
  task_name: string;
  due_at: number;
}

/**
 * Timers in a Postgres table, on a real server or on PGlite through its pg adapter: every
 * operation is a single statement, so a pool of one connection is enough and nothing holds it.
 * Semantics as `RedisTimerStore`: a claim moves the timer's next claim time to the lease's end;
 * `complete` or `cancel` deletes it.
 */
export class PostgresTimerStore implements TimerStore {
  private closed = false;

  private constructor(
    private readonly pool: PgPool,
    private readonly sql: Statements,
  ) {}

  /** Creates the schema and table if missing (idempotent). The pool stays the caller's to end. */
  static async create(pool: PgPool, schema: string): Promise<PostgresTimerStore> {
    const s = assertSchemaName(schema);
    try {
      await pool.query(ddl(s));
    } catch (e) {
      throw new UnavailableError('postgres', `cannot create the timers table: ${ensureError(e).message}`, { cause: e });
    }
    return new PostgresTimerStore(pool, statements(s));
  }

  async schedule(timer: ScheduledTimer): Promise<void> {
    await this.run(this.sql.schedule, [
      timer.id,
      timer.tenantId,
      timer.workflowId,
      timer.executionId,
      timer.taskPath,
      timer.taskName,
      timer.dueAt,
    ]);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ScheduledTimer[]> {
    const rows = await this.run<TimerRow>(this.sql.claimDue, [now, limit, leaseMs]);
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      workflowId: row.workflow_id,
      executionId: row.execution_id,
      taskPath: row.task_path,
      taskName: row.task_name,
      dueAt: row.due_at,
    }));
  }

  async complete(timerIds: readonly string[]): Promise<void> {
    if (timerIds.length === 0) return;
    await this.run(this.sql.complete, [timerIds]);
  }

  async cancel(timerId: string): Promise<void> {
    await this.complete([timerId]);
  }

  async nextDueAt(): Promise<number | undefined> {
    const [row] = await this.run<{ next: number | null }>(this.sql.nextDueAt, []);
    return row?.next ?? undefined;
  }

  /** The pool belongs to the caller (it is shared with the database in the embedded mode). */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private async run<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    if (this.closed) throw new UnavailableError('postgres', 'the timer store is closed');
    try {
      return (await this.pool.query<R & Record<string, unknown>>(text, values)).rows;
    } catch (e) {
      throw new UnavailableError('postgres', `timer store: ${ensureError(e).message}`, { cause: e });
    }
  }
}
