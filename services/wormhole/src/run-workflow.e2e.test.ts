/*
 * `run: workflow` end to end: a parent starts a child execution of another registered workflow,
 * waits for it without holding a worker, and takes its output or its error; with `await: false`
 * it goes on at once. On the embedded installation and on Postgres + Redis Streams.
 */
import type { Api, BackendSetup, ExecutionView } from './__tests__/engine-harness';
import { EngineUnderTest, everySetup } from './__tests__/engine-harness';

const SETUPS = everySetup().filter((s) => s.name.startsWith('embedded') || s.name.startsWith('postgres'));

const runChild = (name: string, input: unknown, extra: Record<string, unknown> = {}): unknown => ({
  run: { workflow: { namespace: 'e2e', name, version: '1.0.0', input }, ...extra },
});

describe.each(SETUPS)('run: workflow on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let api: Api;

  beforeAll(async () => {
    engine = await EngineUnderTest.start(setup);
    ({ api } = engine);
  }, 120_000); // the embedded database's first start is slow on a busy machine
  afterAll(() => engine?.stop());

  async function childrenOf(parentId: string): Promise<ExecutionView[]> {
    const all = await api.items<ExecutionView & { idempotency_key?: string }>('/executions?limit=100');
    return all.filter((e) => e.idempotency_key?.includes(` ${parentId} `));
  }

  it('runs a child, waits for it and takes its output', async () => {
    await api.createWorkflow('double', [{ double: { set: { n: '${ .n * 2 }' } } }]);
    const parent = await api.createWorkflow('parent-of-double', [
      { call: runChild('double', { n: '${ .n }' }) },
      { after: { set: { result: '${ .n }', parent: true } } },
    ]);
    const id = await api.execute(parent, { input: { n: 21 } });
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { result: 42, parent: true } });
    const children = await childrenOf(id);
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ status: 'completed', output: { n: 42 } });
  });

  it('starts one child per loop iteration, each with its own input and output', async () => {
    await api.createWorkflow('tenfold', [{ tenfold: { set: { n: '${ .n * 10 }' } } }]);
    const parent = await api.createWorkflow('looping-parent', [
      {
        each: {
          for: { each: 'n', in: '${ .ns }' },
          do: [{ child: runChild('tenfold', { n: '${ $n }' }) }],
          output: { as: '${ . }' },
        },
      },
    ]);
    const id = await api.execute(parent, { input: { ns: [1, 2, 3] } });
    const done = await api.until(id);
    expect(done.status).toBe('completed');
    const children = await childrenOf(id);
    expect(children.map((c) => c.output).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { n: 10 },
      { n: 20 },
      { n: 30 },
    ]);
  });

  it("raises a faulted child's error in the parent, where try/catch catches it", async () => {
    await api.createWorkflow('refuser', [
      {
        refuse: {
          raise: {
            error: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation', status: 400, detail: 'no' },
          },
        },
      },
    ]);
    const parent = await api.createWorkflow('parent-of-refuser', [
      {
        guarded: {
          try: [{ call: runChild('refuser', {}) }],
          catch: { as: 'err', do: [{ handle: { set: { caught: '${ $err.detail }' } } }] },
        },
      },
    ]);
    const id = await api.execute(parent, { input: {} });
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { caught: 'no' } });

    const unguarded = await api.createWorkflow('unguarded-parent', [{ call: runChild('refuser', {}) }]);
    const faulted = await api.until(await api.execute(unguarded, { input: {} }));
    expect(faulted).toMatchObject({ status: 'faulted', error: { status: 400, detail: 'no' } });
  });

  it('with await: false starts the child and completes at once with its input', async () => {
    await api.createWorkflow('slow-child', [{ pause: { wait: { milliseconds: 1500 } } }]);
    const parent = await api.createWorkflow('detached-parent', [
      { call: runChild('slow-child', { x: 1 }, { await: false }) },
    ]);
    const id = await api.execute(parent, { input: { mine: true } });
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { mine: true } });
    const children = await childrenOf(id);
    expect(children).toHaveLength(1);
    expect(['pending', 'running', 'waiting']).toContain(children[0]!.status);
    expect(await api.until(children[0]!.id)).toMatchObject({ status: 'completed' });
  });

  /** The one child the run started, once it is in one of `statuses`. */
  async function childOf(parentId: string, statuses: readonly string[]): Promise<ExecutionView> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [child] = await childrenOf(parentId);
      if (child) return api.until(child.id, statuses);
      if (Date.now() > deadline) throw new Error(`execution ${parentId} started no child`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function cancel(id: string): Promise<void> {
    const cancelled = await api.request<ExecutionView>('POST', `/executions/${id}/cancel`, {});
    expect(cancelled.status).toBe(200);
  }

  it('cancels the awaited child, and its own child, when the parent is cancelled', async () => {
    await api.createWorkflow('sleeper', [{ sleep: { wait: 'PT1H' } }]);
    await api.createWorkflow('middle', [{ call: runChild('sleeper', {}) }]);
    const top = await api.createWorkflow('top', [{ call: runChild('middle', {}) }]);
    const id = await api.execute(top, { input: {} });
    const middle = await childOf(id, ['running', 'waiting']);
    const leaf = await childOf(middle.id, ['waiting']);

    await cancel(id);
    expect(await api.until(id)).toMatchObject({ status: 'cancelled' });
    expect(await api.until(middle.id)).toMatchObject({ status: 'cancelled' });
    expect(await api.until(leaf.id)).toMatchObject({ status: 'cancelled' });
  });

  it('cancels the awaited child when the task waiting for it times out', async () => {
    await api.createWorkflow('sleeper-2', [{ sleep: { wait: 'PT1H' } }]);
    const parent = await api.createWorkflow('impatient', [
      {
        guarded: {
          try: [{ call: { ...(runChild('sleeper-2', {}) as object), timeout: { after: { seconds: 1 } } } }],
          catch: { as: 'err', do: [{ handle: { set: { caught: '${ $err.status }' } } }] },
        },
      },
    ]);
    const id = await api.execute(parent, { input: {} });
    const child = await childOf(id, ['waiting']);
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { caught: 408 } });
    expect(await api.until(child.id)).toMatchObject({ status: 'cancelled' });
  });

  it('leaves a child started with await: false running when the parent is cancelled', async () => {
    await api.createWorkflow('sleeper-3', [{ sleep: { wait: 'PT1H' } }]);
    const parent = await api.createWorkflow('detaching', [
      { call: runChild('sleeper-3', {}, { await: false }) },
      { sleep: { wait: 'PT1H' } },
    ]);
    const id = await api.execute(parent, { input: {} });
    const child = await childOf(id, ['waiting']);
    await api.until(id, ['waiting']);
    await cancel(id);
    expect(await api.until(id)).toMatchObject({ status: 'cancelled' });
    // The worker handled the parent's cancellation (its row says so) without touching the child.
    await new Promise((r) => setTimeout(r, 500));
    expect(await api.execution(child.id)).toMatchObject({ status: 'waiting' });
    await cancel(child.id);
  });

  it('fails the task with a configuration error naming a workflow that is not registered', async () => {
    const parent = await api.createWorkflow('orphan-parent', [{ call: runChild('nobody', {}) }]);
    const done = await api.until(await api.execute(parent, { input: {} }));
    expect(done.status).toBe('faulted');
    expect(done.error?.type).toContain('configuration');
    expect(done.error?.detail).toContain("'e2e/nobody' at version '1.0.0'");
  });
});
