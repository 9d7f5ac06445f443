import { hostname } from 'node:os';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. If stopping takes longer than the grace
 * period the process exits anyway (non-zero), so an orchestrator never waits forever.
 */
export function installShutdown(options: {
  readonly logger: Logger;
  readonly graceMs: number;
  readonly stop: () => Promise<void>;
}): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    options.logger.info('shutting down', { signal, grace_ms: options.graceMs });
    const timer = setTimeout(() => {
      options.logger.error('grace period exceeded; exiting');
      process.exit(1);
    }, options.graceMs);
    timer.unref();
    options
      .stop()
      .then(() => {
        options.logger.info('stopped');
        process.exit(0);
      })
      .catch((e: unknown) => {
        options.logger.error('error while stopping', { err: ensureError(e) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/** A name unique to this process within a consumer group: host and pid. */
export function processConsumerName(role: string): string {
  return `${role}-${hostname()}-${process.pid}`;
}
