/**
 * In-process wake-ups for table-backed subscribers: a publish in this process wakes them at once.
 * (PGlite does not deliver LISTEN/NOTIFY through pg clients, so this replaces it; publishes from
 * other processes are found by the subscribers' polling instead.) Share one instance between
 * every stream object of a process that uses the same tables.
 */
export class StreamWakeups {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  /** Changes on every notify: a reader compares it before and after a query to not miss one. */
  get current(): number {
    return this.generation;
  }

  notify(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves on the next notify after `seen` (at once if one happened already), or after `timeoutMs`. */
  wait(seen: number, timeoutMs: number): { readonly done: Promise<void>; readonly cancel: () => void } {
    let wake = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      if (this.generation !== seen) return resolve();
      const timer = setTimeout(() => wake(), timeoutMs);
      wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
    return { done, cancel: () => wake() };
  }
}
