export interface RecentOutcomesSettings {
  /** How long a reported outcome is kept after it was obtained. */
  readonly keepMs: number;
  /** Outcomes estimated larger than this are not kept once reported (only while in flight). */
  readonly maxOutcomeBytes: number;
  /** The estimated size of all kept outcomes together; the oldest go first beyond it. */
  readonly maxTotalBytes: number;
}

interface Entry<T> {
  readonly outcome: Promise<T | undefined>;
  /** When the run started; entries are kept in this order. */
  readonly startedAt: number;
  /** Set once the outcome is known and kept. */
  settled: boolean;
  /** Estimated size of the kept outcome. */
  bytes: number;
}

/**
 * The outcomes this executor obtained lately, by task request id. A request published again
 * (the reconciler after the transport lost messages, a redelivery after a publish failed) while
 * its first run is in flight, or shortly after, is answered with the outcome already obtained
 * instead of a second side effect. Only this process's runs are known: a request that reaches
 * another executor, or this one after a restart, runs again (at-least-once, with the same
 * Idempotency-Key).
 */
export class RecentOutcomes<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();
  private totalBytes = 0;

  constructor(
    private readonly settings: RecentOutcomesSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The outcome of the run of `id` in flight or obtained lately, if this process has one. */
  find(id: string): Promise<T | undefined> | undefined {
    this.expire();
    return this.entries.get(id)?.outcome;
  }

  /**
   * Remembers the run of `id` while it is in flight and, once it resolves to an outcome of a
   * keepable size, for `keepMs` more. A run that fails or has nothing to report is forgotten, so
   * a repeated request runs it again.
   */
  track(id: string, outcome: Promise<T | undefined>): void {
    const entry: Entry<T> = { outcome, startedAt: this.now(), settled: false, bytes: 0 };
    this.entries.delete(id);
    this.entries.set(id, entry);
    outcome.then(
      (value) => {
        if (this.entries.get(id) !== entry) return;
        const bytes = value === undefined ? undefined : estimatedBytes(value, this.settings.maxOutcomeBytes);
        if (bytes === undefined) {
          this.entries.delete(id);
          return;
        }
        entry.settled = true;
        entry.bytes = bytes;
        this.totalBytes += bytes;
        this.expire();
      },
      () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    );
  }

  /** How many runs are remembered (in flight or kept). */
  get size(): number {
    return this.entries.size;
  }

  /** Drops settled entries past `keepMs`, and the oldest settled ones while over the byte budget. */
  private expire(): void {
    const cutoff = this.now() - this.settings.keepMs;
    for (const [id, entry] of this.entries) {
      const overBudget = this.totalBytes > this.settings.maxTotalBytes;
      if (entry.startedAt > cutoff && !overBudget) break;
      // In-flight runs stay whatever their age: their outcome is still to come.
      if (!entry.settled) continue;
      this.entries.delete(id);
      this.totalBytes -= entry.bytes;
    }
  }
}

/**
 * A rough size of `value` as JSON, or undefined once it exceeds `limit`: the walk stops there,
 * so a large outcome costs no more than `limit` to judge.
 */
export function estimatedBytes(value: unknown, limit: number): number | undefined {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') total += item.length + 2;
    else if (item === null || typeof item !== 'object') total += 8;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      if (total > limit) return undefined;
      for (const element of item) stack.push(element);
    } else {
      for (const [key, element] of Object.entries(item)) {
        total += key.length + 4;
        stack.push(element);
      }
    }
    if (total > limit) return undefined;
  }
  return total;
}
