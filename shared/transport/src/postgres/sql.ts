/**
 * The table-backed stream's DDL and statements. Every write is one statement (CTEs where two
 * tables change together), so nothing needs a transaction: that keeps the code usable on PGlite,
 * where a query outside an open transaction waits for it.
 *
 * Model: `stream_messages` holds the events of every workflow stream; `stream_deliveries` is each
 * group's delivery state of a message (who holds it, how often it was delivered, until when it
 * is leased, whether it is acknowledged) and doubles as the group's pending list; a message
 * without a row for a group has not been read by that group yet.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`schema must be a lower-case SQL identifier, got '${schema}'`);
  return schema;
}

/** Idempotent; serialised by an advisory lock so concurrent starts do not race on CREATE. */
export function ddl(schema: string): string {
  const s = assertSchemaName(schema);
  return `
SELECT pg_advisory_xact_lock(hashtext('wormhole.transport.ddl'));
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.stream_messages (
  id           bigserial PRIMARY KEY,
  stream       text NOT NULL,
  tenant_id    text NOT NULL,
  -- Set on a redriven message: only this group handles it, the others skip it.
  target_group text,
  -- The JSON as published, kept as text so that an unparseable body survives to be quarantined.
  body         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stream_messages_stream ON ${s}.stream_messages (stream, id);
CREATE TABLE IF NOT EXISTS ${s}.stream_groups (
  name       text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${s}.stream_deliveries (
  group_name text NOT NULL,
  message_id bigint NOT NULL REFERENCES ${s}.stream_messages (id) ON DELETE CASCADE,
  consumer   text NOT NULL,
  deliveries integer NOT NULL,
  -- Until then the holder owns it (heartbeats push it forward); afterwards anyone may reclaim it.
  visible_at timestamptz NOT NULL,
  acked_at   timestamptz,
  last_error text,
  PRIMARY KEY (group_name, message_id)
);
CREATE INDEX IF NOT EXISTS stream_deliveries_pending
  ON ${s}.stream_deliveries (group_name, visible_at) WHERE acked_at IS NULL;
CREATE INDEX IF NOT EXISTS stream_deliveries_acked
  ON ${s}.stream_deliveries (message_id) WHERE acked_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS ${s}.stream_dead_letters (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('dead', 'poison')),
  stream     text NOT NULL,
  message_id bigint NOT NULL,
  group_name text NOT NULL,
  body       text NOT NULL,
  error      text NOT NULL,
  deliveries integer NOT NULL,
  dead_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stream_dead_letters_tenant ON ${s}.stream_dead_letters (tenant_id, kind, id);
`;
}

/** A duration parameter in milliseconds, as an interval. */
const ms = (param: string): string => `make_interval(secs => ${param}::float8 / 1000)`;

/** Columns a reader needs of a claimed message. */
const READ_COLUMNS = 'm.id::text AS id, m.stream, m.body, m.target_group, c.deliveries';

export function statements(schema: string) {
  const s = assertSchemaName(schema);
  return {
    publish: `INSERT INTO ${s}.stream_messages (stream, tenant_id, body) VALUES ($1, $2, $3)`,
    registerGroup: `INSERT INTO ${s}.stream_groups (name) VALUES ($1) ON CONFLICT DO NOTHING`,
    /**
     * $1 group, $2 consumer, $3 lease ms, $4 limit. Takes the oldest messages the group has not
     * read yet. Two consumers of a group racing for a message meet on the primary key: one
     * inserts, the other's row is skipped (ON CONFLICT DO NOTHING).
     */
    claimNew: `
WITH claimed AS (
  INSERT INTO ${s}.stream_deliveries (group_name, message_id, consumer, deliveries, visible_at)
  SELECT $1, m.id, $2, 1, now() + ${ms('$3')}
  FROM ${s}.stream_messages m
  WHERE NOT EXISTS (SELECT 1 FROM ${s}.stream_deliveries d WHERE d.group_name = $1 AND d.message_id = m.id)
  ORDER BY m.id
  LIMIT $4
  ON CONFLICT DO NOTHING
  RETURNING message_id, deliveries
)
SELECT ${READ_COLUMNS} FROM claimed c JOIN ${s}.stream_messages m ON m.id = c.message_id ORDER BY m.id`,
    /** $1 group, $2 consumer, $3 limit, $4 lease ms. Messages whose lease ran out, for this consumer. */
    reclaim: `
WITH due AS (
  SELECT message_id FROM ${s}.stream_deliveries
  WHERE group_name = $1 AND acked_at IS NULL AND visible_at <= now()
  ORDER BY message_id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE ${s}.stream_deliveries d
  SET consumer = $2, deliveries = d.deliveries + 1, visible_at = now() + ${ms('$4')}
  FROM due WHERE d.group_name = $1 AND d.message_id = due.message_id
  RETURNING d.message_id, d.deliveries
)
SELECT ${READ_COLUMNS} FROM claimed c JOIN ${s}.stream_messages m ON m.id = c.message_id ORDER BY m.id`,
    /** $1 group, $2 consumer, $3 ids, $4 lease ms. Returns the ids still held. */
    heartbeat: `
UPDATE ${s}.stream_deliveries SET visible_at = now() + ${ms('$4')}
WHERE group_name = $1 AND consumer = $2 AND acked_at IS NULL AND message_id = ANY($3::bigint[])
RETURNING message_id::text AS id`,
    /** $1 group, $2 id. */
    ack: `
UPDATE ${s}.stream_deliveries SET acked_at = now(), last_error = NULL
WHERE group_name = $1 AND message_id = $2 AND acked_at IS NULL`,
    /** $1 group, $2 consumer, $3 id, $4 error. */
    recordFailure: `
UPDATE ${s}.stream_deliveries SET last_error = $4
WHERE group_name = $1 AND consumer = $2 AND message_id = $3 AND acked_at IS NULL`,
    /** $1 group, $2 id. */
    lastError: `SELECT last_error FROM ${s}.stream_deliveries WHERE group_name = $1 AND message_id = $2`,
    /**
     * $1 group, $2 id, $3 tenant, $4 kind, $5 stream, $6 body, $7 error, $8 deliveries. Acknowledges
     * and files the message in one statement; a message acknowledged meanwhile is not filed.
     */
    deadLetter: `
WITH acked AS (
  UPDATE ${s}.stream_deliveries SET acked_at = now()
  WHERE group_name = $1 AND message_id = $2 AND acked_at IS NULL
  RETURNING message_id
)
INSERT INTO ${s}.stream_dead_letters (group_name, message_id, tenant_id, kind, stream, body, error, deliveries)
SELECT $1, message_id, $3, $4, $5, $6, $7, $8 FROM acked`,
    /** $1 tenant, $2 kind, $3 limit. */
    listDeadLetters: `
SELECT id::text AS id, stream, message_id::text AS message_id, group_name, body, error, deliveries, dead_at
FROM ${s}.stream_dead_letters WHERE tenant_id = $1 AND kind = $2 ORDER BY id LIMIT $3`,
    /** $1 tenant, $2 dead letter id. Moves it back into the stream, addressed to its group. */
    redrive: `
WITH letter AS (
  DELETE FROM ${s}.stream_dead_letters WHERE tenant_id = $1 AND id = $2 AND kind = 'dead'
  RETURNING stream, tenant_id, group_name, body
)
INSERT INTO ${s}.stream_messages (stream, tenant_id, target_group, body)
SELECT stream, tenant_id, group_name, body FROM letter
RETURNING id`,
    /**
     * Deletes messages every registered group has acknowledged (deliveries go with them). A group
     * registered later than a message still holds it back, as it has not read it.
     */
    trim: `
DELETE FROM ${s}.stream_messages m
USING (
  SELECT d.message_id FROM ${s}.stream_deliveries d
  WHERE d.acked_at IS NOT NULL
  GROUP BY d.message_id
  HAVING count(*) >= (SELECT count(*) FROM ${s}.stream_groups)
  LIMIT 5000
) done
WHERE m.id = done.message_id`,
    storedCount: `SELECT count(*)::int AS n FROM ${s}.stream_messages WHERE stream = $1`,
    appendRaw: `INSERT INTO ${s}.stream_messages (stream, tenant_id, body) VALUES ($1, $2, $3)`,
  };
}

export type Statements = ReturnType<typeof statements>;
