import { createHash } from 'node:crypto';
import { ConfigurationError } from '@wormhole/interfaces';

/**
 * Every table name the repositories use, qualified by the schema. Names are qualified rather than
 * resolved through `search_path` so the code works on any pg-compatible pool, including one whose
 * connections we do not set up ourselves (PGlite's adapter in the embedded mode).
 */
export interface Tables {
  readonly schema: string;
  readonly migrations: string;
  readonly tenants: string;
  readonly workflows: string;
  readonly workflowVersions: string;
  readonly auditEvents: string;
  readonly executions: string;
  readonly stepRuns: string;
  readonly events: string;
  readonly snapshots: string;
  readonly subscriptions: string;
  readonly subscriptionTypes: string;
  readonly executionLogs: string;
  readonly apiKeys: string;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name quoted as an identifier, after checking it is a plain lower-case identifier. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new ConfigurationError('POSTGRES_SCHEMA', `must be a lower-case SQL identifier, got '${schema}'`);
  }
  return `"${schema}"`;
}

export function tablesFor(schema: string): Tables {
  const s = quoteSchema(schema);
  return {
    schema: s,
    migrations: `${s}.migrations`,
    tenants: `${s}.tenants`,
    workflows: `${s}.workflows`,
    workflowVersions: `${s}.workflow_versions`,
    auditEvents: `${s}.audit_events`,
    executions: `${s}.executions`,
    stepRuns: `${s}.step_runs`,
    events: `${s}.events`,
    snapshots: `${s}.execution_snapshots`,
    subscriptions: `${s}.event_subscriptions`,
    subscriptionTypes: `${s}.event_subscription_types`,
    executionLogs: `${s}.execution_logs`,
    apiKeys: `${s}.api_keys`,
  };
}

/**
 * The current time, truncated to the millisecond the domain's ISO strings carry: stored values then
 * compare equal to the strings clients got back (inclusive range filters depend on it).
 * clock_timestamp, not now(): now() is frozen at transaction start.
 */
export const NOW_MS = "date_trunc('milliseconds', clock_timestamp())";

/** Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\'). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Collects positional parameters while a statement is assembled. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A 64-bit advisory lock key for a name (the first 8 bytes of its SHA-256, as a signed bigint in
 * text). Computed here rather than with Postgres' undocumented hashtext().
 */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
