import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { Database, EventStream } from '@wormhole/interfaces';
import { MemoryLogger, PromMetrics } from '@wormhole/platform';
import { EMBEDDED_SCHEMA, EmbeddedDatabase, openTestDatabase, testBackends } from '@wormhole/storage';
import { PostgresEventStream, RedisEventStream } from '@wormhole/transport';
import { createApp } from './app';

const definition = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  document: { dsl: '1.0.0', namespace: 'demo', name, version: '1.0.0' },
  do: [{ greet: { set: { message: '${ "hello " + .name }' } } }],
  ...extra,
});

const YAML_DOC = `document:
  dsl: 1.0.2
  namespace: demo
  name: from-yaml
  version: 1.0.0
  summary: Written in YAML
do:
  - greet:
      set:
        message: \${ "hello " + .name }
`;

describe.each(testBackends())('REST API on %s', (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let stream: EventStream;
  let app: Express;
  const tenant = `t${randomUUID().slice(0, 8)}`;
  const api = `/api/v1/${tenant}`;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(backend));
    const logger = new MemoryLogger();
    const metrics = new PromMetrics({ processMetrics: false });
    // As installed: the embedded database brings its own stream; the others use Redis Streams.
    stream =
      db instanceof EmbeddedDatabase
        ? await PostgresEventStream.create(db.pool, { schema: EMBEDDED_SCHEMA }, { logger, metrics })
        : await RedisEventStream.create(
            { url: 'redis://127.0.0.1:6379', keyPrefix: `t:${randomUUID().slice(0, 8)}:` },
            { logger, metrics },
          );
    app = createApp({
      config: { bodyLimitBytes: 64 * 1024, tenantMode: true, cancelWaitMs: 50 },
      db,
      stream,
      logger,
      metrics,
    });
  });

  afterAll(async () => {
    await stream.close();
    await cleanup();
  });

  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await request(app)
      .post(`${api}/workflows`)
      .send({ name, definition: definition(name), ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; updated_at: string };
  };

  describe('workflows', () => {
    it('creates from a JSON wrapper and reads it back', async () => {
      const res = await request(app)
        .post(`${api}/workflows`)
        .send({ name: 'greeter', description: 'says hello', tags: ['demo'], definition: definition('greeter') });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        tenant_id: tenant,
        name: 'greeter',
        description: 'says hello',
        version: 1,
        spec_version: '1.0.0',
        state: 'active',
        tags: ['demo'],
      });
      expect(res.body.id).toMatch(/^wf_/);
      const read = await request(app).get(`${api}/workflows/${res.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it('creates from a raw YAML document, taking name and description from it', async () => {
      const res = await request(app).post(`${api}/workflows`).set('content-type', 'application/yaml').send(YAML_DOC);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'from-yaml', description: 'Written in YAML', spec_version: '1.0.2' });
      expect(res.body.definition.do[0].greet.set.message).toBe('${ "hello " + .name }');
    });

    it('creates from a raw JSON document', async () => {
      const res = await request(app).post(`${api}/workflows`).send(definition('raw-json'));
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('raw-json');
    });

    it('rejects an invalid definition with the validator messages', async () => {
      const bad = definition('bad', { do: [{ greet: { sett: {} } }] });
      const res = await request(app).post(`${api}/workflows`).send({ name: 'bad', definition: bad });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', request_id: expect.any(String) as string });
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/do/0/greet' })]));
    });

    it.each([
      [{ name: 'x' }, 400, 'VALIDATION_ERROR'],
      [{ name: 5, definition: definition('n') }, 400, 'VALIDATION_ERROR'],
      [{ definition: definition('t'), tags: 'a,b' }, 400, 'VALIDATION_ERROR'],
      [[1, 2], 400, 'VALIDATION_ERROR'],
      ['null', 400, 'VALIDATION_ERROR'],
    ])('rejects the body %j', async (body, status, code) => {
      const res = await request(app)
        .post(`${api}/workflows`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(code);
    });

    it('answers malformed JSON with 400, other media types with 415 and big bodies with 413', async () => {
      const malformed = await request(app)
        .post(`${api}/workflows`)
        .set('content-type', 'application/json')
        .send('{"a":');
      expect(malformed.status).toBe(400);
      const text = await request(app).post(`${api}/workflows`).set('content-type', 'text/plain').send('hello');
      expect(text.status).toBe(415);
      expect(text.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');
      const big = await request(app)
        .post(`${api}/workflows`)
        .send({ name: 'big', definition: definition('big', { metadata: { pad: 'x'.repeat(70 * 1024) } }) });
      expect(big.status).toBe(413);
      expect(big.body.error).toBe('PAYLOAD_TOO_LARGE');
    });

    it('updates, bumping the version only for a new definition', async () => {
      const wf = await create('updatable');
      const renamed = await request(app)
        .put(`${api}/workflows/${wf.id}`)
        .send({ description: 'changed', tags: ['a'] });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ description: 'changed', tags: ['a'], version: 1 });
      const v2 = await request(app)
        .put(`${api}/workflows/${wf.id}`)
        .send({ definition: definition('updatable-v2') });
      expect(v2.status).toBe(200);
      expect(v2.body.version).toBe(2);
      const invalid = await request(app)
        .put(`${api}/workflows/${wf.id}`)
        .send({ definition: { document: {} } });
      expect(invalid.status).toBe(400);
      expect((await request(app).put(`${api}/workflows/${wf.id}`).send({})).status).toBe(400);
      expect((await request(app).put(`${api}/workflows/${wf.id}`).send({ colour: 'red' })).status).toBe(400);
      expect((await request(app).put(`${api}/workflows/${wf.id}`).send({ state: 'paused' })).status).toBe(400);
    });

    it('deletes, then answers 404', async () => {
      const wf = await create('doomed');
      expect((await request(app).delete(`${api}/workflows/${wf.id}`)).status).toBe(204);
      const gone = await request(app).get(`${api}/workflows/${wf.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ error: 'NOT_FOUND', message: expect.stringContaining(wf.id) as string });
      expect((await request(app).delete(`${api}/workflows/${wf.id}`)).status).toBe(404);
    });

    it("hides one tenant's workflows from another", async () => {
      const wf = await create('private');
      const other = `/api/v1/o${randomUUID().slice(0, 8)}`;
      expect((await request(app).get(`${other}/workflows/${wf.id}`)).status).toBe(404);
      expect((await request(app).put(`${other}/workflows/${wf.id}`).send({ name: 'x' })).status).toBe(404);
      expect((await request(app).delete(`${other}/workflows/${wf.id}`)).status).toBe(404);
      expect((await request(app).post(`${other}/workflows/${wf.id}/execute`).send({})).status).toBe(404);
      expect((await request(app).get(`${other}/workflows`)).body.items).toEqual([]);
    });

    it('lists with filters, sorting and both paging styles', async () => {
      const t = `/api/v1/l${randomUUID().slice(0, 8)}`;
      for (const [name, tags] of [
        ['alpha', ['x', 'y']],
        ['bravo', ['x']],
        ['charlie', []],
      ] as const) {
        expect(
          (
            await request(app)
              .post(`${t}/workflows`)
              .send({ name, tags, definition: definition(name) })
          ).status,
        ).toBe(201);
      }
      const page = await request(app).get(`${t}/workflows?sort_by=name&sort_order=asc&limit=2`);
      expect(page.status).toBe(200);
      expect(page.body.items.map((w: { name: string }) => w.name)).toEqual(['alpha', 'bravo']);
      expect(page.body.pagination).toEqual({
        total: 3,
        limit: 2,
        offset: 0,
        page: 1,
        size: 2,
        total_pages: 2,
        has_next: true,
        has_previous: false,
      });
      expect(page.body.sort).toEqual({ field: 'name', order: 'asc' });
      const second = await request(app).get(`${t}/workflows?sort_by=name&sort_order=asc&page=2&size=2`);
      expect(second.body.items.map((w: { name: string }) => w.name)).toEqual(['charlie']);
      expect(second.body.pagination).toMatchObject({ page: 2, offset: 2, has_next: false, has_previous: true });
      const tagged = await request(app).get(`${t}/workflows?tags=x,y`);
      expect(tagged.body.items.map((w: { name: string }) => w.name)).toEqual(['alpha']);
      expect(tagged.body.filters).toEqual({ applied: { tags: 'x,y' }, count: 1 });
      const search = await request(app).get(`${t}/workflows?search=CHAR&status=active`);
      expect(search.body.items.map((w: { name: string }) => w.name)).toEqual(['charlie']);
    });

    it.each([
      'limit=0',
      'limit=101',
      'offset=-1',
      'sort_by=colour',
      'sort_order=up',
      'status=paused',
      'created_at_from=yesterday',
      'limit=1&limit=2',
      'page=0',
    ])('rejects the query %s with 400', async (query) => {
      const res = await request(app).get(`${api}/workflows?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_ERROR');
      expect(res.body.details.length).toBeGreaterThan(0);
    });
  });

  describe('executions', () => {
    it('starts an execution, honouring idempotency keys and correlation ids', async () => {
      const wf = await create('runner');
      const started = await request(app)
        .post(`${api}/workflows/${wf.id}/execute`)
        .send({ input: { name: 'world' }, correlation_id: 'order-7', idempotency_key: 'k-1' });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ workflow_id: wf.id, status: 'pending', correlation_id: 'order-7' });
      expect(started.body.id).toMatch(/^ex_/);
      const again = await request(app)
        .post(`${api}/workflows/${wf.id}/execute`)
        .send({ input: {}, idempotency_key: 'k-1' });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(started.body.id);
      const read = await request(app).get(`${api}/executions/${started.body.id}`);
      expect(read.body).toMatchObject({ id: started.body.id, input: { name: 'world' }, status: 'pending' });
      const list = await request(app).get(`${api}/executions?correlation_id=order-7`);
      expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([started.body.id]);
      const byWorkflow = await request(app).get(`${api}/workflows/${wf.id}/executions`);
      expect(byWorkflow.body.pagination.total).toBe(1);
      for (const part of ['events', 'logs', 'steps']) {
        const res = await request(app).get(`${api}/executions/${started.body.id}/${part}`);
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body.items)).toBe(true);
      }
    });

    it('refuses to start an inactive or unknown workflow', async () => {
      const wf = await create('sleeper', { state: 'inactive' });
      expect((await request(app).post(`${api}/workflows/${wf.id}/execute`).send({})).status).toBe(409);
      expect((await request(app).post(`${api}/workflows/wf_01ARZ3NDEKTSV4RRFFQ69G5FAV/execute`).send({})).status).toBe(
        404,
      );
      const badKey = await request(app).post(`${api}/workflows/${wf.id}/execute`).send({ idempotency_key: 7 });
      expect(badKey.status).toBe(400);
      // The form of a child execution's key names a parent to report to: the engine's only.
      const forged = await request(app)
        .post(`${api}/workflows/${wf.id}/execute`)
        .send({ idempotency_key: `wormhole-child ${wf.id} ex_other 1 await /do/0/run` });
      expect(forged.status).toBe(400);
      expect(forged.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ path: '/idempotency_key' }] });
      // A schedule's key would take its tick from the scheduler.
      const tick = await request(app)
        .post(`${api}/workflows/${wf.id}/execute`)
        .send({ idempotency_key: `wormhole-schedule ${wf.id} 2026-11-25T04:00:00.000Z` });
      expect(tick.status).toBe(400);
      expect(tick.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ path: '/idempotency_key' }] });
    });

    it('cancels a running execution and refuses to cancel an ended one', async () => {
      const wf = await create('cancellable');
      const { body } = await request(app).post(`${api}/workflows/${wf.id}/execute`).send({});
      const cancelled = await request(app).post(`${api}/executions/${body.id}/cancel`).send({ reason: 'user asked' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.id).toBe(body.id);
      await db.executions.update(tenant, body.id, { status: 'completed' });
      const again = await request(app).post(`${api}/executions/${body.id}/cancel`).send({});
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('CONFLICT');
      expect((await request(app).post(`${api}/executions/ex_01ARZ3NDEKTSV4RRFFQ69G5FAV/cancel`).send({})).status).toBe(
        404,
      );
    });

    it('rejects bad execution queries', async () => {
      expect((await request(app).get(`${api}/executions?status=sleeping`)).status).toBe(400);
      expect((await request(app).get(`${api}/executions?started_from=soon`)).status).toBe(400);
      expect((await request(app).get(`${api}/executions/ex_nope/logs?level=loud`)).status).toBe(400);
    });
  });

  describe('operations and conventions', () => {
    it('reports health, readiness, metrics and stats', async () => {
      const health = await request(app).get('/health');
      expect(health.status).toBe(200);
      expect(health.body.backends.length).toBeGreaterThan(1);
      // The event transport is checked too, not only the database.
      expect(health.body.backends.map((b: { name: string }) => b.name)).toContainEqual(
        expect.stringMatching(/^stream:/),
      );
      expect((await request(app).get('/ready')).status).toBe(200);
      expect((await request(app).get('/live')).body).toEqual({ live: true });
      const metrics = await request(app).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('wormhole_http_request_duration_seconds');
      expect(metrics.text).toContain('route="/api/v1/:tenant/workflows"');
      expect(metrics.text).toMatch(/wormhole_workflow_changes_total\{operation="create"\} [1-9]/);
      const stats = await request(app).get(`${api}/stats`);
      expect(stats.status).toBe(200);
      expect(stats.body.tenant_id).toBe(tenant);
      expect(stats.body.workflows.total).toBeGreaterThan(0);
    });

    /** An app on the same backend with extra settings (the limits under test). */
    const appWith = (extra: Partial<Parameters<typeof createApp>[0]['config']>): ReturnType<typeof createApp> =>
      createApp({
        config: { bodyLimitBytes: 64 * 1024, tenantMode: true, cancelWaitMs: 50, ...extra },
        db,
        stream,
        logger: new MemoryLogger(),
        metrics: new PromMetrics({ processMetrics: false }),
      });
    /** Creates a workflow for `tenant` through `app` and returns its id. */
    const workflowIn = async (app: ReturnType<typeof createApp>, tenant: string): Promise<string> =>
      (
        (
          await request(app)
            .post(`/api/v1/${tenant}/workflows`)
            .send({ name: 'w', definition: definition('w') })
        ).body as { id: string }
      ).id;

    it('answers 429 with Retry-After once a tenant has its limit of unfinished executions, other tenants unaffected', async () => {
      const limited = appWith({ maxActiveExecutionsPerTenant: 2 });
      const busy = `t${randomUUID().slice(0, 8)}`;
      const calm = `t${randomUUID().slice(0, 8)}`;
      const workflowOf = (t: string): Promise<string> => workflowIn(limited, t);
      const [busyWf, calmWf] = [await workflowOf(busy), await workflowOf(calm)];
      // No worker runs here: started executions stay pending, so they all count.
      for (let i = 0; i < 2; i++) {
        expect((await request(limited).post(`/api/v1/${busy}/workflows/${busyWf}/execute`).send({})).status).toBe(202);
      }
      const refused = await request(limited).post(`/api/v1/${busy}/workflows/${busyWf}/execute`).send({});
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body).toMatchObject({ error: 'LIMIT_EXCEEDED', request_id: expect.any(String) });
      expect(refused.body.message).toContain('TENANT_MAX_ACTIVE_EXECUTIONS');
      expect((await request(limited).post(`/api/v1/${calm}/workflows/${calmWf}/execute`).send({})).status).toBe(202);
    });

    it('answers 429 RATE_LIMITED with Retry-After once a tenant starts faster than its rate, other tenants unaffected', async () => {
      // One start per minute after a burst of 2: the test cannot outrun a refill.
      const limited = appWith({ tenantStartRate: 1 / 60, tenantStartBurst: 2 });
      const fast = `t${randomUUID().slice(0, 8)}`;
      const slow = `t${randomUUID().slice(0, 8)}`;
      const workflowOf = (t: string): Promise<string> => workflowIn(limited, t);
      const [fastWf, slowWf] = [await workflowOf(fast), await workflowOf(slow)];
      for (let i = 0; i < 2; i++) {
        expect((await request(limited).post(`/api/v1/${fast}/workflows/${fastWf}/execute`).send({})).status).toBe(202);
      }
      const refused = await request(limited).post(`/api/v1/${fast}/workflows/${fastWf}/execute`).send({});
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(refused.body).toMatchObject({ error: 'RATE_LIMITED', request_id: expect.any(String) });
      expect(refused.body.message).toContain('TENANT_START_RATE');
      expect((await request(limited).post(`/api/v1/${slow}/workflows/${slowWf}/execute`).send({})).status).toBe(202);
      // Other routes of the limited tenant are not rate limited.
      expect((await request(limited).get(`/api/v1/${fast}/workflows/${fastWf}`)).status).toBe(200);
    });

    it('echoes a sane X-Request-ID and makes one up otherwise', async () => {
      const echoed = await request(app).get('/health').set('X-Request-ID', 'trace-123');
      expect(echoed.headers['x-request-id']).toBe('trace-123');
      const replaced = await request(app).get('/nope').set('X-Request-ID', 'bad id with spaces');
      expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
      expect(replaced.status).toBe(404);
      expect(replaced.body).toEqual({
        error: 'NOT_FOUND',
        message: expect.any(String) as string,
        request_id: replaced.headers['x-request-id'],
      });
    });

    it('rejects malformed tenant ids', async () => {
      for (const bad of ['UPPER', '-dash', 'a'.repeat(64), 'sp%20ace']) {
        const res = await request(app).get(`/api/v1/${bad}/workflows`);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('VALIDATION_ERROR');
      }
    });
  });
});
