/**
 * The table-backed stream's DDL and statements. Every write is one statement (CTEs where two
 * tables change together), so nothing needs a transaction: that keeps the code usable on PGlite,
 * where a query outside an open transaction waits for it.
 *
 * Model: `stream_messages` holds the events of every workflow stream. `stream_deliveries` has one
 * row per message and registered group, written with the message (fan-out on publish) or, for a
 * group registering later, by a backfill of every retained message: it is the group's delivery
 * state (holder, deliveries, lease, acknowledgement) and its pending list, so claiming is an
 * index range scan, never a search for what a group has not read.
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
CREATE INDEX IF NOT EXISTS stream_deliveries_unread
  ON ${s}.stream_deliveries (group_name, message_id) WHERE acked_at IS NULL AND deliveries = 0;
CREATE INDEX IF NOT EXISTS stream_deliveries_leased
  ON ${s}.stream_deliveries (group_name, visible_at) WHERE acked_at IS NULL AND deliveries > 0;
-- For the cascade from stream_messages and for trimming.
CREATE INDEX IF NOT EXISTS stream_deliveries_message ON ${s}.stream_deliveries (message_id);
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

export function statements(schema: string) {
  const s = assertSchemaName(schema);
  /** Claims rows picked by `due` for $2 with a lease of $4 ms; returns what a reader needs. */
  const claim = (due: string): string => `
WITH due AS (${due}), claimed AS (
  UPDATE ${s}.stream_deliveries d
  SET consumer = $2, deliveries = d.deliveries + 1, visible_at = now() + ${ms('$4')}
  FROM due WHERE d.group_name = $1 AND d.message_id = due.message_id
  RETURNING d.message_id, d.deliveries
)
SELECT m.id::text AS id, m.stream, m.body, m.target_group, c.deliveries
FROM claimed c JOIN ${s}.stream_messages m ON m.id = c.message_id ORDER BY m.id`;
  return {
    /**
     * $1 streams, $2 tenants, $3 bodies (parallel arrays). The messages, in array order, and one
     * unread delivery per message and registered group.
     */
    publish: `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS i (stream, tenant_id, body, n)
), message AS (
  INSERT INTO ${s}.stream_messages (stream, tenant_id, body)
  SELECT stream, tenant_id, body FROM input ORDER BY n
  RETURNING id
)
INSERT INTO ${s}.stream_deliveries (group_name, message_id, consumer, deliveries, visible_at)
SELECT g.name, message.id, '', 0, '-infinity' FROM ${s}.stream_groups g, message`,
    /** $1 group. Returns a row only when the group is new. */
    registerGroup: `INSERT INTO ${s}.stream_groups (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name`,
    /**
     * $1 group. Gives the group every retained message it has no row for: all of them for a new
     * group (like a Redis group created at 0), and any message whose publish raced with the
     * group's registration. Redriven messages addressed to another group are not its business.
     */
    backfill: `
INSERT INTO ${s}.stream_deliveries (group_name, message_id, consumer, deliveries, visible_at)
SELECT $1, m.id, '', 0, '-infinity' FROM ${s}.stream_messages m
WHERE m.target_group IS NULL OR m.target_group = $1
ON CONFLICT DO NOTHING`,
    /** $1 group, $2 consumer, $3 limit, $4 lease ms. The oldest messages the group has not read yet. */
    claimNew: claim(`
  SELECT message_id FROM ${s}.stream_deliveries
  WHERE group_name = $1 AND acked_at IS NULL AND deliveries = 0
  ORDER BY message_id LIMIT $3
  FOR UPDATE SKIP LOCKED`),
    /** $1 group, $2 consumer, $3 limit, $4 lease ms. Delivered messages whose lease ran out. */
    reclaim: claim(`
  SELECT message_id FROM ${s}.stream_deliveries
  WHERE group_name = $1 AND acked_at IS NULL AND deliveries > 0 AND visible_at <= now()
  ORDER BY message_id LIMIT $3
  FOR UPDATE SKIP LOCKED`),
    /** $1 group, $2 consumer, $3 ids, $4 lease ms. Returns the ids still held. */
    heartbeat: `
UPDATE ${s}.stream_deliveries SET visible_at = now() + ${ms('$4')}
WHERE group_name = $1 AND consumer = $2 AND acked_at IS NULL AND message_id = ANY($3::bigint[])
RETURNING message_id::text AS id`,
    /** $1 group, $2 ids. */
    ack: `
UPDATE ${s}.stream_deliveries SET acked_at = now(), last_error = NULL
WHERE group_name = $1 AND message_id = ANY($2::bigint[]) AND acked_at IS NULL`,
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
    /** $1 tenant, $2 dead letter id. Moves it back into the stream, for the group that failed it only. */
    redrive: `
WITH letter AS (
  DELETE FROM ${s}.stream_dead_letters WHERE tenant_id = $1 AND id = $2 AND kind = 'dead'
  RETURNING stream, tenant_id, group_name, body
), message AS (
  INSERT INTO ${s}.stream_messages (stream, tenant_id, target_group, body)
  SELECT stream, tenant_id, group_name, body FROM letter
  RETURNING id, target_group
)
INSERT INTO ${s}.stream_deliveries (group_name, message_id, consumer, deliveries, visible_at)
SELECT target_group, id, '', 0, '-infinity' FROM message`,
    /**
     * Deletes messages that every group they were delivered to has acknowledged (their delivery
     * rows go with them). A message no group has a row for yet is kept for the first one.
     */
    trim: `
DELETE FROM ${s}.stream_messages m
WHERE m.id IN (
  SELECT d.message_id FROM ${s}.stream_deliveries d
  GROUP BY d.message_id
  HAVING bool_and(d.acked_at IS NOT NULL)
  ORDER BY d.message_id
  LIMIT 5000
)`,
    storedCount: `SELECT count(*)::int AS n FROM ${s}.stream_messages WHERE stream = $1`,
  };
}

export type Statements = ReturnType<typeof statements>;
