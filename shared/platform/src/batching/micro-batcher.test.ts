import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('flushes what was added in one turn together, in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>((items) => Promise.resolve(void batches.push([...items])));
    await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    await batcher.add(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('cuts a batch at maxBatch and keeps batches in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, items[0] === 0 ? 20 : 0));
      batches.push([...items]);
    }, 2);
    await Promise.all([0, 1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(batches).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gathers what arrives over several turns while a write is in progress into the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new MicroBatcher<number>(async (items) => {
      batches.push([...items]);
      if (items[0] === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve)); // [1] is being written
    const later: Promise<void>[] = [];
    for (const n of [2, 3, 4]) {
      later.push(batcher.add(n));
      await new Promise((resolve) => setImmediate(resolve)); // each in a turn of its own
    }
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("rejects every add of a failed batch with the flush's error, and carries on", async () => {
    let fail = true;
    const batcher = new MicroBatcher<number>(() => (fail ? Promise.reject(new Error('down')) : Promise.resolve()));
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(3)).resolves.toBeUndefined();
  });

  it('settles each add with its own outcome when the flush returns one per item', async () => {
    const batcher = new MicroBatcher<number>((items) =>
      Promise.resolve(items.map((n) => (n % 2 === 0 ? undefined : new Error(`odd ${n}`)))),
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('odd 1'));
  });

  it('idle() waits for pending items', async () => {
    const seen: number[] = [];
    const batcher = new MicroBatcher<number>((items) => Promise.resolve(void seen.push(...items)));
    void batcher.add(7);
    await batcher.idle();
    expect(seen).toEqual([7]);
  });
});
