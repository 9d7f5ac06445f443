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

  it('fails the task with a configuration error naming a workflow that is not registered', async () => {
    const parent = await api.createWorkflow('orphan-parent', [{ call: runChild('nobody', {}) }]);
    const done = await api.until(await api.execute(parent, { input: {} }));
    expect(done.status).toBe('faulted');
    expect(done.error?.type).toContain('configuration');
    expect(done.error?.detail).toContain("'e2e/nobody' at version '1.0.0'");
  });
});
