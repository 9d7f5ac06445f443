/*
 * `use.catalogs` and schema resources end to end: a local catalog serves a function document and
 * a schema; the executor fetches them once per execution before the first task (a step
 * `resources` at `/@resources`), the history keeps them, and the run uses what it fetched even if
 * the catalog changes while it waits and the engine restarts. On the embedded installation and on Postgres + Redis Streams.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Api, BackendSetup, EventView, StepView } from './__tests__/engine-harness';
import { EngineUnderTest, everySetup } from './__tests__/engine-harness';

const SETUPS = everySetup().filter((s) => s.name.startsWith('embedded') || s.name.startsWith('postgres'));

interface Catalog {
  readonly url: string;
  /** GETs of each path. */
  readonly reads: Map<string, number>;
  /** What the `greet` function says (changed by a test while a run waits). */
  salutation: string;
  close(): Promise<void>;
}

async function startCatalog(): Promise<Catalog> {
  const app = express();
  app.use(express.json());
  const reads = new Map<string, number>();
  let url = '';
  const catalog: Catalog = {
    get url() {
      return url;
    },
    reads,
    salutation: 'Hello',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  app.use((req, _res, next) => {
    if (req.method === 'GET') reads.set(req.path, (reads.get(req.path) ?? 0) + 1);
    next();
  });
  app.get('/functions/greet/:version/function.yaml', (req, res) => {
    res
      .type('application/yaml')
      .send(
        [
          'input:',
          '  schema:',
          '    document: {type: object, required: [name]}',
          'call: http',
          'with:',
          '  method: post',
          `  endpoint: ${url}/greet/${catalog.salutation}`,
          "  body: '${ {name: .name} }'",
          `# version ${req.params.version}`,
        ].join('\n'),
      );
  });
  app.post('/greet/:salutation', (req, res) => {
    res.json({ greeting: `${req.params.salutation}, ${String((req.body as { name?: unknown }).name)}!` });
  });
  app.get('/schemas/greeting.json', (_req, res) => {
    res.json({ type: 'object', required: ['greeting'], properties: { greeting: { type: 'string' } } });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return catalog;
}

async function createWorkflow(api: Api, name: string, body: Record<string, unknown>): Promise<string> {
  const definition = { document: { dsl: '1.0.3', namespace: 'e2e', name, version: '1.0.0' }, ...body };
  const created = await api.request<{ id: string }>('POST', '/workflows', { name, definition });
  if (created.status !== 201) throw new Error(`create workflow: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

describe.each(SETUPS)('use.catalogs on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let api: Api;
  let catalog: Catalog;

  beforeAll(async () => {
    catalog = await startCatalog();
    engine = await EngineUnderTest.start(setup);
    ({ api } = engine);
  }, 120_000); // the embedded database's first start is slow on a busy machine
  afterAll(async () => {
    await engine?.stop();
    await catalog?.close();
  });

  it('calls a catalog function and checks the output against a schema resource, each document fetched once', async () => {
    const workflow = await createWorkflow(api, 'catalog-greeting', {
      use: { catalogs: { local: { endpoint: { uri: catalog.url } } } },
      do: [
        {
          hello: {
            call: 'greet:1.0.0@local',
            with: { name: '${ .who }' },
            output: { schema: { format: 'json', resource: { endpoint: `${catalog.url}/schemas/greeting.json` } } },
          },
        },
        { again: { call: 'greet:1.0.0@local', with: { name: 'again' } } },
      ],
    });
    const reads = catalog.reads.get('/functions/greet/1.0.0/function.yaml') ?? 0;
    const id = await api.execute(workflow, { input: { who: 'Ada' } });
    expect(await api.until(id)).toMatchObject({ status: 'completed', output: { greeting: 'Hello, again!' } });
    // Two calls of the function, one fetch (and none at all when another run read it recently).
    expect(catalog.reads.get('/functions/greet/1.0.0/function.yaml')).toBeLessThanOrEqual(reads + 1);
    const events = await api.items<EventView>(`/executions/${id}/events?limit=100`);
    const fetches = events.filter(
      (e) => e.type === 'io.wormhole.task.requested' && e.data?.task_path === '/@resources',
    );
    expect(fetches).toHaveLength(1);
    const steps = await api.items<StepView>(`/executions/${id}/steps`);
    expect(steps.map((s) => [s.task_name, s.status])).toEqual([
      ['resources', 'completed'],
      ['hello', 'completed'],
      ['again', 'completed'],
    ]);
  });

  it('keeps using the document it fetched when the catalog changes and the engine restarts while the run waits', async () => {
    const workflow = await createWorkflow(api, 'catalog-pinned', {
      use: { catalogs: { local: { endpoint: catalog.url } } },
      do: [
        // Parked on an event rather than a timer, so however long the restart takes the call comes after it.
        { pause: { listen: { to: { one: { with: { type: 'e2e.catalog.go' } } } } } },
        { hello: { call: 'greet:2.0.0@local', with: { name: 'Grace' } } },
      ],
    });
    catalog.salutation = 'Hello';
    const id = await api.execute(workflow);
    await api.until(id, ['waiting']);
    catalog.salutation = 'Goodbye';
    // A restart empties every cache (the executor's documents, the worker's states): what the run
    // uses after it can only come from its history.
    await engine.restart();
    ({ api } = engine);
    expect((await api.execution(id)).status).toBe('waiting'); // the call is still to come
    const go = { specversion: '1.0', id: `go-${id}`, source: 'https://e2e.example', type: 'e2e.catalog.go', data: {} };
    expect((await api.request('POST', '/events', go)).status).toBe(202);
    try {
      expect(await api.until(id)).toMatchObject({ status: 'completed', output: { greeting: 'Hello, Grace!' } });
    } finally {
      catalog.salutation = 'Hello';
    }
  });

  it('fails the calling task with a communication error a try catches when the catalog is unreachable', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const workflow = await createWorkflow(api, 'catalog-unreachable', {
      use: { catalogs: { gone: { endpoint: unreachable } } },
      do: [
        {
          guarded: {
            try: [{ hello: { call: 'greet:1.0.0@gone' } }],
            catch: { as: 'failure', do: [{ note: { set: { caught: '${ $failure.type }' } } }] },
          },
        },
      ],
    });
    const id = await api.execute(workflow);
    expect(await api.until(id)).toMatchObject({
      status: 'completed',
      output: { caught: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication' },
    });
  });
});
