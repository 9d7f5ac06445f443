/**
 * Collects the items added during one turn of the event loop (or until `maxBatch`) and hands them
 * to `flush` together; each `add` resolves once its batch is flushed, or rejects with its error.
 * Batches are flushed one at a time, in order, so items added in order are written in order; while
 * one is being written the next one fills up, over as many turns as the write takes (group
 * commit: under load a batch holds what arrived during the previous write, not one turn's worth;
 * idle, an item is flushed on the next turn).
 *
 * A flush may return one outcome per item (undefined: written, anything else: that item's error)
 * when it can tell them apart, e.g. after retrying a failed batch item by item.
 */
export type BatchOutcomes = readonly unknown[];

interface Waiter<T> {
  readonly item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class MicroBatcher<T> {
  private pending: Waiter<T>[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Batches cut and not yet flushed; while there are any, a turn's end does not cut another. */
  private inFlight = 0;

  constructor(
    private readonly flush: (items: readonly T[]) => Promise<void | BatchOutcomes>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.cut();
      else this.scheduled ??= setImmediate(() => this.turnEnded());
    });
  }

  /** Resolves once everything added so far has been flushed. */
  async idle(): Promise<void> {
    if (this.pending.length > 0) this.cut();
    await this.chain;
  }

  private turnEnded(): void {
    this.scheduled = undefined;
    // A write in progress: what is pending waits for it and goes with what arrives meanwhile.
    if (this.inFlight === 0) this.cut();
  }

  private cut(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        const outcomes = await this.flush(batch.map((waiter) => waiter.item));
        batch.forEach((waiter, i) => {
          const error: unknown = outcomes ? outcomes[i] : undefined;
          if (error === undefined) waiter.resolve();
          else waiter.reject(error);
        });
      } catch (e) {
        for (const waiter of batch) waiter.reject(e);
      }
      // The last write ended: what gathered meanwhile is the next batch.
      if (--this.inFlight === 0 && this.pending.length > 0) this.cut();
    });
  }
}
