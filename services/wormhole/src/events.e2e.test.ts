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

  /** Waits until the run parked in its listen (its subscription is stored right after). */
  const listening = async (id: string): Promise<void> => {
    await api.until(id, ['waiting']);
    await new Promise((r) => setTimeout(r, 200));
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

  it('answers 400 to a body that is not a CloudEvent', async () => {
    const res = await api.request<{ error: string; details: { path: string }[] }>('POST', '/events', { type: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d) => d.path)).toEqual(['/specversion', '/id', '/source']);
  });
});
