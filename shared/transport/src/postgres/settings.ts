import { ConfigurationError } from '@wormhole/interfaces';
import { assertSchemaName } from './sql';

export interface PostgresEventStreamSettings {
  /** Schema of the stream tables (tests use a random one). */
  readonly schema: string;
  /** Create the schema and tables if missing (idempotent). Default true. */
  readonly createSchema?: boolean;
  /** Lease of a delivered message: unacknowledged and not heartbeated this long, it is reclaimed. */
  readonly claimIdleMs?: number;
  /** How often expired leases are looked for; defaults to half of `claimIdleMs`. */
  readonly claimIntervalMs?: number;
  /** Deliveries after which a failing message moves to the dead letters. */
  readonly maxDeliveries?: number;
  /** Messages claimed per query, and buffered ahead of the handlers. */
  readonly batchSize?: number;
  /** How often fully acknowledged messages are deleted. */
  readonly trimIntervalMs?: number;
  /** Longest an idle subscriber waits before looking again (publishes by other processes). */
  readonly pollMs?: number;
  /** How long a new group's first subscriber lets racing publishes finish before it backfills. */
  readonly registrationSettleMs?: number;
}

export type ResolvedPostgresSettings = Required<PostgresEventStreamSettings>;

const INTEGER_SETTINGS = [
  'claimIdleMs',
  'claimIntervalMs',
  'maxDeliveries',
  'batchSize',
  'trimIntervalMs',
  'pollMs',
  'registrationSettleMs',
] as const;

export function resolvePostgresSettings(settings: PostgresEventStreamSettings): ResolvedPostgresSettings {
  const claimIdleMs = settings.claimIdleMs ?? 30_000;
  const resolved: ResolvedPostgresSettings = {
    schema: settings.schema,
    createSchema: settings.createSchema ?? true,
    claimIdleMs,
    claimIntervalMs: settings.claimIntervalMs ?? Math.max(10, Math.floor(claimIdleMs / 2)),
    maxDeliveries: settings.maxDeliveries ?? 5,
    batchSize: settings.batchSize ?? 100,
    trimIntervalMs: settings.trimIntervalMs ?? 5_000,
    pollMs: settings.pollMs ?? 1_000,
    registrationSettleMs: settings.registrationSettleMs ?? 100,
  };
  for (const name of INTEGER_SETTINGS) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(`transport.${name}`, `must be a positive integer, got ${String(value)}`);
    }
  }
  try {
    assertSchemaName(settings.schema);
  } catch (e) {
    throw new ConfigurationError('transport.schema', e instanceof Error ? e.message : String(e));
  }
  return resolved;
}
