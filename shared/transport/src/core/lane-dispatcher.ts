/**
 * Runs tasks with bounded concurrency while keeping tasks of one lane (one execution) strictly
 * sequential and in submission order. Concurrency therefore only ever reorders work across
 * executions, never within one: the worker folds an execution's events in the order they were
 * read. Lanes take turns, so one busy execution cannot starve the others; and lanes belong to
 * groups (tenants) that take turns too, so a tenant with a thousand runs queued cannot make
 * another tenant's runs wait behind all of them: each free slot goes to the next group in turn.
 */
export type LaneTask = () => Promise<void>;

interface Lane {
  readonly tasks: LaneTask[];
  readonly group: string;
}

export class LaneDispatcher {
  private readonly lanes = new Map<string, Lane>();
  /** Per group, its lanes with a task waiting and none running, in the order they became ready. */
  private readonly ready = new Map<string, string[]>();
  /** Groups with a ready lane, in turn order. */
  private readonly turns: string[] = [];
  private running = 0;
  private queued = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`concurrency must be ≥ 1, got ${concurrency}`);
    }
  }

  /** Tasks accepted and not yet settled (queued or running). */
  get size(): number {
    return this.queued + this.running;
  }

  get active(): number {
    return this.running;
  }

  /** Queues `task` on `lane`, a lane of `group` (a lane stays in the group it first came with). */
  push(lane: string, task: LaneTask, group = ''): void {
    const existing = this.lanes.get(lane);
    this.queued++;
    if (existing) {
      // Already ready or running: its next task starts when the current one settles.
      existing.tasks.push(task);
    } else {
      this.lanes.set(lane, { tasks: [task], group });
      this.markReady(lane, group);
    }
    this.pump();
  }

  /** Resolves once fewer than `limit` tasks are outstanding: the readers' back-pressure. */
  async waitForRoom(limit: number): Promise<void> {
    while (this.size >= limit) await this.nextSettle();
  }

  /** Resolves once nothing is running. Call `clear()` first to also stop queued tasks from starting. */
  async drain(): Promise<void> {
    while (this.running > 0) await this.nextSettle();
  }

  /** Drops every queued task that has not started; returns how many were dropped. */
  clear(): number {
    let dropped = 0;
    for (const [name, lane] of this.lanes) {
      // A running lane keeps an empty entry until its task settles.
      dropped += lane.tasks.length;
      lane.tasks.length = 0;
      if (!this.ready.get(lane.group)?.includes(name)) continue;
      this.lanes.delete(name);
    }
    this.ready.clear();
    this.turns.length = 0;
    this.queued -= dropped;
    this.wake();
    return dropped;
  }

  private markReady(name: string, group: string): void {
    const lanes = this.ready.get(group);
    if (lanes) {
      lanes.push(name);
    } else {
      this.ready.set(group, [name]);
      this.turns.push(group);
    }
  }

  /** The next ready lane: the oldest of the group whose turn it is; that group goes last. */
  private nextReady(): string | undefined {
    const group = this.turns.shift();
    if (group === undefined) return undefined;
    const lanes = this.ready.get(group)!;
    const name = lanes.shift();
    if (lanes.length > 0) this.turns.push(group);
    else this.ready.delete(group);
    return name;
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const name = this.nextReady();
      if (name === undefined) return;
      const lane = this.lanes.get(name);
      const task = lane?.tasks.shift();
      if (!lane || !task) continue;
      this.queued--;
      this.running++;
      void this.run(name, lane, task);
    }
  }

  private async run(name: string, lane: Lane, task: LaneTask): Promise<void> {
    try {
      await task();
    } catch {
      // Tasks report their own failures; a rejection here must not stop the lane.
    }
    this.running--;
    if (lane.tasks.length > 0) this.markReady(name, lane.group);
    else this.lanes.delete(name);
    this.wake();
    this.pump();
  }

  private nextSettle(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
