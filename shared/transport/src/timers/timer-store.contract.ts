import type { TestServer } from '@wormhole/platform';
import { testServersReachable } from '@wormhole/platform';
/**
 * The TimerStore contract, run against every implementation (Redis, Postgres, PGlite). `open`
 * returns an empty, isolated store (own key prefix / schema / data directory) and a cleanup.
 */
import type { ScheduledTimer, TimerStore } from '@wormhole/interfaces';

export interface OpenedTimerStore {
  readonly store: TimerStore;
  cleanup(): Promise<void>;
}

const timer = (id: string, dueAt: number, extra: Partial<ScheduledTimer> = {}): ScheduledTimer => ({
  id,
  tenantId: 'acme',
  workflowId: 'wf_1',
  executionId: 'ex_1',
  taskPath: '/do/0/wait',
  taskName: 'wait',
  dueAt,
  ...extra,
});

const ids = (timers: readonly ScheduledTimer[]): string[] => timers.map((t) => t.id);

/** `servers`: what the backend needs; without them the suite is skipped and the run says so. */
export function timerStoreContract(
  name: string,
  open: () => Promise<OpenedTimerStore>,
  servers: readonly TestServer[] = [],
): void {
  (testServersReachable(servers) ? describe : describe.skip)(`TimerStore contract: ${name}`, () => {
    let opened: OpenedTimerStore | undefined;
    const store = (): TimerStore => {
      if (!opened) throw new Error('timer store not opened');
      return opened.store;
    };

    // Each test starts from an empty store: the store is shared by all timers, with no tenant scope.
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    it('claims only due timers, oldest first, and keeps them until completed', async () => {
      await store().schedule(timer('b', 2000));
      await store().schedule(timer('a', 1000));
      await store().schedule(timer('c', 9000));
      await store().schedule(timer('a', 5000)); // same id again: the first schedule stands
      expect(await store().nextDueAt()).toBe(1000);
      expect(await store().claimDue(500, 10, 100)).toEqual([]);
      const claimed = await store().claimDue(2500, 10, 100);
      expect(ids(claimed)).toEqual(['a', 'b']);
      expect(claimed[0]).toEqual(timer('a', 1000));
      // Claimed: not due again within the lease …
      expect(await store().claimDue(2550, 10, 100)).toEqual([]);
      await store().complete(['a']);
      // … but a claim that was never completed comes back after the lease.
      expect(ids(await store().claimDue(2601, 10, 100))).toEqual(['b']);
      await store().complete(['b']);
      await store().cancel('c');
      expect(await store().nextDueAt()).toBeUndefined();
      expect(await store().claimDue(1e13, 10, 100)).toEqual([]);
    });

    it('hands every field back as scheduled, with the original due time after a lease expired', async () => {
      const t = timer('full', 1234, {
        tenantId: 'tenant-ü',
        workflowId: 'wf_x',
        executionId: 'ex_y',
        taskPath: "/do/1/wait 'quoted'",
        taskName: 'pause',
      });
      await store().schedule(t);
      expect(await store().claimDue(2000, 1, 50)).toEqual([t]);
      expect(await store().claimDue(2051, 1, 50)).toEqual([t]);
    });

    it('counts a claimed timer at its lease expiry in nextDueAt', async () => {
      await store().schedule(timer('x', 1000));
      await store().schedule(timer('y', 8000));
      await store().claimDue(1500, 10, 300);
      expect(await store().nextDueAt()).toBe(1800);
      await store().claimDue(1800, 10, 10_000);
      expect(await store().nextDueAt()).toBe(8000);
    });

    it('honours the limit, taking the earliest and leaving the rest due', async () => {
      for (const [id, due] of [
        ['t3', 300],
        ['t1', 100],
        ['t2', 200],
        ['t4', 400],
      ] as const) {
        await store().schedule(timer(id, due));
      }
      expect(ids(await store().claimDue(1000, 2, 60_000))).toEqual(['t1', 't2']);
      expect(ids(await store().claimDue(1000, 10, 60_000))).toEqual(['t3', 't4']);
    });

    it('keeps fractional times exactly', async () => {
      await store().schedule(timer('f', 1000.5));
      expect(await store().nextDueAt()).toBe(1000.5);
      expect(await store().claimDue(1000.25, 10, 10)).toEqual([]);
      expect(await store().claimDue(1000.5, 10, 0.25)).toEqual([timer('f', 1000.5)]);
      expect(await store().nextDueAt()).toBe(1000.75);
    });

    it('orders timers due at the same time by id', async () => {
      for (const id of ['m', 'B', 'a', 'Z']) await store().schedule(timer(id, 100));
      expect(ids(await store().claimDue(100, 10, 1000))).toEqual(['B', 'Z', 'a', 'm']);
    });

    it('keeps a claimed timer claimed when it is scheduled again, and schedules it anew once completed', async () => {
      await store().schedule(timer('r', 100));
      await store().claimDue(100, 10, 1000);
      await store().schedule(timer('r', 100));
      expect(await store().claimDue(500, 10, 1000)).toEqual([]);
      await store().complete(['r']);
      await store().schedule(timer('r', 700));
      expect(await store().claimDue(700, 10, 1000)).toEqual([timer('r', 700)]);
    });

    it('ignores empty and unknown ids in complete and cancel', async () => {
      await store().schedule(timer('keep', 100));
      await store().complete([]);
      await store().complete(['nope']);
      await store().cancel('nope');
      expect(ids(await store().claimDue(100, 10, 1000))).toEqual(['keep']);
    });

    it('never hands one due timer to two concurrent claimers', async () => {
      for (let i = 0; i < 50; i++) await store().schedule(timer(`r${i}`, 100 + i));
      const claims = await Promise.all([0, 1, 2, 3].map(() => store().claimDue(1000, 20, 60000)));
      const all = claims.flatMap(ids);
      expect(all).toHaveLength(50);
      expect(new Set(all).size).toBe(50);
      await store().complete(all);
      expect(await store().nextDueAt()).toBeUndefined();
    });
  });
}
