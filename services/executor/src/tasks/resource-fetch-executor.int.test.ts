import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, JsonValue, TaskRequest } from '@wormhole/interfaces';
import { HttpExchange } from './http-exchange';
import { NetworkPolicy } from './network-policy';
import { ResourceFetchExecutor } from './resource-fetch-executor';

const FUNCTION_YAML = `
input:
  schema:
    document: { type: object, required: [name] }
call: http
with:
  method: post
  endpoint: https://greeter.example/greet
`;

describe('ResourceFetchExecutor against a local catalog', () => {
  let server: http.Server;
  let base = '';
  const reads: { url: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      reads.push({ url, ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }) });
      if (url === '/catalog/functions/greet/1.0.0/function.yaml') {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(FUNCTION_YAML);
      } else if (url === '/private/functions/greet/1.0.0/function.yaml') {
        const expected = `Basic ${Buffer.from('user:012345').toString('base64')}`;
        res.writeHead(req.headers.authorization === expected ? 200 : 401, { 'content-type': 'application/yaml' });
        res.end(req.headers.authorization === expected ? FUNCTION_YAML : '');
      } else if (url === '/schemas/order.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'object', required: ['id'] }));
      } else if (url === '/broken.yaml') {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end('a: [unclosed');
      } else if (url === '/huge.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ padding: 'x'.repeat(10_000) }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const settings = { timeoutMs: 1000, maxResponseBytes: 4096, retryDelayMs: 100 };
  const request = (resources: JsonValue[], tenantId = 't'): TaskRequest => ({
    tenantId,
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/@resources',
    taskName: 'resources',
    task: { call: 'wormhole.resources', with: { resources } },
    input: null,
    attempt: 1,
    idempotencyKey: 'ex_1:/@resources:1',
  });
  const signal = () => new AbortController().signal;
  const outputOf = (outcome: Awaited<ReturnType<ResourceFetchExecutor['execute']>>): JsonObject => {
    if (outcome.kind !== 'completed') throw new Error(`expected completed, got ${outcome.kind}`);
    return outcome.output as JsonObject;
  };

  it('reads a YAML function document and a JSON schema in one request', async () => {
    const executor = new ResourceFetchExecutor(new HttpExchange(settings));
    const fn = `${base}/catalog/functions/greet/1.0.0/function.yaml`;
    const schema = `${base}/schemas/order.json`;
    const output = outputOf(
      await executor.execute(
        request([
          { uri: fn, kind: 'function', endpoint: fn },
          { uri: schema, kind: 'schema', endpoint: { uri: schema } },
        ]),
        signal(),
      ),
    );
    expect(output[fn]).toEqual({
      document: {
        input: { schema: { document: { type: 'object', required: ['name'] } } },
        call: 'http',
        with: { method: 'post', endpoint: 'https://greeter.example/greet' },
      },
    });
    expect(output[schema]).toEqual({ document: { type: 'object', required: ['id'] } });
  });

  it("sends the catalog's authentication, and a refused one is the fetch's error", async () => {
    const executor = new ResourceFetchExecutor(new HttpExchange(settings));
    const fn = `${base}/private/functions/greet/1.0.0/function.yaml`;
    const basic = (password: string) => ({
      uri: fn,
      kind: 'function',
      endpoint: { uri: fn, authentication: { basic: { username: 'user', password } } },
    });
    expect(outputOf(await executor.execute(request([basic('012345')]), signal()))[fn]).toMatchObject({
      document: { call: 'http' },
    });
    expect(outputOf(await executor.execute(request([basic('wrong')]), signal()))[fn]).toMatchObject({
      error: { type: expect.stringContaining('communication'), status: 401 },
    });
  });

  it('answers each document with its own error: missing (404), unreachable, not YAML, too large, blocked', async () => {
    const executor = new ResourceFetchExecutor(new HttpExchange(settings));
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/function.yaml`;
    await new Promise((resolve) => closed.close(resolve));
    const uris = {
      missing: `${base}/catalog/functions/nope/1.0.0/function.yaml`,
      unreachable,
      broken: `${base}/broken.yaml`,
      huge: `${base}/huge.json`,
    };
    const output = outputOf(
      await executor.execute(
        request(Object.values(uris).map((uri) => ({ uri, kind: 'function', endpoint: uri }))),
        signal(),
      ),
    );
    expect(output[uris.missing]).toMatchObject({
      error: { type: expect.stringContaining('communication'), status: 404 },
    });
    expect(output[uris.unreachable]).toMatchObject({ error: { type: expect.stringContaining('communication') } });
    expect(output[uris.broken]).toMatchObject({
      error: {
        type: expect.stringContaining('configuration'),
        detail: expect.stringContaining('neither JSON nor YAML'),
      },
    });
    expect(output[uris.huge]).toMatchObject({ error: { detail: expect.stringContaining('exceeds 4096 bytes') } });

    const blocked = new ResourceFetchExecutor(
      new HttpExchange({ ...settings, network: new NetworkPolicy(['127.0.0.0/8', '::1/128']) }),
    );
    const fn = `${base}/catalog/functions/greet/1.0.0/function.yaml`;
    reads.length = 0;
    const refused = outputOf(await blocked.execute(request([{ uri: fn, kind: 'function', endpoint: fn }]), signal()));
    expect(refused[fn]).toMatchObject({ error: { type: expect.stringContaining('authorization') } });
    expect(reads).toEqual([]);
  });

  it('caches documents per tenant and URL for a while, bounded', async () => {
    let now = 0;
    const executor = new ResourceFetchExecutor(new HttpExchange(settings), { ttlMs: 1000, maxDocuments: 2 }, () => now);
    const fn = `${base}/catalog/functions/greet/1.0.0/function.yaml`;
    const schema = `${base}/schemas/order.json`;
    const ask = (uri: string, tenant = 't') =>
      executor.execute(request([{ uri, kind: 'function', endpoint: uri }], tenant), signal());
    reads.length = 0;
    await ask(fn); // read
    await ask(fn); // cached
    await ask(fn, 'other'); // another tenant reads its own copy
    now = 500;
    await ask(fn, 'other'); // cached
    await ask(schema); // read; two documents at most: t's function goes
    await ask(fn); // read again
    now = 1600;
    await ask(schema); // expired: read again
    expect(reads.map((r) => r.url)).toEqual([
      '/catalog/functions/greet/1.0.0/function.yaml',
      '/catalog/functions/greet/1.0.0/function.yaml',
      '/schemas/order.json',
      '/catalog/functions/greet/1.0.0/function.yaml',
      '/schemas/order.json',
    ]);
  });

  it('refuses a request that is not a list of documents', async () => {
    const executor = new ResourceFetchExecutor(new HttpExchange(settings));
    const outcome = await executor.execute(request(['not an object']), signal());
    expect(outcome).toMatchObject({ kind: 'failed', error: { type: expect.stringContaining('configuration') } });
  });
});
