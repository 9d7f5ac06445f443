import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, TaskRequest } from '@wormhole/interfaces';
import { HttpCallExecutor } from './http-call-executor';
import { HttpExchange } from './http-exchange';
import { NetworkPolicy } from './network-policy';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('HttpCallExecutor against a local HTTP server', () => {
  let server: http.Server;
  let base = '';
  const seen: Seen[] = [];
  const executor = new HttpCallExecutor(
    new HttpExchange({ timeoutMs: 500, maxResponseBytes: 1024, retryDelayMs: 250 }),
  );

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const path = (req.url ?? '').split('?')[0];
        if (path === '/pets') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify([{ name: 'rex' }]));
        } else if (path === '/text') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('plain words');
        } else if (path === '/missing') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":"nope"}');
        } else if (path === '/moved') {
          res.writeHead(302, { location: '/pets' });
          res.end();
        } else if (path === '/to-metadata') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          res.end();
        } else if (path === '/big') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('x'.repeat(4096));
        } else if (path === '/slow') {
          setTimeout(() => res.end('late'), 2000).unref();
        } else {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(body || 'null');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (withArgs: JsonObject): TaskRequest => ({
    tenantId: 't',
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/do/0/call',
    taskName: 'call',
    task: { call: 'http', with: withArgs },
    input: {},
    attempt: 1,
    idempotencyKey: 'ex_1:/do/0/call',
  });
  const run = (withArgs: JsonObject) => executor.execute(request(withArgs), new AbortController().signal);

  it('returns the parsed JSON content by default and sends the idempotency key', async () => {
    const outcome = await run({ method: 'get', endpoint: `${base}/pets`, query: { limit: 2, tag: 'a b' } });
    expect(outcome).toEqual({ kind: 'completed', output: [{ name: 'rex' }] });
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/pets?limit=2&tag=a+b');
    expect(last.headers['idempotency-key']).toBe('ex_1:/do/0/call');
  });

  it('posts a JSON body with headers and basic authentication', async () => {
    const outcome = await run({
      method: 'post',
      endpoint: { uri: `${base}/echo`, authentication: { basic: { username: 'u', password: 'p' } } },
      headers: { 'X-Trace': 'abc' },
      body: { order: { id: 1 } },
    });
    expect(outcome).toEqual({ kind: 'completed', output: { order: { id: 1 } } });
    const last = seen[seen.length - 1]!;
    expect(last.method).toBe('POST');
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(last.headers['x-trace']).toBe('abc');
    expect(last.headers['content-type']).toBe('application/json');
  });

  it('reports the whole response with output: response, without credentials', async () => {
    const outcome = await run({
      method: 'get',
      endpoint: { uri: `${base}/text`, authentication: { bearer: { token: 'secret' } } },
      output: 'response',
    });
    expect(outcome.kind).toBe('completed');
    const output = (outcome as { output: JsonObject }).output;
    expect(output).toMatchObject({ statusCode: 200, content: 'plain words', request: { method: 'GET' } });
    expect(JSON.stringify(output)).not.toContain('secret');
    expect(seen[seen.length - 1]!.headers.authorization).toBe('Bearer secret');
  });

  it('returns base64 with output: raw', async () => {
    const outcome = await run({ method: 'get', endpoint: `${base}/text`, output: 'raw' });
    expect(outcome).toEqual({ kind: 'completed', output: Buffer.from('plain words').toString('base64') });
  });

  it('turns a non-2xx response into a communication error with its status', async () => {
    const outcome = await run({ method: 'get', endpoint: `${base}/missing` });
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: {
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
        status: 404,
        instance: '/do/0/call',
      },
    });
  });

  it('treats redirects as errors unless redirect: true', async () => {
    expect(await run({ method: 'get', endpoint: `${base}/moved` })).toMatchObject({
      kind: 'failed',
      error: { status: 302 },
    });
    expect(await run({ method: 'get', endpoint: `${base}/moved`, redirect: true })).toEqual({
      kind: 'completed',
      output: [{ name: 'rex' }],
    });
  });

  it('fails a response larger than the limit', async () => {
    const outcome = await run({ method: 'get', endpoint: `${base}/big` });
    expect(outcome).toMatchObject({ kind: 'failed', error: { detail: 'response body exceeds 1024 bytes' } });
  });

  it('makes a timeout or a refused connection retryable', async () => {
    expect(await run({ method: 'get', endpoint: `${base}/slow` })).toMatchObject({
      kind: 'retryable',
      delayMs: 250,
      error: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout' },
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await run({ method: 'get', endpoint: `http://127.0.0.1:${port}/` })).toMatchObject({
      kind: 'retryable',
      error: {
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
        detail: expect.stringContaining('ECONNREFUSED') as string,
      },
    });
  });

  it.each([
    [{ method: 'get', endpoint: 'not a url' }, 'is not an absolute URL'],
    [{ method: 'get', endpoint: 'ftp://x/y' }, "scheme 'ftp:'"],
    [{ method: 'brew', endpoint: 'http://x/' }, "unsupported HTTP method 'BREW'"],
    [
      { method: 'get', endpoint: { uri: 'http://x/', authentication: { certificate: {} } } },
      "'certificate' is not supported",
    ],
    [{ method: 'get', endpoint: { uri: 'http://x/', authentication: { oauth2: {} } } }, 'oauth2.grant is required'],
  ])('rejects bad arguments %j without sending anything', async (args, message) => {
    const before = seen.length;
    const outcome = await run(args);
    expect(outcome).toMatchObject({ kind: 'failed', error: { detail: expect.stringContaining(message) as string } });
    expect(seen.length).toBe(before);
  });

  describe('destinations', () => {
    const blockedCall = (outcome: unknown): void => {
      expect(outcome).toMatchObject({
        kind: 'failed',
        error: { type: expect.stringMatching(/authorization$/), status: 403, title: 'Destination not allowed' },
      });
    };

    it('refuses an internal address written in the URL, without retrying', async () => {
      blockedCall(await run({ method: 'get', endpoint: 'http://169.254.169.254/latest/meta-data/' }));
      blockedCall(await run({ method: 'get', endpoint: 'http://[fd00:ec2::254]/latest/' }));
    });

    it('refuses a redirect to a blocked address', async () => {
      blockedCall(await run({ method: 'get', endpoint: `${base}/to-metadata`, redirect: true }));
    });

    it('refuses a name that resolves to a blocked address, and allows what the operator opened', async () => {
      const closed = new HttpCallExecutor(
        new HttpExchange({
          timeoutMs: 500,
          maxResponseBytes: 1024,
          retryDelayMs: 250,
          network: new NetworkPolicy(['127.0.0.0/8', '::1/128']),
        }),
      );
      const port = new URL(base).port;
      blockedCall(
        await closed.execute(
          request({ method: 'get', endpoint: `http://localhost:${port}/pets` }),
          new AbortController().signal,
        ),
      );
      const opened = new HttpCallExecutor(
        new HttpExchange({
          timeoutMs: 500,
          maxResponseBytes: 1024,
          retryDelayMs: 250,
          network: new NetworkPolicy(['127.0.0.0/8', '::1/128'], ['127.0.0.1/32']),
        }),
      );
      expect(
        await opened.execute(request({ method: 'get', endpoint: `${base}/pets` }), new AbortController().signal),
      ).toEqual({ kind: 'completed', output: [{ name: 'rex' }] });
    });
  });
});
