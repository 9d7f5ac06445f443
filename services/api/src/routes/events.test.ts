import request from 'supertest';
import type { EngineEvent, EventStream } from '@wormhole/interfaces';
import { TENANT_EVENTS_ID } from '@wormhole/interfaces';
import type { Database } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { createApp } from '../app';

/** Records what the route publishes; nothing else of the stream or database is used by it. */
function recordingStream(): { stream: EventStream; published: EngineEvent[] } {
  const published: EngineEvent[] = [];
  const stream = {
    publish: (event: EngineEvent) => {
      published.push(event);
      return Promise.resolve();
    },
  } as unknown as EventStream;
  return { stream, published };
}

const paid = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  specversion: '1.0',
  id,
  source: 'https://shop.example/payments',
  type: 'com.example.order.paid',
  data: { orderId: 'o-1' },
  ...extra,
});

describe('POST /events', () => {
  const setup = () => {
    const { stream, published } = recordingStream();
    const app = createApp({
      config: { bodyLimitBytes: 1024, tenantMode: true, cancelWaitMs: 0 },
      db: {} as Database,
      stream,
      logger: new MemoryLogger(),
      metrics: new NoopMetrics(),
    });
    return { app, published };
  };

  it('accepts one CloudEvent and publishes it to the tenant event stream', async () => {
    const { app, published } = setup();
    const res = await request(app).post('/api/v1/acme/events').send(paid('e1')).expect(202);
    expect(res.body).toEqual({ accepted: 1 });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: 'io.wormhole.event.published',
      tenantid: 'acme',
      workflowid: TENANT_EVENTS_ID,
      data: { event: paid('e1') },
    });
  });

  it('accepts an array, and gives one (source, id) the same engine event id', async () => {
    const { app, published } = setup();
    await request(app)
      .post('/api/v1/acme/events')
      .set('content-type', 'application/cloudevents-batch+json')
      .send(JSON.stringify([paid('e1'), paid('e2'), paid('e1')]))
      .expect(202, { accepted: 3 });
    expect(published.map((e) => e.id)).toEqual([published[0]!.id, published[1]!.id, published[0]!.id]);
    expect(published[0]!.id).not.toBe(published[1]!.id);
  });

  it.each([
    ['no specversion', { ...paid('e1'), specversion: undefined }, '/specversion'],
    ['a wrong specversion', paid('e1', { specversion: '0.3' }), '/specversion'],
    ['no id', { ...paid('e1'), id: undefined }, '/id'],
    ['an empty source', paid('e1', { source: '' }), '/source'],
    ['a numeric type', paid('e1', { type: 7 }), '/type'],
    ['a non-string subject', paid('e1', { subject: 1 }), '/subject'],
    ['an invalid time', paid('e1', { time: 'yesterday' }), '/time'],
    ['an upper-case attribute', paid('e1', { Trace: 'x' }), '/Trace'],
  ])('rejects an event with %s with 400 and details', async (_name, body, path) => {
    const { app, published } = setup();
    const res = await request(app).post('/api/v1/acme/events').send(body).expect(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(published).toHaveLength(0);
  });

  it('rejects the whole batch when one event is invalid, naming its index', async () => {
    const { app, published } = setup();
    const res = await request(app)
      .post('/api/v1/acme/events')
      .send([paid('e1'), { type: 'x' }])
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['/1/specversion', '/1/id', '/1/source']);
    expect(published).toHaveLength(0);
  });

  it.each([
    ['an empty body', undefined],
    ['an empty array', []],
    ['a string', 'hello'],
  ])('rejects %s with 400', async (_name, body) => {
    const { app } = setup();
    const req = request(app).post('/api/v1/acme/events').set('content-type', 'application/json');
    const res = await (body === undefined ? req : req.send(JSON.stringify(body))).expect(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
  });

  it('rejects a body over the limit with 413 and a non-JSON one with 415', async () => {
    const { app } = setup();
    await request(app)
      .post('/api/v1/acme/events')
      .send(paid('e1', { data: 'x'.repeat(2048) }))
      .expect(413);
    await request(app).post('/api/v1/acme/events').set('content-type', 'text/plain').send('hi').expect(415);
  });
});
