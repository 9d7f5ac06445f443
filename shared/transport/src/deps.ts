import type { Logger, Metrics } from '@wormhole/interfaces';

/** What every transport backend is given by the composition root. */
export interface TransportDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * A message quarantined because it could not be parsed as an engine event. Kept apart from dead
 * letters because it has no typed event and cannot be redriven.
 */
export interface PoisonMessage {
  readonly id: string;
  /** The stream it was read from, and its id there. */
  readonly stream: string;
  readonly message_id: string;
  /** The consumer group that read it (each group quarantines its own copy). */
  readonly group: string;
  readonly raw: string;
  readonly error: string;
  readonly dead_at: string;
}
