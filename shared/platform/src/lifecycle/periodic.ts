/**
 * A background job run every `intervalMs`, never overlapping itself. `stop()` cancels the next run
 * and waits for the current one, so nothing is left running (or holding a timer) after close.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly job: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** Runs the job now (after any run in progress) instead of waiting for the timer. */
  runNow(): Promise<void> {
    return this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().then(() => this.schedule());
    }, this.intervalMs);
  }

  private tick(): Promise<void> {
    // Chained on the run in progress, so the job never overlaps itself.
    const previous = this.current ?? Promise.resolve();
    const run = previous.then(() => (this.stopped ? undefined : this.job())).catch(this.onError);
    this.current = run;
    return run.finally(() => {
      if (this.current === run) this.current = undefined;
    });
  }
}

/** Back-off between retries of a failing loop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
