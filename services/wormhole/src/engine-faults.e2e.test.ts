import { testServersReachable } from '@wormhole/platform';
/*
 * The engine under failure, on the production installation (Postgres + Redis Streams): a worker
 * process killed with SIGKILL mid-run, duplicate deliveries, and a message that fails until it is
 * dead-lettered and then re-driven through the API.
 */
import type { ChildProcess } from 'node:child_process';
import { openBackends } from '@wormhole/backends';
import { bootApi } from '@wormhole/api';
import { bootExecutor } from '@wormhole/executor';
import { executionStartedEvent } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { loadStorageConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import { bootWorker } from '@wormhole/worker';
import type { EventView, HttpStub, StepView } from './__tests__/engine-harness';
import { Api, FAST_ENGINE_ENV, postgresWithRedisStreams, startHttpStub, transitions } from './__tests__/engine-harness';
import { killed, killSpawnedRoles, spawnRole } from './__tests__/role-processes';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const reachable = testServersReachable(['postgres', 'redis']);
const describeIf = reachable ? describe : describe.skip;

type Running = { stop(): Promise<void> };

describeIf('engine faults on postgres + redis streams', () => {
  const setup = postgresWithRedisStreams();
  let env: Record<string, string>;
  let stub: HttpStub;
  let api: Api;
  const running: Running[] = [];
  const children: ChildProcess[] = [];
  let inProcessWorker: Running | undefined;
  const ensureWorker = async (): Promise<void> => {
    if (inProcessWorker) return;
    inProcessWorker = await bootWorker(env);
    running.push(inProcessWorker);
  };

  beforeAll(async () => {
    stub = await startHttpStub();
    env = { ...FAST_ENGINE_ENV, ...(await setup.env()) };
    const apiRole = await bootApi(env);
    running.push(apiRole, await bootExecutor(env));
    api = new Api(`http://127.0.0.1:${apiRole.port}`, 'acme');
  });
  afterAll(async () => {
    await killSpawnedRoles();
    for (const role of running.reverse()) await role.stop();
    await stub?.close();
    await setup.cleanup();
  });

  it('finishes every run after its worker process is killed with SIGKILL, applying no transition twice', async () => {
    const first = await spawnRole('worker', env);
    children.push(first);
    const workflow = await api.createWorkflow('slow-steps', [
      { one: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/slow?ms=400` } } },
      { two: { set: { after_one: true } } },
      { three: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/slow?ms=400` } } },
      { four: { set: { done: true } } },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await api.execute(workflow, { input: { i } }));
    for (const id of ids) await api.until(id, ['running']);
    // The first calls are in flight; their results arrive while no worker is alive.
    await killed(first);
    const second = await spawnRole('worker', env);
    children.push(second);

    for (const id of ids) {
      expect(await api.until(id, ['completed', 'faulted', 'cancelled'], 30_000)).toMatchObject({
        status: 'completed',
        output: { done: true },
      });
      const events = await api.items<EventView>(`/executions/${id}/events`);
      const twice = [...transitions(events)].filter(([, count]) => count > 1);
      expect(twice).toEqual([]);
      const steps = await api.items<StepView>(`/executions/${id}/steps`);
      expect(steps.map((s) => [s.task_name, s.status, s.attempt])).toEqual([
        ['one', 'completed', 1],
        ['two', 'completed', 1],
        ['three', 'completed', 1],
        ['four', 'completed', 1],
      ]);
    }
    expect(stub.hits.get('/slow')).toBe(10);
    await killed(second);
  }, 240_000); // two worker processes load the sources, 15 s and more each on a loaded machine

  it('changes nothing when events of a finished run are delivered again', async () => {
    await ensureWorker();
    const workflow = await api.createWorkflow('twice', [
      { fetch: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/price` } } },
      { keep: { set: { price: '${ .unit_price }' } } },
    ]);
    const id = await api.execute(workflow);
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { price: 7 } });
    const before = await api.items<EventView>(`/executions/${id}/events`);
    const hits = stub.hits.get('/price');

    const backends = await openBackends(
      { storage: loadStorageConfig(env), transport: loadTransportConfig(env, 'postgres') },
      { logger: new MemoryLogger(), metrics: new NoopMetrics() },
    );
    try {
      const history = await backends.db.events.list('acme', id);
      for (const stored of history) {
        const { sequence: _sequence, ...event } = stored;
        await backends.stream.publish(event);
      }
    } finally {
      await backends.close();
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(await api.items<EventView>(`/executions/${id}/events`)).toEqual(before);
    expect((await api.execution(id)).status).toBe('completed');
    expect(stub.hits.get('/price')).toBe(hits);
  });

  it('dead-letters a start the worker cannot process, and runs it once re-driven after the cause is fixed', async () => {
    await ensureWorker();
    const workflow = await api.createWorkflow('late-version', [{ hello: { set: { version: 1 } } }]);
    const backends = await openBackends(
      { storage: loadStorageConfig(env), transport: loadTransportConfig(env, 'postgres') },
      { logger: new MemoryLogger(), metrics: new NoopMetrics() },
    );
    let executionId: string;
    try {
      // A start that names version 2, which does not exist yet: every delivery fails.
      const created = await backends.db.executions.create('acme', {
        workflow_id: workflow,
        workflow_version: 2,
        input: {},
      });
      executionId = created.execution.id;
      await backends.stream.publish(
        executionStartedEvent({ ...created.execution, input: {}, workflow_version: 2 }, '/test'),
      );
    } finally {
      await backends.close();
    }

    let deadLetters: { id: string; event: { executionid: string } }[] = [];
    for (let i = 0; i < 200 && deadLetters.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      deadLetters = (await api.request<{ items: typeof deadLetters }>('GET', '/dlq')).body.items;
    }
    expect(deadLetters.map((d) => d.event.executionid)).toEqual([executionId]);
    expect((await api.execution(executionId)).status).toBe('pending');

    const definition = {
      document: { dsl: '1.0.0', namespace: 'e2e', name: 'late-version', version: '2.0.0' },
      do: [{ hello: { set: { version: 2 } } }],
    };
    expect((await api.request('PUT', `/workflows/${workflow}`, { definition })).status).toBe(200);
    expect((await api.request('POST', `/dlq/${deadLetters[0]!.id}/redrive`)).status).toBeLessThan(300);
    expect(await api.until(executionId)).toMatchObject({ status: 'completed', output: { version: 2 } });
    expect((await api.request<{ items: unknown[] }>('GET', '/dlq')).body.items).toEqual([]);
  });
});
