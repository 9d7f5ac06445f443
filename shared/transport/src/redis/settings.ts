import { ConfigurationError } from '@wormhole/interfaces';

export interface RedisEventStreamSettings {
  readonly url: string;
  readonly password?: string;
  readonly db?: number;
  /** Prepended to every key (e.g. "wormhole:"); tests use a random one. */
  readonly keyPrefix: string;
  /** Longest a blocking read waits before it is reissued. New streams interrupt it, so this bounds no latency. */
  readonly blockMs?: number;
  /** A message unacknowledged (and not heartbeated) this long is reclaimed by another consumer. */
  readonly claimIdleMs?: number;
  /** How often idle messages are looked for; defaults to half of `claimIdleMs`. */
  readonly claimIntervalMs?: number;
  /** Deliveries after which a failing message moves to the dead-letter stream. */
  readonly maxDeliveries?: number;
  /** Entries read per stream per read, and messages buffered ahead of the handlers. */
  readonly batchSize?: number;
  /** Streams per blocking read (and per reader connection). */
  readonly streamsPerRead?: number;
  /** How often streams acknowledged on are trimmed. */
  readonly trimIntervalMs?: number;
  /** How often the stream registry is re-read in case an announcement was missed. */
  readonly resyncMs?: number;
  /** Approximate bound of each tenant's dead-letter and poison streams. */
  readonly deadLetterMaxLen?: number;
}

export type ResolvedRedisSettings = Required<Omit<RedisEventStreamSettings, 'password' | 'db'>> &
  Pick<RedisEventStreamSettings, 'password' | 'db'>;

const INTEGER_SETTINGS = [
  'blockMs',
  'claimIdleMs',
  'claimIntervalMs',
  'maxDeliveries',
  'batchSize',
  'streamsPerRead',
  'trimIntervalMs',
  'resyncMs',
  'deadLetterMaxLen',
] as const;

export function resolveRedisSettings(settings: RedisEventStreamSettings): ResolvedRedisSettings {
  const claimIdleMs = settings.claimIdleMs ?? 30_000;
  const resolved: ResolvedRedisSettings = {
    ...settings,
    blockMs: settings.blockMs ?? 2_000,
    claimIdleMs,
    claimIntervalMs: settings.claimIntervalMs ?? Math.max(10, Math.floor(claimIdleMs / 2)),
    maxDeliveries: settings.maxDeliveries ?? 5,
    batchSize: settings.batchSize ?? 100,
    streamsPerRead: settings.streamsPerRead ?? 256,
    trimIntervalMs: settings.trimIntervalMs ?? 5_000,
    resyncMs: settings.resyncMs ?? 60_000,
    deadLetterMaxLen: settings.deadLetterMaxLen ?? 100_000,
  };
  for (const name of INTEGER_SETTINGS) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(`transport.${name}`, `must be a positive integer, got ${String(value)}`);
    }
  }
  if (!settings.url) throw new ConfigurationError('transport.url', 'is required');
  return resolved;
}
