import { hostname } from 'node:os';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. If stopping takes longer than the grace
 * period the process exits anyway (non-zero), so an orchestrator never waits forever. Returns
 * the handler, so a signal that arrived earlier can be handed to it.
 */
export function installShutdown(options: {
  readonly logger: Logger;
  readonly graceMs: number;
  readonly stop: () => Promise<void>;
}): (signal: NodeJS.Signals) => void {
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
  return handle;
}

/** A name unique to this process within a consumer group: host and pid. */
export function processConsumerName(role: string): string {
  return `${role}-${hostname()}-${process.pid}`;
}

export interface BootedService {
  stop(): Promise<void>;
  readonly graceMs: number;
  readonly logger: Logger;
}

/**
 * The body of every service entry point: boots the service, stops it gracefully on SIGTERM or
 * SIGINT, and turns a start-up failure (an invalid setting, an unreachable backend) into one JSON
 * line naming the cause and exit code 1.
 */
export function runService(service: string, boot: () => Promise<BootedService>): void {
  // A signal during start-up (a rollout, Ctrl-C) is kept until the service is up, then stops it
  // gracefully: exiting mid-start could leave a half-written data directory or migration.
  let early: NodeJS.Signals | undefined;
  const remember = (signal: NodeJS.Signals): void => {
    early ??= signal;
  };
  process.on('SIGTERM', remember);
  process.on('SIGINT', remember);
  boot()
    .then((booted) => {
      process.off('SIGTERM', remember);
      process.off('SIGINT', remember);
      const shutdown = installShutdown({ logger: booted.logger, graceMs: booted.graceMs, stop: () => booted.stop() });
      if (early) shutdown(early);
    })
    .catch((e: unknown) => {
      const error = ensureError(e);
      const variable = (error as { variable?: unknown }).variable;
      const line = {
        level: 'error',
        service,
        message: `cannot start: ${error.message}`,
        ...(typeof variable === 'string' ? { variable } : {}),
      };
      process.stderr.write(JSON.stringify(line) + '\n');
      process.exit(1);
    });
}
