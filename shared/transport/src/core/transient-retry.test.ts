import { UnavailableError, ValidationError } from '@wormhole/interfaces';
import { retryWhileUnavailable, retryWithin } from './transient-retry';

/** Work failing `failures` times with `error`, then answering 'done'. */
function failing(failures: number, error: Error): { work: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    work: () => {
      calls++;
      return calls <= failures ? Promise.reject(error) : Promise.resolve('done');
    },
    calls: () => calls,
  };
}

describe('retryWhileUnavailable', () => {
  it('runs the work again while a backend is unavailable, each pause twice the last up to the cap', async () => {
    const { work, calls } = failing(5, new UnavailableError('postgres', 'connection terminated'));
    const pauses: number[] = [];
    const result = await retryWhileUnavailable(work, {
      signal: new AbortController().signal,
      firstDelayMs: 8,
      maxDelayMs: 32,
      onRetry: (_error, attempt, delayMs) => pauses.push(delayMs) && expect(attempt).toBe(pauses.length),
    });
    expect(result).toBe('done');
    expect(calls()).toBe(6);
    // Jittered between half and all of 8, 16, 32, 32, 32.
    const nominal = [8, 16, 32, 32, 32];
    pauses.forEach((pause, i) => {
      expect(pause).toBeGreaterThanOrEqual(nominal[i]! / 2);
      expect(pause).toBeLessThanOrEqual(nominal[i]!);
    });
  });

  it('does not retry any other failure', async () => {
    const { work, calls } = failing(1, new ValidationError('bad input'));
    const retried = jest.fn();
    const options = { signal: new AbortController().signal, firstDelayMs: 1, maxDelayMs: 1, onRetry: retried };
    await expect(retryWhileUnavailable(work, options)).rejects.toBeInstanceOf(ValidationError);
    expect(calls()).toBe(1);
    expect(retried).not.toHaveBeenCalled();
  });

  it('gives up after maxAttempts, with the last failure', async () => {
    const error = new UnavailableError('postgres', 'acknowledge failed');
    const { work, calls } = failing(Number.POSITIVE_INFINITY, error);
    const options = { firstDelayMs: 1, maxDelayMs: 2, maxAttempts: 3, onRetry: jest.fn() };
    await expect(retryWhileUnavailable(work, options)).rejects.toBe(error);
    expect(calls()).toBe(3);
    expect(options.onRetry).toHaveBeenCalledTimes(2);
  });

  it('gives up at once when aborted during a pause, with the last failure', async () => {
    const error = new UnavailableError('redis', 'connection reset');
    const { work, calls } = failing(Number.POSITIVE_INFINITY, error);
    const stop = new AbortController();
    const started = Date.now();
    const run = retryWhileUnavailable(work, {
      signal: stop.signal,
      firstDelayMs: 60_000,
      maxDelayMs: 60_000,
      onRetry: () => stop.abort(),
    });
    await expect(run).rejects.toBe(error);
    expect(calls()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('retryWithin', () => {
  it('tries again after any failure until the work succeeds within the budget', async () => {
    let calls = 0;
    const result = await retryWithin(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error('connection terminated')) : Promise.resolve('held');
    }, 1_000);
    expect(result).toBe('held');
    expect(calls).toBe(3);
  });

  it('gives up with the last failure once the next pause would pass the budget', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      retryWithin(() => {
        calls += 1;
        return Promise.reject(new Error(`failure ${calls}`));
      }, 100),
    ).rejects.toThrow(/failure \d/);
    // Pauses of 10, 20 and 40 ms fit in 100 ms, the next (80) does not; a slow timer fits fewer.
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(4);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    await expect(
      retryWithin(
        () => {
          calls += 1;
          return Promise.reject(new Error('down'));
        },
        1_000,
        controller.signal,
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});
