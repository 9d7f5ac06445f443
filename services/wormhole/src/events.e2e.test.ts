/*
 * External and emitted events reaching `listen` tasks, end to end through the REST API: POST
 * /events, the tenant's event stream, the worker's router, the subscriptions and the fold.
 */
import { testBackends } from '@wormhole/storage';
import type { Api, BackendSetup, EventView } from './__tests__/engine-harness';
import { EngineUnderTest, embedded, postgresWithRedisStreams } from './__tests__/engine-harness';

const setups = (): BackendSetup[] => {
  const backends = testBackends();
  return [
    embedded(),
    ...(backends.includes('postgres') && backends.includes('redis') ? [postgresWithRedisStreams()] : []),
  ];
};

const paid = (id: string, orderId: string): Record<string, unknown> => ({
  specversion: '1.0',
  id,
  source: 'https://shop.example/payments',
  type: 'com.example.order.paid',
  data: { orderId, amount: 42 },
});

const waitForPaid = [
  {
    paid: {
      listen: { to: { one: { with: { type: 'com.example.order.paid', data: { orderId: '${ .orderId }' } } } } },
    },
  },
  { done: { set: { paid: '${ .[0].amount }' } } },
];

describe.each(setups())('events on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let api: Api;

  // Booting an installation (PGlite's WebAssembly, migrations) takes far longer on a loaded machine.
  beforeAll(async () => {
    engine = await EngineUnderTest.start(setup);
    ({ api } = engine);
  }, 120_000);
  afterAll(() => engine?.stop());

  /** Waits until the run parked in its listen: its subscription is stored before the row says so. */
  const listening = async (id: string): Promise<void> => {
    await api.until(id, ['waiting']);
  };

  it('completes a listen when POST /events sends the matching event, and keeps waiting for others', async () => {
    const workflow = await api.createWorkflow('await-payment', waitForPaid);
    const id = await api.execute(workflow, { input: { orderId: 'o-1' } });
    await listening(id);

    expect((await api.request('POST', '/events', paid('p-0', 'o-other'))).status).toBe(202);
    expect(
      (await api.request('POST', '/events', { ...paid('p-x', 'o-1'), type: 'com.example.order.shipped' })).status,
    ).toBe(202);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api.execution(id)).status).toBe('waiting');

    expect((await api.request('POST', '/events', [paid('p-1', 'o-1'), paid('p-1', 'o-1')])).status).toBe(202);
    const done = await api.until(id);
    expect(done).toMatchObject({ status: 'completed', output: { paid: 42 } });
    const events = await api.items<EventView>(`/executions/${id}/events`);
    expect(events.filter((e) => e.type === 'io.wormhole.event.received')).toHaveLength(1);
    expect(events.map((e) => e.type)).toContain('io.wormhole.listen.started');
  });

  it('wakes a listen in one workflow with an event another workflow emits', async () => {
    const listener = await api.createWorkflow('listener', [
      {
        hear: {
          listen: {
            to: { any: [{ with: { type: 'com.example.ping', source: 'https://emitter.example' } }] },
            read: 'envelope',
          },
        },
      },
    ]);
    const emitter = await api.createWorkflow('emitter', [
      {
        ping: {
          emit: { event: { with: { source: 'https://emitter.example', type: 'com.example.ping', data: { n: 1 } } } },
        },
      },
    ]);
    const waiting = await api.execute(listener);
    await listening(waiting);
    expect((await api.until(await api.execute(emitter))).status).toBe('completed');
    const done = await api.until(waiting);
    expect(done).toMatchObject({
      status: 'completed',
      output: [
        expect.objectContaining({ type: 'com.example.ping', source: 'https://emitter.example', data: { n: 1 } }),
      ],
    });
  });

  it('times a listen out with its task timeout', async () => {
    const workflow = await api.createWorkflow('impatient', [
      { paid: { ...waitForPaid[0]!.paid, timeout: { after: { milliseconds: 300 } } } },
    ]);
    const done = await api.until(await api.execute(workflow, { input: { orderId: 'never' } }));
    expect(done.status).toBe('faulted');
    expect(done.error?.type).toContain('/timeout');
  });

  /** Posts one event and waits until the run holds `count` received events (so the next arrives after it). */
  const post = async (id: string, event: Record<string, unknown>, count: number): Promise<void> => {
    expect((await api.request('POST', '/events', event)).status).toBe(202);
    for (const start = Date.now(); Date.now() - start < 10_000; await new Promise((r) => setTimeout(r, 50))) {
      const events = await api.items<EventView>(`/executions/${id}/events`);
      if (events.filter((e) => e.type === 'io.wormhole.event.received').length >= count) return;
    }
    throw new Error(`${id} did not receive ${count} events`);
  };
  const event = (id: string, type: string, data: Record<string, unknown>): Record<string, unknown> => ({
    specversion: '1.0',
    id,
    source: 'https://sensors.example',
    type,
    data,
  });

  it('listens until the until strategy matches, leaving its event out of the output', async () => {
    const workflow = await api.createWorkflow('until', [
      {
        readings: {
          listen: {
            to: {
              any: [{ with: { type: 'com.example.reading' } }],
              until: { one: { with: { type: 'com.example.done' } } },
            },
          },
        },
      },
    ]);
    const id = await api.execute(workflow);
    await listening(id);
    await post(id, event('u-1', 'com.example.reading', { v: 1 }), 1);
    await post(id, event('u-2', 'com.example.reading', { v: 2 }), 2);
    expect((await api.execution(id)).status).toBe('waiting');
    await post(id, event('u-3', 'com.example.done', {}), 3);
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: [{ v: 1 }, { v: 2 }] });
  });

  it('runs foreach on each consumed event and outputs what foreach.output.as gives', async () => {
    const workflow = await api.createWorkflow('foreach', [
      {
        orders: {
          listen: { to: { any: [{ with: { type: 'com.example.order' } }], until: '${ length == 2 }' } },
          foreach: { item: 'order', do: [{ tag: { set: { n: '${ $order.n }' } } }], output: { as: '${ .n * 10 }' } },
        },
      },
    ]);
    const id = await api.execute(workflow);
    await listening(id);
    await post(id, event('f-1', 'com.example.order', { n: 1 }), 1);
    await post(id, event('f-2', 'com.example.order', { n: 2 }), 2);
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: [10, 20] });
  });

  it('correlates: consumes only events sharing the value the first event fixed', async () => {
    const room = { room: { from: '.data.room' } };
    const workflow = await api.createWorkflow('correlate', [
      {
        room: {
          listen: {
            to: {
              all: [
                { with: { type: 'com.example.temperature' }, correlate: room },
                { with: { type: 'com.example.humidity' }, correlate: room },
              ],
            },
          },
        },
      },
    ]);
    const id = await api.execute(workflow);
    await listening(id);
    await post(id, event('c-1', 'com.example.temperature', { room: 'A', t: 20 }), 1);
    await post(id, event('c-2', 'com.example.humidity', { room: 'B', h: 50 }), 2);
    expect((await api.execution(id)).status).toBe('waiting');
    await post(id, event('c-3', 'com.example.humidity', { room: 'A', h: 40 }), 3);
    expect(await api.until(id)).toMatchObject({
      status: 'completed',
      output: [
        { room: 'A', t: 20 },
        { room: 'A', h: 40 },
      ],
    });
  });

  it('answers 400 to a body that is not a CloudEvent', async () => {
    const res = await api.request<{ error: string; details: { path: string }[] }>('POST', '/events', { type: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d) => d.path)).toEqual(['/specversion', '/id', '/source']);
  });
});
