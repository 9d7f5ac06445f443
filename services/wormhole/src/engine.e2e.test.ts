/*
 * The engine end to end, as a user runs it: every role in one process (the all-in-one entry),
 * on each installation a user can pick (embedded, Postgres + Redis Streams, Redis, Mongo + Redis
 * Streams), driven over REST, calling a local HTTP stub.
 */
import type { Api, BackendSetup, EventView, HttpStub, StepView } from './__tests__/engine-harness';
import { EngineUnderTest, everySetup } from './__tests__/engine-harness';

const ORDER = (stub: string): unknown[] => [
  { init: { set: { qty: '${ .qty }' } } },
  {
    route: {
      switch: [{ bulk: { when: '${ .qty > 10 }', then: 'price' } }, { single: { then: 'end' } }],
    },
  },
  {
    price: {
      call: 'http',
      with: { method: 'get', endpoint: `${stub}/price` },
      output: { as: '${ {qty: $input.qty, unit_price: .unit_price} }' },
    },
  },
  { 'cool-down': { wait: { milliseconds: 300 } } },
  { total: { set: { total: '${ .qty * .unit_price }' } } },
];

describe.each(everySetup())('engine on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let api: Api;
  let stub: HttpStub;

  beforeAll(async () => {
    engine = await EngineUnderTest.start(setup);
    ({ api, stub } = engine);
  });
  afterAll(() => engine?.stop());

  it('runs set, switch, call: http and wait to completion, with step runs, events and logs', async () => {
    const workflow = await api.createWorkflow('order', ORDER(stub.url));
    const id = await api.execute(workflow, { input: { qty: 12 } });
    const done = await api.until(id);
    expect(done).toMatchObject({ status: 'completed', output: { total: 84 } });

    const steps = await api.items<StepView>(`/executions/${id}/steps`);
    expect(steps.map((s) => [s.task_name, s.status, s.attempt])).toEqual([
      ['init', 'completed', 1],
      ['route', 'completed', 1],
      ['price', 'completed', 1],
      ['cool-down', 'completed', 1],
      ['total', 'completed', 1],
    ]);
    const wait = steps.find((s) => s.task_name === 'cool-down')!;
    expect(wait.duration_ms).toBeGreaterThanOrEqual(290);

    const events = await api.items<EventView>(`/executions/${id}/events`);
    expect(events[0]!.type).toBe('io.wormhole.execution.started');
    expect(events[events.length - 1]!.type).toBe('io.wormhole.execution.completed');
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['io.wormhole.task.requested', 'io.wormhole.timer.scheduled', 'io.wormhole.timer.fired']),
    );
    expect((await api.items(`/executions/${id}/logs`)).length).toBeGreaterThan(0);
  });

  it('follows the other switch branch to the end without calling out', async () => {
    const before = stub.hits.get('/price') ?? 0;
    const workflow = await api.createWorkflow('small-order', ORDER(stub.url));
    const done = await api.until(await api.execute(workflow, { input: { qty: 1 } }));
    expect(done).toMatchObject({ status: 'completed', output: { qty: 1 } });
    expect(stub.hits.get('/price') ?? 0).toBe(before);
  });

  it('faults with the DSL error a raise task names', async () => {
    const workflow = await api.createWorkflow('refuse', [
      {
        refuse: {
          raise: {
            error: {
              type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation',
              status: 400,
              title: 'Order refused',
              detail: '${ "quantity " + (.qty | tostring) + " is too large" }',
            },
          },
        },
      },
    ]);
    const done = await api.until(await api.execute(workflow, { input: { qty: 1000 } }));
    expect(done.status).toBe('faulted');
    expect(done.error).toMatchObject({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation',
      status: 400,
      title: 'Order refused',
      detail: 'quantity 1000 is too large',
    });
  });

  it('faults a call answered with 500 with the communication error and its status', async () => {
    const workflow = await api.createWorkflow('broken-call', [
      { fetch: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/fail` } } },
    ]);
    const done = await api.until(await api.execute(workflow));
    expect(done.status).toBe('faulted');
    expect(done.error).toMatchObject({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
      status: 500,
    });
  });

  it('faults a task kind no executor runs with a configuration error that names it', async () => {
    const workflow = await api.createWorkflow('grpc-call', [
      {
        greet: {
          call: 'grpc',
          with: {
            proto: { endpoint: 'file://app/greet.proto' },
            service: { name: 'GreeterApi.Greeter', host: 'localhost', port: 5011 },
            method: 'SayHello',
            arguments: { name: 'x' },
          },
        },
      },
    ]);
    const done = await api.until(await api.execute(workflow));
    expect(done.status).toBe('faulted');
    expect(done.error).toMatchObject({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration',
      status: 400,
    });
    expect(JSON.stringify(done.error)).toContain('call:grpc');
  });

  it('stops a runaway expression with an expression error and keeps serving other runs', async () => {
    const runaway = await api.createWorkflow('runaway', [{ spin: { set: { all: '${ [range(1e9)] }' } } }]);
    const forever = await api.createWorkflow('forever', [{ spin: { set: { x: '${ [repeat(1)] }' } } }]);
    const quick = await api.createWorkflow('quick', [{ hi: { set: { hi: true } } }]);
    const [a, b] = [await api.execute(runaway), await api.execute(forever)];
    const c = await api.execute(quick);
    expect(await api.until(c)).toMatchObject({ status: 'completed', output: { hi: true } });
    for (const id of [a, b]) {
      const done = await api.until(id);
      expect(done.status).toBe('faulted');
      expect(done.error).toMatchObject({
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/expression',
        status: 400,
      });
    }
  });

  it('cancels a waiting run, which then never resumes', async () => {
    const workflow = await api.createWorkflow('nap', [
      { nap: { wait: { milliseconds: 600 } } },
      { after: { set: { woke: true } } },
    ]);
    const id = await api.execute(workflow);
    await api.until(id, ['waiting']);
    const cancelled = await api.request<{ status: string }>('POST', `/executions/${id}/cancel`, { reason: 'test' });
    expect(cancelled.status).toBe(200);
    await api.until(id, ['cancelled']);
    await new Promise((r) => setTimeout(r, 900)); // past the timer's due time
    expect((await api.execution(id)).status).toBe('cancelled');
    const steps = await api.items<StepView>(`/executions/${id}/steps`);
    expect(steps.map((s) => s.task_name)).not.toContain('after');
  });

  it("sends each loop iteration's call with its own Idempotency-Key", async () => {
    const workflow = await api.createWorkflow('keyed-loop', [
      { init: { set: { keys: [] }, export: { as: '${ {keys: []} }' } } },
      {
        each: {
          for: { each: 'n', in: '${ [1, 2] }' },
          do: [
            {
              fetch: {
                call: 'http',
                with: { method: 'get', endpoint: `${stub.url}/key` },
                export: { as: '${ $context + {keys: ($context.keys + [.key])} }' },
              },
            },
          ],
        },
      },
      { report: { set: { keys: '${ $context.keys }' } } },
    ]);
    const id = await api.execute(workflow, { input: {} });
    const done = await api.until(id);
    expect(done.status).toBe('completed');
    const keys = (done.output as { keys: string[] }).keys;
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${id}:/do/1/each/do/0/fetch@\\d+:1$`));
  });

  it('returns the same execution for the same idempotency key', async () => {
    const workflow = await api.createWorkflow('once', [{ hello: { set: { hi: true } } }]);
    const first = await api.execute(workflow, { input: {}, idempotency_key: 'order-42' });
    const second = await api.execute(workflow, { input: {}, idempotency_key: 'order-42' });
    expect(second).toBe(first);
    expect(await api.until(first)).toMatchObject({ status: 'completed', output: { hi: true } });
    const listed = await api.request<{ items: unknown[] }>('GET', `/workflows/${workflow}/executions`);
    expect(listed.body.items).toHaveLength(1);
  });

  it('finishes a waiting run after every role is stopped and started again', async () => {
    const workflow = await api.createWorkflow('long-nap', [
      { nap: { wait: { milliseconds: 1500 } } },
      { after: { set: { woke: true } } },
    ]);
    const id = await api.execute(workflow);
    await api.until(id, ['waiting']);
    await engine.restart();
    api = engine.api;
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { woke: true } });
  });
});
