/*
 * Workflow schedules end to end: executions that start without a client call, from timed
 * schedules (`every`, `after`) and from events (`schedule.on`), on the embedded installation and
 * on Postgres + Redis, where a second worker process (its own scheduler) runs beside the first.
 */
import { bootWorker } from '@wormhole/worker';
import { testBackends } from '@wormhole/storage';
import type { Api, BackendSetup } from './__tests__/engine-harness';
import { EngineUnderTest, embedded, postgresWithRedisStreams } from './__tests__/engine-harness';

interface ScheduledRun {
  readonly id: string;
  readonly status: string;
  readonly idempotency_key?: string;
  readonly input: unknown;
  readonly started_at: string;
  readonly completed_at?: string;
}

const setups = (): BackendSetup[] => {
  const backends = testBackends();
  return [
    embedded(),
    ...(backends.includes('postgres') && backends.includes('redis') ? [postgresWithRedisStreams()] : []),
  ];
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 100;

async function scheduled(api: Api, name: string, schedule: unknown): Promise<string> {
  const definition = {
    document: { dsl: '1.0.0', namespace: 'e2e', name, version: '1.0.0' },
    schedule,
    do: [{ note: { set: { ran: true } } }],
  };
  const created = await api.request<{ id: string }>('POST', '/workflows', { name, definition });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

async function runsOf(api: Api, workflowId: string): Promise<ScheduledRun[]> {
  return api.items<ScheduledRun>(`/executions?workflow_id=${workflowId}&limit=100&sort_by=started_at&sort_order=asc`);
}

describe.each(setups())('schedules on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let api: Api;
  let second: Awaited<ReturnType<typeof bootWorker>> | undefined;

  beforeAll(async () => {
    engine = await EngineUnderTest.start(setup, { SCHEDULER_TICK_MS: String(TICK_MS) });
    ({ api } = engine);
    // One data directory has one owner: a second scheduler needs the servers.
    if (setup.name !== 'embedded (no servers)') second = await bootWorker({ ...engine.env, WORKER_HEALTH_PORT: '0' });
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await engine?.stop();
  });

  it('every: PT1S starts one execution per second without a client call, until the workflow is deleted', async () => {
    const workflow = await scheduled(api, 'every-second', { every: 'PT1S' });
    const from = Date.now();
    await sleep(3200);
    const runs = await runsOf(api, workflow);
    const elapsedTicks = Math.floor(Date.now() / 1000) - Math.floor(from / 1000);
    // Each whole second since the creation is one tick; two schedulers must not make it two runs.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(elapsedTicks);
    const ticks = runs.map((r) => r.idempotency_key?.split(' ')[2] ?? '');
    expect(new Set(ticks).size).toBe(runs.length);
    for (const [i, run] of runs.entries()) {
      expect(run.idempotency_key).toMatch(new RegExp(`^wormhole-schedule ${workflow} \\d{4}-.*T.*:\\d{2}\\.000Z$`));
      expect(Date.parse(ticks[i]!)).toBeGreaterThanOrEqual(from - 1000);
      expect((await api.until(run.id)).status).toBe('completed');
    }

    expect((await api.request('DELETE', `/workflows/${workflow}`)).status).toBe(204);
    await sleep(3 * TICK_MS);
    const afterDelete = (await runsOf(api, workflow)).length;
    await sleep(1500);
    expect((await runsOf(api, workflow)).length).toBe(afterDelete);
  }, 30_000);

  it('after: the first run at the creation, the next one the delay after the previous one ended', async () => {
    const workflow = await scheduled(api, 'loop', { after: { milliseconds: 700 } });
    await sleep(1800);
    await api.request('PUT', `/workflows/${workflow}`, { state: 'inactive' });
    const runs = await runsOf(api, workflow);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(3);
    const [first, next] = runs;
    expect(next!.idempotency_key).toBe(
      `wormhole-schedule ${workflow} ${new Date(Date.parse(first!.completed_at!) + 700).toISOString()}`,
    );
    expect(Date.parse(next!.started_at)).toBeGreaterThanOrEqual(Date.parse(first!.completed_at!) + 700);
  }, 30_000);

  it('on: each matching event starts one execution with the event as its input, a repeated one none', async () => {
    const workflow = await scheduled(api, 'on-paid', {
      on: { any: [{ with: { type: 'com.example.order.paid' } }, { with: { type: 'com.example.order.refunded' } }] },
    });
    await sleep(2 * TICK_MS + 100);
    const event = (id: string, type = 'com.example.order.paid'): Record<string, unknown> => ({
      specversion: '1.0',
      id,
      source: 'https://shop.example',
      type,
      data: { orderId: id },
    });
    expect((await api.request('POST', '/events', [event('e-1'), event('e-1'), event('e-2', 'other')])).status).toBe(
      202,
    );
    expect((await api.request('POST', '/events', event('e-1'))).status).toBe(202);
    expect((await api.request('POST', '/events', event('e-3', 'com.example.order.refunded'))).status).toBe(202);
    const deadline = Date.now() + 10_000;
    while ((await runsOf(api, workflow)).length < 2 && Date.now() < deadline) await sleep(50);
    await sleep(500);
    const runs = await runsOf(api, workflow);
    expect(runs).toHaveLength(2);
    const inputs = runs.map((r) => (r.input as { id: string; data: unknown }[]).map((e) => e.id)).sort();
    expect(inputs).toEqual([['e-1'], ['e-3']]);
    for (const run of runs) expect((await api.until(run.id)).status).toBe('completed');
  }, 30_000);

  it('on all: one event per filter starts one execution with them in filter order, kept across a restart', async () => {
    const workflow = await scheduled(api, 'on-paid-and-shipped', {
      on: { all: [{ with: { type: 'com.example.order.paid' } }, { with: { type: 'com.example.order.shipped' } }] },
    });
    await sleep(2 * TICK_MS + 100);
    const event = (id: string, type: string): Record<string, unknown> => ({
      specversion: '1.0',
      id,
      source: 'https://shop.example',
      type: `com.example.order.${type}`,
      data: { orderId: id },
    });
    const post = async (...events: Record<string, unknown>[]): Promise<void> => {
      expect((await api.request('POST', '/events', events)).status).toBe(202);
    };
    const inputsOnceThere = async (count: number): Promise<string[][]> => {
      const deadline = Date.now() + 10_000;
      while ((await runsOf(api, workflow)).length < count && Date.now() < deadline) await sleep(50);
      await sleep(500); // and no more than that
      const runs = await runsOf(api, workflow);
      return runs.map((r) => (r.input as { id: string }[]).map((e) => e.id));
    };

    await post(event('s-1', 'shipped'), event('x-1', 'other'));
    await sleep(800);
    expect(await runsOf(api, workflow)).toEqual([]);
    await post(event('p-1', 'paid'));
    expect(await inputsOnceThere(1)).toEqual([['p-1', 's-1']]);
    // The same events again start nothing; a new pair, in either order, starts the next one.
    await post(event('p-1', 'paid'), event('s-1', 'shipped'));
    await post(event('s-2', 'shipped'), event('p-2', 'paid'));
    expect(await inputsOnceThere(2)).toEqual([
      ['p-1', 's-1'],
      ['p-2', 's-2'],
    ]);

    // Half of a pair survives a restart of every role.
    await post(event('s-3', 'shipped'));
    await sleep(300);
    await engine.restart();
    api = engine.api;
    await sleep(2 * TICK_MS + 100);
    await post(event('p-3', 'paid'));
    expect(await inputsOnceThere(3)).toEqual([
      ['p-1', 's-1'],
      ['p-2', 's-2'],
      ['p-3', 's-3'],
    ]);
    for (const run of await runsOf(api, workflow)) expect((await api.until(run.id)).status).toBe('completed');
  }, 60_000);
});
