import type { EngineEvent } from '@wormhole/interfaces';
import { newScope, startedEvent, taskRequestedEvent } from '../sample-events';
import type { ContractContext } from './harness';
import { CONTRACT_SETTINGS, collect, eventually, gate, sleep, uniqueGroup } from './harness';

const WATCHED = ['TCPSocketWrap', 'Timeout', 'PipeWrap', 'TCPWRAP'];

function watchedHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => WATCHED.includes(kind)).length;
}

export function lifecycleContract(ctx: ContractContext): void {
  it('rejects an event that does not match its schema, before it reaches the stream', async () => {
    const bad = { ...startedEvent(newScope()), data: { input: 1 } } as unknown as EngineEvent;
    await expect(ctx.stream().publish(bad)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('reports its health as a named backend, ok while its server answers', async () => {
    const health = await ctx.stream().health();
    expect(health).toMatchObject({ ok: true });
    expect(health.name).toMatch(/^stream:/);
    expect(health.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('close() waits for running handlers, which still acknowledge', async () => {
    const scope = newScope();
    const group = uniqueGroup('closing');
    const running = gate();
    const first = collect(ctx.stream(), { group, consumer: 'c1' }, scope.tenant, () => running.promise);
    let second: ReturnType<typeof collect> | undefined;
    try {
      await ctx.stream().publish(startedEvent(scope));
      await first.waitFor(1);
      let closed = false;
      const closing = first.subscription.close().then(() => (closed = true));
      await sleep(100);
      expect(closed).toBe(false);
      running.open();
      await closing;
      second = collect(ctx.stream(), { group, consumer: 'c2' }, scope.tenant);
      await sleep(CONTRACT_SETTINGS.claimIdleMs * 3);
      expect(second.messages).toEqual([]);
    } finally {
      running.open();
      await Promise.all([first.subscription.close(), second?.subscription.close()]);
    }
  });

  it('leaves no connection or timer behind once closed', async () => {
    const before = watchedHandles();
    const opened = await ctx.open();
    const scope = newScope();
    const worker = collect(
      opened.stream,
      { group: uniqueGroup('handles'), consumer: 'h1', concurrency: 4 },
      scope.tenant,
    );
    await opened.stream.publish(startedEvent(scope));
    await worker.waitFor(1);
    await worker.subscription.close();
    await opened.stream.close();
    await opened.stream.close();
    await opened.cleanup();
    await eventually(`handles back to ${before}`, () => watchedHandles() <= before, 2000).catch((e: unknown) => {
      throw new Error(`${String(e)}; still open: ${process.getActiveResourcesInfo().join(', ')}`);
    });
  });

  it('trims a stream once every registered group has acknowledged its events', async () => {
    const opened = await ctx.open();
    const scope = newScope();
    const held = gate();
    const all = collect(opened.stream, { group: uniqueGroup('all'), consumer: 'a1', concurrency: 4 }, scope.tenant);
    const typed = collect(
      opened.stream,
      { group: uniqueGroup('typed'), consumer: 't1', types: ['io.wormhole.task.requested'] },
      scope.tenant,
      () => held.promise,
    );
    try {
      const total = 60;
      for (let i = 0; i < total; i++) {
        await opened.stream.publish(i % 3 === 1 ? taskRequestedEvent(scope) : startedEvent(scope, { n: i }));
      }
      await all.waitFor(total);
      await typed.waitFor(1);
      await sleep(CONTRACT_SETTINGS.trimIntervalMs * 4);
      // The typed group has acknowledged none of its 20 events yet (the first one blocks its lane),
      // so all of them must still be stored. (Redis trims below a watermark and keeps 59 here; the
      // table deletes message by message and keeps exactly these 20.)
      expect(await opened.storedCount(scope.tenant, scope.workflow)).toBeGreaterThanOrEqual(total / 3);
      held.open();
      await typed.waitFor(total / 3);
      await eventually(
        'the stream to be trimmed',
        async () => (await opened.storedCount(scope.tenant, scope.workflow)) === 0,
      );
    } finally {
      held.open();
      await Promise.all([all.subscription.close(), typed.subscription.close()]);
      await opened.stream.close();
      await opened.cleanup();
    }
  });
}
