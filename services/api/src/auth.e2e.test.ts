import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Database } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import { openTestDatabase } from '@wormhole/storage';
import { RedisEventStream } from '@wormhole/transport';
import { createApp } from './app';
import { loadApiConfig } from './config';

const describeIf = testServersReachable(['postgres', 'redis']) ? describe : describe.skip;

const ADMIN_KEY = `admin-${'x'.repeat(40)}`;
const OPS_PATHS = ['/health', '/live', '/ready', '/metrics', '/docs'];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method and path the Express router answers (mount prefixes left out, as Express keeps them). */
function routesOf(stack: readonly Layer[]): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }));
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

interface Answer {
  status: number;
  body: string;
}

describeIf('API keys (AUTH_MODE=apikey)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let stream: RedisEventStream;
  let app: Express;
  let server: Server;
  let base: string;
  const logger = new MemoryLogger();
  const [tenantA, tenantB] = [`a${randomUUID().slice(0, 8)}`, `b${randomUUID().slice(0, 8)}`];

  /** Raw HTTP: answers at the response head, so streaming routes do not hold the test. */
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        `${base}${path}`,
        {
          method,
          headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
            resolve({ status: res.statusCode ?? 0, body: '' });
            res.destroy();
            return;
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

  const createKey = async (tenant: string, name = 'ci'): Promise<{ id: string; key: string }> => {
    const res = await call('POST', `/api/v1/admin/tenants/${tenant}/api-keys`, { 'x-api-key': ADMIN_KEY }, { name });
    expect(res.status).toBe(201);
    return JSON.parse(res.body) as { id: string; key: string };
  };

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase('postgres'));
    stream = await RedisEventStream.create(
      { url: 'redis://127.0.0.1:6379', keyPrefix: `t:${randomUUID().slice(0, 8)}:` },
      { logger, metrics: new NoopMetrics() },
    );
    app = createApp({
      config: {
        bodyLimitBytes: 64 * 1024,
        tenantMode: true,
        cancelWaitMs: 0,
        authMode: 'apikey',
        adminApiKey: ADMIN_KEY,
        apiKeyCacheMs: 0,
      },
      db,
      stream,
      logger,
      metrics: new NoopMetrics(),
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stream.close();
    await cleanup();
  });

  it('refuses to start without an admin key of at least 32 characters, naming the variable only', () => {
    expect(() => loadApiConfig({ AUTH_MODE: 'apikey' })).toThrow(/ADMIN_API_KEY/);
    expect(() => loadApiConfig({ AUTH_MODE: 'apikey', ADMIN_API_KEY: 'short-secret' })).toThrow(/ADMIN_API_KEY/);
    expect(() => loadApiConfig({ AUTH_MODE: 'apikey', ADMIN_API_KEY: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadApiConfig({ AUTH_MODE: 'maybe' })).toThrow(/AUTH_MODE/);
    expect(loadApiConfig({}).authMode).toBe('none');
  });

  it('creates a key once (plaintext only in that answer), lists and revokes it; the key works until revoked', async () => {
    const { id, key } = await createKey(tenantA, 'deploy');
    expect(key).toMatch(/^whk_[A-Za-z0-9_-]{43}$/);
    const listed = await call('GET', `/api/v1/admin/tenants/${tenantA}/api-keys`, bearer(ADMIN_KEY));
    expect(listed.status).toBe(200);
    expect(listed.body).not.toContain(key);
    expect(JSON.parse(listed.body).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, name: 'deploy', revoked: false })]),
    );
    expect((await call('GET', `/api/v1/${tenantA}/workflows`, { 'x-api-key': key })).status).toBe(200);
    const revoked = await call('DELETE', `/api/v1/admin/tenants/${tenantA}/api-keys/${id}`, bearer(ADMIN_KEY));
    expect(revoked.status).toBe(200);
    expect(JSON.parse(revoked.body)).toMatchObject({ id, revoked: true });
    const after = await call('GET', `/api/v1/${tenantA}/workflows`, bearer(key));
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body)).toMatchObject({ error: 'UNAUTHENTICATED' });
    expect((await call('DELETE', `/api/v1/admin/tenants/${tenantB}/api-keys/${id}`, bearer(ADMIN_KEY))).status).toBe(
      404,
    );
  });

  it('never writes a key into logs or error bodies', async () => {
    const { key } = await createKey(tenantA);
    const wrong = `whk_${'y'.repeat(43)}`;
    const bad = await call('GET', `/api/v1/${tenantA}/workflows`, bearer(wrong));
    expect(bad.status).toBe(401);
    expect(bad.body).not.toContain(wrong);
    await call('GET', `/api/v1/${tenantA}/nope`, bearer(key));
    await call('POST', `/api/v1/${tenantA}/workflows`, bearer(key), { name: key });
    const logged = JSON.stringify(logger.lines);
    for (const secret of [key, wrong, ADMIN_KEY]) expect(logged).not.toContain(secret);
  });

  it('walks every route of the router: no key → 401, another tenant → 404, own tenant → served, admin → 403 for tenant keys', async () => {
    const router = (app as unknown as { router: { stack: Layer[] } }).router;
    const routes = [...new Map(routesOf(router.stack).map((r) => [`${r.method} ${r.path}`, r])).values()];
    const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));
    const tenantRoutes = routes.filter((r) => !r.path.startsWith('/admin/') && !OPS_PATHS.includes(r.path));
    expect(tenantRoutes.length).toBeGreaterThan(15);
    expect(adminRoutes.length).toBe(3);

    // Real resources in both tenants, so a 404 across tenants shows isolation, not absence.
    const keyA = (await createKey(tenantA)).key;
    const keyB = (await createKey(tenantB)).key;
    const resources = async (tenant: string, key: string): Promise<Record<string, string>> => {
      const definition = {
        document: { dsl: '1.0.0', namespace: 'auth', name: 'w', version: '1.0.0' },
        do: [{ a: { set: { x: 1 } } }],
      };
      const wf = JSON.parse((await call('POST', `/api/v1/${tenant}/workflows`, bearer(key), { definition })).body);
      const doomed = JSON.parse((await call('POST', `/api/v1/${tenant}/workflows`, bearer(key), { definition })).body);
      const ex = JSON.parse(
        (await call('POST', `/api/v1/${tenant}/workflows/${wf.id as string}/execute`, bearer(key), {})).body,
      );
      return { workflowId: wf.id, executionId: ex.id, doomedWorkflowId: doomed.id, deadLetterId: 'dl-none' };
    };
    const ownA = await resources(tenantA, keyA);
    const ownB = await resources(tenantB, keyB);
    const pathFor = (route: { method: string; path: string }, tenant: string, ids: Record<string, string>): string =>
      `/api/v1/${tenant}${route.path}`.replace(/:(\w+)/g, (_, name: string) =>
        // DELETE gets its own workflow, so the other routes still find theirs.
        name === 'workflowId' && route.method === 'DELETE' ? ids.doomedWorkflowId! : ids[name]!,
      );

    for (const route of tenantRoutes) {
      const label = `${route.method} ${route.path}`;
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const anonymous = await call(route.method, pathFor(route, tenantA, ownA), {}, body);
      expect({ label, status: anonymous.status }).toEqual({ label, status: 401 });
      const foreign = await call(route.method, pathFor(route, tenantB, ownB), bearer(keyA), body);
      expect({ label, status: foreign.status, error: JSON.parse(foreign.body).error }).toEqual({
        label,
        status: 404,
        error: 'NOT_FOUND',
      });
      const own = await call(route.method, pathFor(route, tenantA, ownA), bearer(keyA), body);
      // A dead letter cannot be made without a failing worker: an unknown one is a 404 of its own.
      const allowed404 = route.path === '/dlq/:deadLetterId/redrive';
      expect({ label, unauthorised: own.status === 401 || own.status === 403 }).toEqual({ label, unauthorised: false });
      if (!allowed404) expect({ label, missing: own.status === 404 }).toEqual({ label, missing: false });
    }
    // Tenant A's DELETE of B's workflow changed nothing.
    expect((await call('GET', `/api/v1/${tenantB}/workflows/${ownB.doomedWorkflowId!}`, bearer(keyB))).status).toBe(
      200,
    );

    for (const route of adminRoutes) {
      const label = `${route.method} ${route.path}`;
      const path = `/api/v1${route.path}`.replace(':tenantId', tenantA).replace(':keyId', 'ak_missing');
      const body = route.method === 'POST' ? { name: 'walk' } : undefined;
      expect({ label, status: (await call(route.method, path, {}, body)).status }).toEqual({ label, status: 401 });
      expect({ label, status: (await call(route.method, path, bearer(keyA), body)).status }).toEqual({
        label,
        status: 403,
      });
      const asAdmin = await call(route.method, path, bearer(ADMIN_KEY), body);
      // Revoking a key that does not exist is the one expected 404.
      expect({ label, status: asAdmin.status }).toEqual({
        label,
        status: route.method === 'DELETE' ? 404 : route.method === 'POST' ? 201 : 200,
      });
    }
  });

  it('lets the admin key act for any tenant, and answers malformed keys with 401', async () => {
    expect((await call('GET', `/api/v1/${tenantB}/stats`, bearer(ADMIN_KEY))).status).toBe(200);
    expect((await call('GET', `/api/v1/${tenantB}/stats`, { authorization: 'Basic abc' })).status).toBe(401);
    expect((await call('GET', '/health')).status).toBeLessThan(500);
  });
});
