import type { StreamMessage } from '@wormhole/interfaces';
import { newScope, startedEvent, taskRequestedEvent } from '../sample-events';
import type { ContractContext } from './harness';
import { CONTRACT_SETTINGS, collect, eventually, gate, sleep, uniqueGroup } from './harness';

const { claimIdleMs, maxDeliveries } = CONTRACT_SETTINGS;
/** Long enough for an idle message to be noticed and reclaimed. */
const RECLAIM_WAIT_MS = claimIdleMs * 4 + 2000;

export function failureContract(ctx: ContractContext): void {
  it('redelivers a message whose handler threw, counting the delivery', async () => {
    const scope = newScope();
    const worker = collect(ctx.stream(), { group: uniqueGroup('retry'), consumer: 'r1' }, scope.tenant, (message) =>
      message.deliveries === 1 ? Promise.reject(new Error('transient')) : Promise.resolve(),
    );
    try {
      const event = startedEvent(scope);
      await ctx.stream().publish(event);
      const received = await worker.waitFor(2, RECLAIM_WAIT_MS);
      expect(received.map((m) => [m.event, m.deliveries])).toEqual([
        [event, 1],
        [event, 2],
      ]);
      expect(received[1]!.id).toBe(received[0]!.id);
      await sleep(claimIdleMs * 2);
      expect(worker.messages).toHaveLength(2);
    } finally {
      await worker.subscription.close();
    }
  });

  it('hands the unacknowledged messages of a stopped consumer to another one', async () => {
    const scope = newScope();
    const group = uniqueGroup('reclaim');
    const stuck = gate();
    const dying = collect(ctx.stream(), { group, consumer: 'dying' }, scope.tenant, () => stuck.promise);
    let heir: ReturnType<typeof collect> | undefined;
    try {
      const event = startedEvent(scope);
      await ctx.stream().publish(event);
      await dying.waitFor(1);
      // The consumer stops while its handler hangs: it never acknowledges.
      void dying.subscription.close();
      heir = collect(ctx.stream(), { group, consumer: 'heir' }, scope.tenant);
      const [message] = await heir.waitFor(1, RECLAIM_WAIT_MS);
      expect(message!.event).toEqual(event);
      expect(message!.deliveries).toBe(2);
    } finally {
      stuck.fail(new Error('the dying consumer gives up'));
      await Promise.all([dying.subscription.close(), heir?.subscription.close()]);
    }
  });

  it('does not let another consumer take a message whose handler is still running', async () => {
    const scope = newScope();
    const group = uniqueGroup('slow');
    const slowly = (): Promise<void> => sleep(claimIdleMs * 6);
    const other = collect(ctx.stream(), { group, consumer: 'other' }, scope.tenant, slowly);
    // Staggered start, so the two consumers' reclaim passes do not run in lockstep.
    await sleep(claimIdleMs / 3);
    const slow = collect(ctx.stream(), { group, consumer: 'slow' }, scope.tenant, slowly);
    try {
      await ctx.stream().publish(startedEvent(scope));
      await eventually('one delivery', () => slow.messages.length + other.messages.length === 1);
      await sleep(claimIdleMs * 8);
      expect(slow.messages.length + other.messages.length).toBe(1);
      // Counting re-claims of a running message as deliveries would dead-letter it meanwhile.
      expect(await ctx.stream().listDeadLetters(scope.tenant, 10)).toEqual([]);
    } finally {
      await Promise.all([slow.subscription.close(), other.subscription.close()]);
    }
  });

  it(`dead-letters a message after ${maxDeliveries} failed deliveries, with its error`, async () => {
    const scope = newScope();
    const event = taskRequestedEvent(scope);
    const failing = collect(ctx.stream(), { group: uniqueGroup('dlq'), consumer: 'f1' }, scope.tenant, (message) =>
      Promise.reject(new Error(`boom on delivery ${message.deliveries}`)),
    );
    try {
      await ctx.stream().publish(event);
      await failing.waitFor(maxDeliveries, RECLAIM_WAIT_MS * maxDeliveries);
      await eventually('a dead letter', async () => (await ctx.stream().listDeadLetters(scope.tenant, 10)).length > 0);
      const [letter, ...rest] = await ctx.stream().listDeadLetters(scope.tenant, 10);
      expect(rest).toEqual([]);
      expect(letter!.event).toEqual(event);
      expect(letter!.error).toContain(`boom on delivery ${maxDeliveries}`);
      expect(letter!.deliveries).toBe(maxDeliveries);
      expect(letter!.stream.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(letter!.dead_at))).toBe(false);
      await sleep(claimIdleMs * 3);
      expect(failing.messages.map((m) => m.deliveries)).toEqual(Array.from({ length: maxDeliveries }, (_, i) => i + 1));
      expect(await ctx.stream().listDeadLetters(newScope().tenant, 10)).toEqual([]);
    } finally {
      await failing.subscription.close();
    }
  });

  it('redrives a dead letter to the group that failed it, and only to that group', async () => {
    const scope = newScope();
    const event = taskRequestedEvent(scope);
    let healthy = false;
    const flaky = collect(ctx.stream(), { group: uniqueGroup('flaky'), consumer: 'f1' }, scope.tenant, () =>
      healthy ? Promise.resolve() : Promise.reject(new Error('downstream unavailable')),
    );
    const steady = collect(ctx.stream(), { group: uniqueGroup('steady'), consumer: 's1' }, scope.tenant);
    try {
      await ctx.stream().publish(event);
      await eventually(
        'a dead letter',
        async () => (await ctx.stream().listDeadLetters(scope.tenant, 10)).length > 0,
        RECLAIM_WAIT_MS * maxDeliveries,
      );
      const [letter] = await ctx.stream().listDeadLetters(scope.tenant, 10);
      healthy = true;
      await ctx.stream().redrive(scope.tenant, letter!.id);
      await flaky.waitFor(maxDeliveries + 1);
      const redriven = flaky.messages.at(-1)!;
      expect(redriven.event).toEqual(event);
      expect(redriven.deliveries).toBe(1);
      expect(await ctx.stream().listDeadLetters(scope.tenant, 10)).toEqual([]);
      await sleep(claimIdleMs * 2);
      expect(flaky.messages).toHaveLength(maxDeliveries + 1);
      expect(steady.messages.map((m: StreamMessage) => m.event)).toEqual([event]);
      await expect(ctx.stream().redrive(scope.tenant, letter!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await Promise.all([flaky.subscription.close(), steady.subscription.close()]);
    }
  });

  it('quarantines a poison message at once and keeps consuming', async () => {
    const scope = newScope();
    const worker = collect(ctx.stream(), { group: uniqueGroup('poison'), consumer: 'p1' }, scope.tenant);
    try {
      await ctx.opened().appendRaw(scope.tenant, scope.workflow, '{"specversion": "1.0", "type": ');
      const wrongType = { ...startedEvent(scope), type: 'io.wormhole.unknown' };
      await ctx.opened().appendRaw(scope.tenant, scope.workflow, JSON.stringify(wrongType));
      const otherTenant = startedEvent({ ...newScope(), workflow: scope.workflow });
      await ctx.opened().appendRaw(scope.tenant, scope.workflow, JSON.stringify(otherTenant));
      const good = startedEvent(scope);
      await ctx.stream().publish(good);
      const [first] = await worker.waitFor(1);
      expect(first!.event).toEqual(good);
      await eventually('three poison messages', async () => (await ctx.opened().listPoison(scope.tenant)).length >= 3);
      const poison = await ctx.opened().listPoison(scope.tenant);
      // Quarantining runs beside the handlers, so the three may be filed in any order.
      expect(poison).toHaveLength(3);
      expect(poison.map((p) => p.error)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/JSON/),
          expect.stringMatching(/unknown event type/),
          expect.stringMatching(/tenant/),
        ]),
      );
      expect(poison.find((p) => /JSON/.test(p.error))!.raw).toBe('{"specversion": "1.0", "type": ');
      await sleep(claimIdleMs * 2);
      expect(worker.messages).toHaveLength(1);
      expect(await ctx.stream().listDeadLetters(scope.tenant, 10)).toEqual([]);
    } finally {
      await worker.subscription.close();
    }
  });
}
