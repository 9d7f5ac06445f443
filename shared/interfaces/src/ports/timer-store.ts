/** A durable timer: when due, the executor publishes `timer.fired` for it. */
export interface ScheduledTimer {
  /** Unique; scheduling the same id twice keeps one timer. */
  readonly id: string;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly executionId: string;
  readonly taskPath: string;
  readonly taskName: string;
  /** Epoch milliseconds. */
  readonly dueAt: number;
}

/**
 * Durable timers shared by every executor replica. A due timer is claimed by exactly one replica
 * for `leaseMs`; if that replica dies before `complete`, the timer becomes due again after the
 * lease, so a timer fires at least once and, unless a replica dies mid-fire, exactly once.
 */
export interface TimerStore {
  /** Idempotent by timer id. */
  schedule(timer: ScheduledTimer): Promise<void>;
  /** Claims up to `limit` timers due at `now` (epoch ms), oldest first. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<ScheduledTimer[]>;
  /** Forgets fired timers. */
  complete(timerIds: readonly string[]): Promise<void>;
  /** Removes a timer that must not fire (its execution was cancelled). */
  cancel(timerId: string): Promise<void>;
  /** Epoch ms of the earliest pending timer (claimed ones count at their lease expiry), if any. */
  nextDueAt(): Promise<number | undefined>;
  close(): Promise<void>;
}
