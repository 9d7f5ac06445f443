import type { LogRepository, Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { Periodic } from '@wormhole/platform';

export interface LogRetentionSettings {
  /** Log lines older than this many days are deleted (LOG_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** How often the purge runs (LOG_PURGE_INTERVAL_MS); it also runs once at start. */
  readonly intervalMs: number;
  /** Lines deleted per call: each call holds the database only briefly. */
  readonly batchSize: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes execution log lines past the retention on every backend (Mongo's TTL index does it there
 * too, in its own time). Several workers may purge at once: deleting what is already gone is
 * nothing.
 */
export class LogRetention {
  private readonly periodic: Periodic;

  constructor(
    private readonly logs: LogRepository,
    private readonly logger: Logger,
    private readonly settings: LogRetentionSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.periodic = new Periodic(
      settings.intervalMs,
      async () => {
        await this.purge();
      },
      (e) => this.logger.error('log retention pass failed', { err: ensureError(e) }),
    );
  }

  start(): void {
    this.periodic.start();
    void this.periodic.runNow();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Deletes every line older than the retention, batch by batch; returns how many. */
  async purge(): Promise<number> {
    const before = new Date(this.now() - this.settings.retentionDays * DAY_MS).toISOString();
    let total = 0;
    for (;;) {
      const deleted = await this.logs.purge(before, this.settings.batchSize);
      if (deleted === 0) break;
      total += deleted;
    }
    if (total > 0) this.logger.info('execution logs purged', { lines: total, before });
    return total;
  }
}
