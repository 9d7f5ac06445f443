import type { Logger, Metrics } from '@wormhole/interfaces';

/** What every storage backend is given by the composition root. */
export interface StorageDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}
