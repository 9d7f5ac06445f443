import type { Database, EngineEvent, EventStream, Execution, Logger, StoredEngineEvent } from '@wormhole/interfaces';
import { ensureError, executionStartedEvent } from '@wormhole/interfaces';
import { applyEvents, initialState, pendingWork } from '@wormhole/dsl';
import { Periodic } from '@wormhole/platform';

export interface ReconcilerSettings {
  /** How often stalled executions are looked for. */
  readonly intervalMs: number;
  /** A pending execution with no history this old lost its start event. */
  readonly pendingAfterMs: number;
  /**
   * A running or waiting execution unchanged this long may have lost the message it waits on
   * (e.g. Redis restarted without persistence): what it waits for is published again. Longer
   * than any step may legitimately run, since a re-published task runs again.
   */
  readonly stalledAfterMs: number;
  readonly batchSize: number;
}

/**
 * Resumes executions whose progress was lost in the transport, from the database: the history
 * says what each one waits for (a start, a task, a timer), and publishing that again is safe
 * because every consumer recognises repeated event ids. Several replicas may reconcile at once;
 * that only repeats idempotent publishes.
 */
export class Reconciler {
  private readonly periodic: Periodic;
  /** Catch-ups after transport losses, one after the other. */
  private catchingUp: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly logger: Logger,
    private readonly settings: ReconcilerSettings,
  ) {
    this.periodic = new Periodic(
      settings.intervalMs,
      async () => {
        await this.runOnce();
      },
      (e) => this.logger.error('reconciler pass failed', { err: ensureError(e) }),
    );
  }

  /** A pass now, then one every `intervalMs`. */
  start(): void {
    this.periodic.start();
    void this.periodic.runNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.periodic.stop();
    await this.catchingUp;
  }

  /**
   * The transport lost its messages at `lostBefore` (EventStream.onMessagesLost): resumes every
   * unfinished execution untouched since then right away, instead of after the stall period.
   */
  recoverLost(lostBefore: Date): void {
    this.catchingUp = this.catchingUp
      .then(() => this.resumeAllBefore(lostBefore))
      .then(
        (resumed) => this.logger.warn('resumed executions after the transport lost messages', { count: resumed }),
        (e: unknown) => this.logger.error('resuming after the transport lost messages failed', { err: ensureError(e) }),
      );
  }

  /**
   * Publishes again what every unfinished execution unchanged since `lostBefore` waits for, batch
   * after batch until none is left. Each one is touched, so it leaves the query, and taken once:
   * a row the touch could not move (ended meanwhile, clocks apart) ends the catch-up rather than
   * looping; the periodic pass still finds anything left behind once it looks stalled.
   */
  async resumeAllBefore(lostBefore: Date): Promise<number> {
    const seen = new Set<string>();
    let resumed = 0;
    while (!this.stopped) {
      const candidates = await this.db.maintenance.findUnfinished(lostBefore.toISOString(), this.settings.batchSize);
      const fresh = candidates.filter((execution) => !seen.has(execution.id));
      if (fresh.length === 0) break;
      for (const execution of fresh) {
        seen.add(execution.id);
        if (await this.resume(execution)) resumed += 1;
        await this.touch(execution);
      }
    }
    return resumed;
  }

  /** One pass; returns how many executions were resumed. */
  async runOnce(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - Math.min(this.settings.pendingAfterMs, this.settings.stalledAfterMs)).toISOString();
    const candidates = await this.db.maintenance.findUnfinished(cutoff, this.settings.batchSize);
    let resumed = 0;
    for (const execution of candidates) {
      const age = now - Date.parse(execution.updated_at);
      const limit = execution.status === 'pending' ? this.settings.pendingAfterMs : this.settings.stalledAfterMs;
      if (age < limit) continue;
      if (await this.resume(execution)) {
        // Touched, so the next pass waits a full period before trying again.
        await this.touch(execution);
        resumed += 1;
      }
    }
    if (resumed > 0) this.logger.warn('resumed stalled executions', { count: resumed });
    return resumed;
  }

  /** Publishes again what `execution` waits for (its start, when it has no history); false if nothing. */
  private async resume(execution: Execution): Promise<boolean> {
    const history = await this.db.events.list(execution.tenant_id, execution.id);
    if (history.length === 0) {
      await this.stream.publish(executionStartedEvent(execution, 'wormhole/reconciler'));
      return true;
    }
    const waitingOn = awaited(history);
    for (const event of waitingOn) await this.stream.publish(event);
    return waitingOn.length > 0;
  }

  /** Moves the row's updated_at forward, which is what both passes select on. */
  private async touch(execution: Execution): Promise<void> {
    await this.db.executions.update(execution.tenant_id, execution.id, {}, { onlyIfNotTerminal: true });
  }
}

/** The events whose answers the execution still waits for: its open task requests and timers. */
export function awaited(history: readonly StoredEngineEvent[]): EngineEvent[] {
  const pending = pendingWork(applyEvents(initialState(), history));
  const found: EngineEvent[] = [];
  for (const task of pending.tasks) {
    const request = [...history]
      .reverse()
      .find(
        (e) =>
          e.type === 'io.wormhole.task.requested' && e.data.task_path === task.path && e.data.attempt <= task.attempt,
      );
    if (request) found.push(withoutSequence(request));
  }
  for (const timer of pending.timers) {
    const scheduled = history.find(
      (e) => e.type === 'io.wormhole.timer.scheduled' && e.data.timer_id === timer.timerId,
    );
    if (scheduled) found.push(withoutSequence(scheduled));
  }
  return found;
}

function withoutSequence(event: StoredEngineEvent): EngineEvent {
  const { sequence: _sequence, ...rest } = event;
  return rest;
}
