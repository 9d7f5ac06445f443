/**
 * Retries in place a handler that failed because a backend was unreachable (UnavailableError: a
 * dropped database connection, Redis restarting). Redelivery would also retry it, but only after
 * the claim idle time (30 s by default) and at the cost of a delivery, so an outage of a few
 * seconds would delay every run it touched and could dead-letter messages that are not at fault.
 * Handlers are safe to run again: redelivery runs them again too.
 */
import { UnavailableError } from '@wormhole/interfaces';

export interface TransientRetryOptions {
  /** Aborted when the subscriber stops: the message is then left for redelivery. */
  readonly signal?: AbortSignal;
  /** Gives up after this many attempts (the last failure is thrown); unbounded when absent. */
  readonly maxAttempts?: number;
  /** The first pause; each further one doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Called before each pause, with the failure and the attempt that failed (1 = the first). */
  onRetry(error: UnavailableError, attempt: number, delayMs: number): void;
}

/**
 * Handler retries start after 100 ms and back off to one every 5 s, for about two minutes per
 * delivery (30 attempts). Bounded because an UnavailableError can also be lasting (an object store
 * refusing the credentials): after the bound the failure takes the ordinary path, and a message
 * failing through `MAX_DELIVERIES` deliveries is dead-lettered as before.
 */
export const HANDLER_RETRY = { firstDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 30 } as const;

/**
 * Acknowledgements and other settling writes: idempotent, so retried too, but bounded (about 3 s)
 * because shutdown waits for them; one that still fails leaves the message for redelivery.
 */
export const SETTLE_RETRY = { firstDelayMs: 100, maxDelayMs: 1_600, maxAttempts: 6 } as const;

/**
 * Runs `work` until it succeeds, fails with anything but UnavailableError, `signal` is aborted or
 * `maxAttempts` are used up (then the last failure is thrown). Pauses are jittered (between half and all of the nominal
 * delay), so the handlers an outage stopped do not all hit the recovering backend at once.
 */
export async function retryWhileUnavailable<T>(work: () => Promise<T>, options: TransientRetryOptions): Promise<T> {
  let delayMs = options.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const { signal, maxAttempts } = options;
      if (!(e instanceof UnavailableError) || signal?.aborted || attempt >= (maxAttempts ?? Infinity)) throw e;
      const pause = Math.round(delayMs / 2 + (Math.random() * delayMs) / 2);
      options.onRetry(e, attempt, pause);
      await pauseUnlessAborted(pause, signal);
      if (signal?.aborted) throw e;
      delayMs = Math.min(delayMs * 2, options.maxDelayMs);
    }
  }
}

function pauseUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve) => {
    // Aborted already (e.g. while onRetry ran): an abort event would never come.
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `work` until it succeeds or `budgetMs` would be exceeded by the next pause (then the last
 * failure is thrown), whatever the failure: for idempotent upkeep that must land within a period
 * (a lease's heartbeat), where one dropped connection must not cost the lease. Pauses start at a
 * tenth of the budget and double.
 */
export async function retryWithin<T>(work: () => Promise<T>, budgetMs: number, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let pauseMs = Math.max(1, Math.floor(budgetMs / 10));
  for (;;) {
    try {
      return await work();
    } catch (e) {
      if (signal?.aborted || Date.now() + pauseMs > deadline) throw e;
      await pauseUnlessAborted(pauseMs, signal);
      if (signal?.aborted) throw e;
      pauseMs *= 2;
    }
  }
}
