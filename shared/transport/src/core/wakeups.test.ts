import { StreamWakeups } from './wakeups';

describe('StreamWakeups', () => {
  it('wakes a waiter on notify', async () => {
    const wakeups = new StreamWakeups();
    const waiting = wakeups.wait(wakeups.current, 10_000);
    wakeups.notify();
    await expect(waiting.done).resolves.toBeUndefined();
  });

  it('does not wait when a notify happened since `seen`', async () => {
    const wakeups = new StreamWakeups();
    const seen = wakeups.current;
    wakeups.notify();
    await wakeups.wait(seen, 10_000).done;
  });

  it('times out, and cancel() resolves at once without leaving a timer', async () => {
    const wakeups = new StreamWakeups();
    const started = Date.now();
    await wakeups.wait(wakeups.current, 30).done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const pending = wakeups.wait(wakeups.current, 10_000);
    expect(timers()).toBe(before + 1);
    pending.cancel();
    await pending.done;
    expect(timers()).toBe(before);
  });
});
