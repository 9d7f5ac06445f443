import { RecentOutcomes, estimatedBytes } from './recent-outcomes';

const settings = { keepMs: 1_000, maxOutcomeBytes: 1_000, maxTotalBytes: 3_000 };

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (e: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RecentOutcomes', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 0;
  });

  it('answers a run in flight with its outcome once it comes', async () => {
    const recent = new RecentOutcomes<{ n: number }>(settings, clock);
    const run = deferred<{ n: number } | undefined>();
    recent.track('a', run.promise);
    const found = recent.find('a');
    expect(found).toBeDefined();
    run.resolve({ n: 1 });
    await expect(found).resolves.toEqual({ n: 1 });
  });

  it('keeps an outcome for keepMs, then forgets it', async () => {
    const recent = new RecentOutcomes<{ n: number }>(settings, clock);
    recent.track('a', Promise.resolve({ n: 1 }));
    await settle();
    now = 999;
    await expect(recent.find('a')).resolves.toEqual({ n: 1 });
    now = 1_001;
    expect(recent.find('a')).toBeUndefined();
    expect(recent.size).toBe(0);
  });

  it('keeps a run in flight past keepMs: its outcome is still to come', async () => {
    const recent = new RecentOutcomes<{ n: number }>(settings, clock);
    const slow = deferred<{ n: number } | undefined>();
    recent.track('slow', slow.promise);
    now = 5_000;
    recent.track('b', Promise.resolve({ n: 2 }));
    await settle();
    expect(recent.find('slow')).toBeDefined();
    expect(recent.find('b')).toBeDefined();
  });

  it('forgets a run that failed or had nothing to report, so a repeated request runs it again', async () => {
    const recent = new RecentOutcomes<{ n: number }>(settings, clock);
    const failing = deferred<{ n: number } | undefined>();
    recent.track('failed', failing.promise);
    recent.track('nothing', Promise.resolve(undefined));
    failing.reject(new Error('publish failed'));
    await settle();
    expect(recent.find('failed')).toBeUndefined();
    expect(recent.find('nothing')).toBeUndefined();
  });

  it('does not keep an outcome larger than maxOutcomeBytes once it is reported', async () => {
    const recent = new RecentOutcomes<{ s: string }>(settings, clock);
    recent.track('big', Promise.resolve({ s: 'x'.repeat(2_000) }));
    await settle();
    expect(recent.find('big')).toBeUndefined();
  });

  it('drops the oldest outcomes beyond maxTotalBytes', async () => {
    const recent = new RecentOutcomes<{ s: string }>(settings, clock);
    for (const id of ['a', 'b', 'c', 'd']) {
      recent.track(id, Promise.resolve({ s: 'x'.repeat(900) }));
      now += 1;
    }
    await settle();
    expect(recent.find('a')).toBeUndefined();
    expect(recent.find('b')).toBeDefined();
    expect(recent.find('d')).toBeDefined();
  });
});

describe('estimatedBytes', () => {
  it('is about the JSON size of small values', () => {
    const value = { name: 'pet', tags: ['a', 'b'], n: 1, nested: { ok: true, none: null } };
    const estimate = estimatedBytes(value, 10_000) ?? 0;
    const json = JSON.stringify(value).length;
    expect(estimate).toBeGreaterThan(json / 2);
    expect(estimate).toBeLessThan(json * 2);
  });

  it('gives up beyond the limit instead of walking everything', () => {
    expect(estimatedBytes({ list: Array.from({ length: 100_000 }, (_, i) => i) }, 1_000)).toBeUndefined();
    expect(estimatedBytes('x'.repeat(1_001), 1_000)).toBeUndefined();
  });
});
