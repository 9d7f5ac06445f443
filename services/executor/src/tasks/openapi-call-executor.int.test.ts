import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, TaskRequest } from '@wormhole/interfaces';
import { HttpExchange } from './http-exchange';
import { NetworkPolicy } from './network-policy';
import { OpenApiCallExecutor } from './openapi-call-executor';

describe('OpenApiCallExecutor against a local server', () => {
  let server: http.Server;
  let base = '';
  const documentReads: string[] = [];
  const calls: { url: string; headers: http.IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/swagger.json') {
        documentReads.push(url);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            swagger: '2.0',
            host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
            basePath: '/v2',
            paths: {
              '/pet/{petId}': {
                get: { operationId: 'getPetById', parameters: [{ name: 'petId', in: 'path', required: true }] },
              },
            },
          }),
        );
      } else if (url === '/openapi.yaml') {
        documentReads.push(url);
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end('openapi: 3.1.0\nservers: [{url: /v3}]\npaths:\n  /ping:\n    get: {operationId: ping}\n');
      } else if (url.startsWith('/v2/pet/')) {
        calls.push({ url, headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: Number(url.split('/').pop()), name: 'rex', status: 'available' }));
      } else if (url === '/v3/ping') {
        calls.push({ url, headers: req.headers });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('pong');
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
  const request = (withArgs: JsonObject): TaskRequest => ({
    tenantId: 't',
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/do/0/getPet',
    taskName: 'getPet',
    task: { call: 'openapi', with: withArgs },
    input: {},
    attempt: 1,
    idempotencyKey: 'ex_1:/do/0/getPet:1',
  });
  const signal = () => new AbortController().signal;

  it('calls the operation of a Swagger 2 document, reading the document once for several calls', async () => {
    const executor = new OpenApiCallExecutor(new HttpExchange(settings));
    const args = { document: { endpoint: `${base}/swagger.json` }, operationId: 'getPetById' };
    documentReads.length = 0;
    const first = await executor.execute(request({ ...args, parameters: { petId: 1 } }), signal());
    const second = await executor.execute(request({ ...args, parameters: { petId: 2 }, output: 'response' }), signal());
    expect(first).toEqual({ kind: 'completed', output: { id: 1, name: 'rex', status: 'available' } });
    expect(second).toMatchObject({
      kind: 'completed',
      output: {
        request: { method: 'GET', uri: `${base}/v2/pet/2` },
        statusCode: 200,
        content: { id: 2, name: 'rex', status: 'available' },
      },
    });
    expect(documentReads).toEqual(['/swagger.json']);
    expect(calls.at(-1)?.headers['idempotency-key']).toBe('ex_1:/do/0/getPet:1');
  });

  it('reads the document again once its cache entry has expired', async () => {
    let now = 0;
    const executor = new OpenApiCallExecutor(new HttpExchange(settings), { ttlMs: 1000, maxDocuments: 10 }, () => now);
    const args = { document: { endpoint: `${base}/openapi.yaml` }, operationId: 'ping' };
    documentReads.length = 0;
    expect(await executor.execute(request(args), signal())).toEqual({ kind: 'completed', output: 'pong' });
    now = 500;
    await executor.execute(request(args), signal());
    now = 1500;
    await executor.execute(request(args), signal());
    expect(documentReads).toEqual(['/openapi.yaml', '/openapi.yaml']);
  });

  it('fails with a communication error naming the document when it cannot be read', async () => {
    const executor = new OpenApiCallExecutor(new HttpExchange(settings));
    const outcome = await executor.execute(
      request({ document: { endpoint: `${base}/missing.json` }, operationId: 'x' }),
      signal(),
    );
    expect(outcome).toMatchObject({ kind: 'failed', error: { status: 404 } });
    expect(outcome.kind === 'failed' && outcome.error.type).toContain('communication');
    expect(outcome.kind === 'failed' && outcome.error.detail).toContain(`OpenAPI document ${base}/missing.json`);
  });

  it('fails with a configuration error for an unknown operation', async () => {
    const executor = new OpenApiCallExecutor(new HttpExchange(settings));
    const outcome = await executor.execute(
      request({ document: { endpoint: `${base}/swagger.json` }, operationId: 'deletePet' }),
      signal(),
    );
    expect(outcome.kind === 'failed' && outcome.error.type).toContain('configuration');
    expect(outcome.kind === 'failed' && outcome.error.detail).toContain("operation 'deletePet' is not in");
  });

  it('does not read a document from a blocked network', async () => {
    const blocked = new NetworkPolicy(['127.0.0.0/8', '::1/128']);
    const executor = new OpenApiCallExecutor(new HttpExchange({ ...settings, network: blocked }));
    documentReads.length = 0;
    const outcome = await executor.execute(
      request({ document: { endpoint: `http://localhost:${new URL(base).port}/swagger.json` }, operationId: 'x' }),
      signal(),
    );
    expect(outcome.kind === 'failed' && outcome.error.type).toContain('authorization');
    expect(documentReads).toEqual([]);
  });
});
