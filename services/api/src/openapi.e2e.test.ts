import { testServersReachable } from '@wormhole/platform';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import fc from 'fast-check';
import type { Database } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { openTestDatabase } from '@wormhole/storage';
import { RedisEventStream } from '@wormhole/transport';
import { createApp } from './app';
import { openApiDocument } from './openapi';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const reachable = testServersReachable(['postgres', 'redis']);
const describeIf = reachable ? describe : describe.skip;

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method and path the Express router answers, with `:param` turned into `{param}`. */
function routesOf(stack: readonly Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path}`);
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack, prefix) : [];
  });
}

const toOpenApi = (path: string): string =>
  path.replace(/:(\w+)/g, (_, name: string) => `{${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}}`);

describeIf('API surface', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let stream: RedisEventStream;
  let app: Express;
  let single: Express;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase('postgres'));
    const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
    stream = await RedisEventStream.create(
      { url: 'redis://127.0.0.1:6379', keyPrefix: `t:${randomUUID().slice(0, 8)}:` },
      deps,
    );
    app = createApp({ config: { bodyLimitBytes: 64 * 1024, tenantMode: true, cancelWaitMs: 0 }, db, stream, ...deps });
    single = createApp({
      config: { bodyLimitBytes: 64 * 1024, tenantMode: false, cancelWaitMs: 0 },
      db,
      stream,
      ...deps,
    });
  });

  afterAll(async () => {
    await stream.close();
    await cleanup();
  });

  it('documents every route the router answers in the OpenAPI document', () => {
    // With API keys on, the router also has the admin routes.
    const secured = createApp({
      config: {
        bodyLimitBytes: 64 * 1024,
        tenantMode: true,
        cancelWaitMs: 0,
        authMode: 'apikey',
        adminApiKey: 'k'.repeat(32),
      },
      db,
      stream,
      logger: new MemoryLogger(),
      metrics: new NoopMetrics(),
    });
    const router = (secured as unknown as { router: { stack: Layer[] } }).router;
    const tenantRoutes = routesOf(router.stack);
    expect(tenantRoutes.filter((r) => r.includes(' /admin/'))).toHaveLength(3);
    expect(tenantRoutes.length).toBeGreaterThan(15);
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const documented = new Set(
      Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const missing = tenantRoutes
      .map((r) => {
        const [method, path] = r.split(' ') as [string, string];
        const full = ['/health', '/live', '/ready', '/metrics', '/docs'].includes(path)
          ? path
          : path.startsWith('/admin/')
            ? `/api/v1${path}`
            : `/api/v1/{tenant_id}${path}`;
        return `${method} ${toOpenApi(full)}`;
      })
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });

  it('serves the document at /docs', async () => {
    const res = await request(app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.0.3');
  });

  it('answers without the tenant segment in single-tenant mode, as tenant "default"', async () => {
    const created = await request(single)
      .post('/api/v1/workflows')
      .send({
        name: 'solo',
        definition: {
          document: { dsl: '1.0.0', namespace: 'd', name: 'solo', version: '1.0.0' },
          do: [{ a: { set: { x: 1 } } }],
        },
      });
    expect(created.status).toBe(201);
    expect(created.body.tenant_id).toBe('default');
    expect((await request(single).get(`/api/v1/workflows/${created.body.id}`)).status).toBe(200);
    expect((await request(single).get(`/api/v1/default/workflows/${created.body.id}`)).status).toBe(200);
    expect((await request(app).get('/api/v1/workflows/x')).status).toBe(404);
  });

  // 10,000 cases per run, a new seed each run (printed, and reported by fast-check on a failure;
  // API_FUZZ_SEED replays one).
  const FUZZ_RUNS = Number(process.env.API_FUZZ_RUNS ?? 10_000);
  const FUZZ_SEED = Number(process.env.API_FUZZ_SEED ?? Date.now() % 2 ** 31);

  it('never answers 5xx to random requests, and always with the error body', async () => {
    console.info(`API fuzz: ${FUZZ_RUNS} cases, seed ${FUZZ_SEED}`);
    const routes = [
      '/workflows',
      '/workflows/wf_x',
      '/workflows/wf_x/execute',
      '/executions',
      '/executions/ex_x/cancel',
      '/stats',
    ];
    const json = fc.jsonValue({ maxDepth: 6 });
    const body = fc.oneof(
      json.map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
      fc.string({ maxLength: 300 }).map((text) => ({ type: 'application/json', text })),
      fc.string({ maxLength: 300 }).map((text) => ({ type: 'application/yaml', text })),
      fc.string({ maxLength: 100 }).map((text) => ({ type: 'text/plain', text })),
      fc
        .record({ name: fc.string(), definition: json })
        .map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
    );
    const query = fc.dictionary(
      fc.constantFrom('limit', 'offset', 'page', 'sort_by', 'tags', 'status', 'search', 'created_at_from'),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('get', 'post', 'put', 'delete'),
        fc.constantFrom(...routes),
        fc.oneof(fc.constant('acme'), fc.string({ minLength: 1, maxLength: 70 })),
        body,
        query,
        async (method, route, tenant, payload, q) => {
          const res = await request(app)
            [method](`/api/v1/${encodeURIComponent(tenant)}${route}`)
            .query(q)
            .set('content-type', payload.type)
            .send(payload.text);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toEqual(
              expect.objectContaining({ error: expect.any(String), request_id: expect.any(String) }),
            );
          }
        },
      ),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  }, 300_000);
});
