import type { EventStream, Logger, TimerStore } from '@wormhole/interfaces';
import { engineEvent, ensureError } from '@wormhole/interfaces';

export interface TimerLoopSettings {
  /** How often due timers are looked for; bounds how late a timer fires. */
  readonly pollMs: number;
  /** A claimed timer not completed within this comes back (its claimer died). */
  readonly leaseMs: number;
  readonly batchSize: number;
}

/**
 * Fires due timers: claims them (one replica each), publishes `timer.fired`, then forgets them.
 * A crash between publish and complete fires the timer again after the lease; the worker
 * ignores the second firing by its timer id.
 */
export class TimerLoop {
  private stopped = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly timers: TimerStore,
    private readonly stream: EventStream,
    private readonly logger: Logger,
    private readonly settings: TimerLoopSettings,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const fired = await this.fireDue();
        if (fired === this.settings.batchSize) continue;
      } catch (e) {
        this.logger.error('timer loop failed; retrying', { err: ensureError(e) });
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.settings.pollMs);
      });
    }
  }

  private async fireDue(): Promise<number> {
    const due = await this.timers.claimDue(Date.now(), this.settings.batchSize, this.settings.leaseMs);
    if (due.length === 0) return 0;
    await Promise.all(
      due.map((timer) =>
        this.stream.publish(
          engineEvent(
            'io.wormhole.timer.fired',
            'wormhole/executor',
            { tenantid: timer.tenantId, workflowid: timer.workflowId, executionid: timer.executionId },
            { task_path: timer.taskPath, task_name: timer.taskName, task_type: 'wait', timer_id: timer.id },
            // A deterministic id: a timer fired twice (claimer died mid-fire) is one event.
            { id: `${timer.id}.fired` },
          ),
        ),
      ),
    );
    await this.timers.complete(due.map((t) => t.id));
    return due.length;
  }
}
