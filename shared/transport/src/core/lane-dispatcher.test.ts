import { LaneDispatcher } from './lane-dispatcher';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A task that notes its name when it runs. */
const record = (log: string[], name: string) => (): Promise<void> => {
  log.push(name);
  return Promise.resolve();
};

describe('LaneDispatcher', () => {
  it('never runs two tasks of one lane at once, and keeps their order', async () => {
    const dispatcher = new LaneDispatcher(4);
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    gates.forEach((gate, i) =>
      dispatcher.push('exec-1', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
      }),
    );
    await tick();
    expect(log).toEqual(['start 0']);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await tick();
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    await dispatcher.drain();
    await dispatcher.waitForRoom(1);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('runs different lanes concurrently up to the limit', async () => {
    const dispatcher = new LaneDispatcher(2);
    const gate = deferred();
    let peak = 0;
    for (let i = 0; i < 5; i++) {
      dispatcher.push(`exec-${i}`, async () => {
        peak = Math.max(peak, dispatcher.active);
        await gate.promise;
      });
    }
    await tick();
    expect(dispatcher.active).toBe(2);
    expect(dispatcher.size).toBe(5);
    gate.resolve();
    await dispatcher.waitForRoom(1);
    expect(peak).toBe(2);
    expect(dispatcher.size).toBe(0);
  });

  it('keeps a lane going after a task rejects', async () => {
    const dispatcher = new LaneDispatcher(1);
    const log: number[] = [];
    dispatcher.push('a', () => Promise.reject(new Error('boom')));
    dispatcher.push('a', async () => {
      log.push(2);
      await Promise.resolve();
    });
    await dispatcher.waitForRoom(1);
    expect(log).toEqual([2]);
  });

  it('clear() drops queued tasks but lets running ones finish', async () => {
    const dispatcher = new LaneDispatcher(1);
    const gate = deferred();
    const ran: string[] = [];
    dispatcher.push('a', async () => {
      ran.push('a1');
      await gate.promise;
    });
    dispatcher.push('a', async () => {
      ran.push('a2');
      await Promise.resolve();
    });
    dispatcher.push('b', async () => {
      ran.push('b1');
      await Promise.resolve();
    });
    await tick();
    expect(dispatcher.clear()).toBe(2);
    expect(dispatcher.size).toBe(1);
    gate.resolve();
    await dispatcher.drain();
    await tick();
    expect(ran).toEqual(['a1']);
    expect(dispatcher.size).toBe(0);
  });

  it('gives lanes turns so a long lane does not starve a short one', async () => {
    const dispatcher = new LaneDispatcher(1);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) dispatcher.push('long', () => Promise.resolve(void order.push(`long${i}`)));
    dispatcher.push('short', () => Promise.resolve(void order.push('short0')));
    await dispatcher.waitForRoom(1);
    expect(order.indexOf('short0')).toBeLessThan(order.indexOf('long2'));
  });

  it('rejects a concurrency below 1', () => {
    expect(() => new LaneDispatcher(0)).toThrow(/concurrency/);
  });
  it('gives tenants turns: a lane of a quiet group runs before the backlog of a busy one', async () => {
    const dispatcher = new LaneDispatcher(1);
    const order: string[] = [];
    const gate = deferred();
    dispatcher.push('busy/0', () => gate.promise.then(() => void order.push('busy/0')), 'busy');
    for (let i = 1; i <= 5; i++) dispatcher.push(`busy/${i}`, record(order, `busy/${i}`), 'busy');
    dispatcher.push('quiet/0', record(order, 'quiet/0'), 'quiet');
    dispatcher.push('quiet/1', record(order, 'quiet/1'), 'quiet');
    gate.resolve();
    await dispatcher.drain();
    await dispatcher.waitForRoom(1);
    // busy/1 had its turn queued before quiet arrived; from then on the groups alternate.
    expect(order).toEqual(['busy/0', 'busy/1', 'quiet/0', 'busy/2', 'quiet/1', 'busy/3', 'busy/4', 'busy/5']);
  });

  it('drops queued lanes of every group on clear', async () => {
    const dispatcher = new LaneDispatcher(1);
    const gate = deferred();
    const ran: string[] = [];
    dispatcher.push('a/0', () => gate.promise, 'a');
    dispatcher.push('a/1', record(ran, 'a/1'), 'a');
    dispatcher.push('b/0', record(ran, 'b/0'), 'b');
    expect(dispatcher.clear()).toBe(2);
    gate.resolve();
    await dispatcher.drain();
    dispatcher.push('b/1', record(ran, 'b/1'), 'b');
    await dispatcher.drain();
    await dispatcher.waitForRoom(1);
    expect(ran).toEqual(['b/1']);
    expect(dispatcher.size).toBe(0);
  });
});
