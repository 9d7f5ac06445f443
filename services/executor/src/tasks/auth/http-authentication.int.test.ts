import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { HttpCallExecutor } from '../http-call-executor';
import { HttpExchange } from '../http-exchange';
import { NetworkPolicy } from '../network-policy';
import { OpenApiCallExecutor } from '../openapi-call-executor';
import { parseChallenges } from './digest';

/*
 * oauth2, oidc and digest against local stubs: an authority whose token endpoint checks the client's
 * credentials and grant, an OpenID configuration, a resource that only takes the tokens the
 * authority issued, and digest-protected resources that verify the response as RFC 7616 says.
 */

const SECRET = `s3cret-${randomBytes(6).toString('hex')}`;
const CLIENTS: Record<string, string> = { app: SECRET, short: SECRET };

interface TokenCall {
  path: string;
  contentType: string;
  authorization?: string;
  fields: Record<string, string | string[]>;
}

describe('oauth2, oidc and digest authentication against local stubs', () => {
  let server: http.Server;
  let base = '';
  const tokenCalls: TokenCall[] = [];
  const discoveryReads: string[] = [];
  const issued = new Set<string>();
  const resourceCalls: (string | undefined)[] = [];
  let digestAttempts = 0;

  const exchange = new HttpExchange({ timeoutMs: 1000, maxResponseBytes: 8192, retryDelayMs: 50 });
  const httpCall = new HttpCallExecutor(exchange);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => route(req, res, body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const json = (res: http.ServerResponse, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

  function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const path = (req.url ?? '').split('?')[0]!;
    if (path === '/realm/oauth2/token' || path === '/oidc/protocol/token') return token(req, res, body, path);
    if (path === '/oidc/.well-known/openid-configuration') {
      discoveryReads.push(path);
      return json(res, 200, { issuer: `${base}/oidc`, token_endpoint: `${base}/oidc/protocol/token` });
    }
    if (path === '/resource' || path === '/v1/thing') {
      resourceCalls.push(req.headers.authorization);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (bearer === undefined || !issued.has(bearer)) {
        return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      return json(res, 200, { ok: true });
    }
    if (path === '/openapi.json') {
      return json(res, 200, {
        openapi: '3.0.0',
        servers: [{ url: base }],
        paths: { '/v1/thing': { get: { operationId: 'thing' } } },
      });
    }
    if (path.startsWith('/digest/')) return digest(req, res, path.slice('/digest/'.length), body);
    res.writeHead(404);
    res.end();
  }

  /** A token endpoint: client_secret_post or client_secret_basic, grant client_credentials or password. */
  function token(req: http.IncomingMessage, res: http.ServerResponse, body: string, path: string): void {
    const contentType = req.headers['content-type'] ?? '';
    const fields: Record<string, string | string[]> = contentType.includes('json')
      ? (JSON.parse(body) as Record<string, string | string[]>)
      : Object.fromEntries(new URLSearchParams(body));
    const audiences = contentType.includes('json') ? fields.audience : new URLSearchParams(body).getAll('audience');
    if (audiences !== undefined) fields.audience = audiences;
    tokenCalls.push({
      path,
      contentType,
      fields,
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
    });
    let clientId = fields.client_id as string | undefined;
    let secret = fields.client_secret as string | undefined;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (basic !== undefined) {
      [clientId, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent);
    }
    if (clientId === undefined || CLIENTS[clientId] !== secret) return json(res, 401, { error: 'invalid_client' });
    if (fields.grant_type === 'password' && !(fields.username === 'alice' && fields.password === 'pw')) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    if (fields.grant_type !== 'client_credentials' && fields.grant_type !== 'password') {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    const accessToken = `tok-${randomBytes(8).toString('hex')}`;
    issued.add(accessToken);
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: clientId === 'short' ? 1 : 3600 });
  }

  /** A resource behind digest (alg from the path: md5 or sha256), checking the response itself. */
  function digest(req: http.IncomingMessage, res: http.ServerResponse, alg: string, body: string): void {
    digestAttempts += 1;
    const algorithm = alg === 'sha256' ? 'SHA-256' : 'MD5';
    const nonce = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';
    const challenge = `Digest realm="wormhole@test", qop="auth", algorithm=${algorithm}, nonce="${nonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41"`;
    const sent = parseChallenges(req.headers.authorization ?? '')[0];
    if (sent?.scheme !== 'digest') {
      return json(res, 401, { error: 'no credentials' }, { 'www-authenticate': challenge });
    }
    const p = sent.params;
    const h = (text: string) =>
      createHash(alg === 'sha256' ? 'sha256' : 'md5')
        .update(text)
        .digest('hex');
    const ha1 = h(`alice:wormhole@test:${SECRET}`);
    const ha2 = h(`${req.method}:${req.url}`);
    const expected = h(`${ha1}:${nonce}:${p.get('nc')}:${p.get('cnonce')}:auth:${ha2}`);
    const ok =
      p.get('username') === 'alice' &&
      p.get('uri') === req.url &&
      p.get('algorithm') === algorithm &&
      p.get('qop') === 'auth' &&
      p.get('opaque') === '5ccc069c403ebaf9f0171e9517f40e41' &&
      p.get('response') === expected;
    if (!ok) return json(res, 401, { error: 'bad digest' }, { 'www-authenticate': challenge });
    json(res, 200, { user: 'alice', algorithm, body });
  }

  let step = 0;
  const request = (withArgs: JsonObject, tenantId = 't1', call = 'http'): TaskRequest => {
    step += 1;
    return {
      tenantId,
      workflowId: 'wf_1',
      executionId: `ex_${step}`,
      taskPath: `/do/${step}/call`,
      taskName: 'call',
      task: { call, with: withArgs },
      input: {},
      attempt: 1,
      idempotencyKey: `ex_${step}:/do/0/call`,
    };
  };
  const get = (uri: string, authentication: JsonObject, tenantId?: string): Promise<TaskOutcome> =>
    httpCall.execute(
      request({ method: 'get', endpoint: { uri, authentication } }, tenantId),
      new AbortController().signal,
    );
  const oauth2 = (overrides: JsonObject = {}): JsonObject => ({
    oauth2: {
      authority: `${base}/realm`,
      grant: 'client_credentials',
      client: { id: 'app', secret: SECRET },
      scopes: ['api', 'read'],
      audiences: ['runtime'],
      ...overrides,
    },
  });

  describe('oauth2', () => {
    it('fetches a client_credentials token (client_secret_post) and sends it as a bearer token', async () => {
      const before = tokenCalls.length;
      expect(await get(`${base}/resource`, oauth2())).toEqual({ kind: 'completed', output: { ok: true } });
      expect(tokenCalls.length).toBe(before + 1);
      const call = tokenCalls[tokenCalls.length - 1]!;
      expect(call.path).toBe('/realm/oauth2/token');
      expect(call.contentType).toBe('application/x-www-form-urlencoded');
      expect(call.fields).toEqual({
        grant_type: 'client_credentials',
        scope: 'api read',
        audience: ['runtime'],
        client_id: 'app',
        client_secret: SECRET,
      });
      expect(resourceCalls[resourceCalls.length - 1]).toMatch(/^Bearer tok-/);
    });

    it('reuses the cached token for the same tenant and request, and not across tenants', async () => {
      await get(`${base}/resource`, oauth2({ scopes: ['cache'] }));
      const before = tokenCalls.length;
      const first = resourceCalls[resourceCalls.length - 1];
      expect(await get(`${base}/resource`, oauth2({ scopes: ['cache'] }))).toMatchObject({ kind: 'completed' });
      expect(tokenCalls.length).toBe(before);
      expect(resourceCalls[resourceCalls.length - 1]).toBe(first);
      expect(await get(`${base}/resource`, oauth2({ scopes: ['cache'] }), 't2')).toMatchObject({ kind: 'completed' });
      expect(tokenCalls.length).toBe(before + 1);
      expect(resourceCalls[resourceCalls.length - 1]).not.toBe(first);
    });

    it('shares one token request among concurrent steps', async () => {
      const before = tokenCalls.length;
      const outcomes = await Promise.all(
        [1, 2, 3].map(() => get(`${base}/resource`, oauth2({ scopes: ['concurrent'] }))),
      );
      expect(outcomes.map((o) => o.kind)).toEqual(['completed', 'completed', 'completed']);
      expect(tokenCalls.length).toBe(before + 1);
    });

    it('fetches a new token once the cached one is about to expire', async () => {
      const policy = oauth2({ client: { id: 'short', secret: SECRET }, scopes: ['short'] });
      await get(`${base}/resource`, policy);
      const before = tokenCalls.length;
      await get(`${base}/resource`, policy);
      expect(tokenCalls.length).toBe(before); // within 0.9 s of the 1 s lifetime
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await get(`${base}/resource`, policy)).toMatchObject({ kind: 'completed' });
      expect(tokenCalls.length).toBe(before + 1);
    });

    it('fetches a new token after the resource server refused the cached one', async () => {
      const policy = oauth2({ scopes: ['revoked'] });
      await get(`${base}/resource`, policy);
      const revoked = /^Bearer (.+)$/.exec(resourceCalls[resourceCalls.length - 1]!)![1]!;
      issued.delete(revoked);
      expect(await get(`${base}/resource`, policy)).toMatchObject({ kind: 'failed', error: { status: 401 } });
      const before = tokenCalls.length;
      expect(await get(`${base}/resource`, policy)).toMatchObject({ kind: 'completed' });
      expect(tokenCalls.length).toBe(before + 1);
    });

    it('sends the password grant with client_secret_basic, as JSON when asked', async () => {
      const policy = oauth2({
        grant: 'password',
        username: 'alice',
        password: 'pw',
        scopes: [],
        audiences: [],
        client: { id: 'app', secret: SECRET, authentication: 'client_secret_basic' },
        request: { encoding: 'application/json' },
        endpoints: { token: '/oauth2/token' },
      });
      expect(await get(`${base}/resource`, policy)).toEqual({ kind: 'completed', output: { ok: true } });
      const call = tokenCalls[tokenCalls.length - 1]!;
      expect(call.contentType).toBe('application/json');
      expect(call.authorization).toBe(`Basic ${Buffer.from(`app:${SECRET}`).toString('base64')}`);
      expect(call.fields).toEqual({ grant_type: 'password', username: 'alice', password: 'pw' });
    });

    it('fails with the authentication error when the authority refuses, naming no secret', async () => {
      const resourceBefore = resourceCalls.length;
      const outcome = await get(`${base}/resource`, oauth2({ client: { id: 'app', secret: 'wrong-secret' } }));
      expect(outcome).toMatchObject({
        kind: 'failed',
        error: {
          type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authentication',
          status: 401,
          instance: expect.stringMatching(/^\/do\/\d+\/call$/) as string,
          detail: expect.stringContaining(`the token request to ${base}/realm/oauth2/token failed`) as string,
        },
      });
      expect(JSON.stringify(outcome)).not.toMatch(/wrong-secret|s3cret/);
      expect(resourceCalls.length).toBe(resourceBefore);
      const badGrant = await get(
        `${base}/resource`,
        oauth2({ grant: 'password', username: 'alice', password: 'nope' }),
      );
      expect(badGrant).toMatchObject({
        kind: 'failed',
        error: { status: 401, detail: expect.stringContaining('400') as string },
      });
    });

    it('sends token requests through the network policy', async () => {
      const outcome = await get(`${base}/resource`, oauth2({ authority: 'http://169.254.169.254/realm' }));
      expect(outcome).toMatchObject({
        kind: 'failed',
        error: { type: expect.stringMatching(/authorization$/) as string, title: 'Destination not allowed' },
      });
      const closed = new HttpCallExecutor(
        new HttpExchange({
          timeoutMs: 500,
          maxResponseBytes: 1024,
          retryDelayMs: 50,
          network: new NetworkPolicy(['127.0.0.0/8']),
        }),
      );
      const viaClosed = await closed.execute(
        request({ method: 'get', endpoint: { uri: 'http://example.invalid/', authentication: oauth2() } }),
        new AbortController().signal,
      );
      expect(viaClosed).toMatchObject({ kind: 'failed', error: { title: 'Destination not allowed' } });
    });

    it.each([
      [{ grant: 'authorization_code' }, "grant 'authorization_code' is not supported"],
      [{ client: { authentication: 'private_key_jwt', id: 'app' } }, 'client.assertion is required'],
      [{ authority: 'not a url' }, 'is not an absolute URL'],
      [{ grant: 'password' }, 'username and password are required'],
    ])('refuses an unusable policy %j as a configuration error', async (overrides, message) => {
      const before = tokenCalls.length;
      expect(await get(`${base}/resource`, oauth2(overrides))).toMatchObject({
        kind: 'failed',
        error: {
          type: expect.stringMatching(/configuration$/) as string,
          detail: expect.stringContaining(message) as string,
        },
      });
      expect(tokenCalls.length).toBe(before);
    });
  });

  describe('oidc', () => {
    const oidc = (scope: string, authority = `${base}/oidc`): JsonObject => ({
      oidc: {
        authority,
        grant: 'client_credentials',
        client: { id: 'app', secret: SECRET },
        scopes: [scope],
        issuers: [`${base}/oidc`],
      },
    });

    it('reads the token endpoint from the OpenID configuration once and uses its token', async () => {
      const reads = discoveryReads.length;
      expect(await get(`${base}/resource`, oidc('one'))).toEqual({ kind: 'completed', output: { ok: true } });
      expect(tokenCalls[tokenCalls.length - 1]!.path).toBe('/oidc/protocol/token');
      expect(await get(`${base}/resource`, oidc('two', `${base}/oidc/.well-known/openid-configuration`))).toMatchObject(
        {
          kind: 'completed',
        },
      );
      expect(discoveryReads.length).toBe(reads + 1);
    });

    it('refuses an authority whose issuer is not listed', async () => {
      const policy = oidc('three');
      (policy.oidc as JsonObject).issuers = ['https://elsewhere.example'];
      expect(await get(`${base}/resource`, policy)).toMatchObject({
        kind: 'failed',
        error: { status: 401, detail: expect.stringContaining('not one of issuers') as string },
      });
    });

    it('authenticates call: openapi the same way', async () => {
      const openapi = new OpenApiCallExecutor(exchange);
      const outcome = await openapi.execute(
        request(
          { document: { endpoint: `${base}/openapi.json` }, operationId: 'thing', authentication: oidc('openapi') },
          't1',
          'openapi',
        ),
        new AbortController().signal,
      );
      expect(outcome).toEqual({ kind: 'completed', output: { ok: true } });
    });
  });

  describe('digest', () => {
    it.each(['md5', 'sha256'])('answers the %s challenge and retries once', async (alg) => {
      const before = digestAttempts;
      const outcome = await get(`${base}/digest/${alg}?x=1`, { digest: { username: 'alice', password: SECRET } });
      expect(outcome).toEqual({
        kind: 'completed',
        output: { user: 'alice', algorithm: alg === 'md5' ? 'MD5' : 'SHA-256', body: '' },
      });
      expect(digestAttempts).toBe(before + 2);
    });

    it('fails with the authentication error when the credentials are refused, naming no secret', async () => {
      const before = digestAttempts;
      const outcome = await get(`${base}/digest/sha256`, { digest: { username: 'alice', password: 'wrong-password' } });
      expect(outcome).toMatchObject({
        kind: 'failed',
        error: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authentication', status: 401 },
      });
      expect(JSON.stringify(outcome)).not.toContain('wrong-password');
      expect(digestAttempts).toBe(before + 2);
    });
  });

  it('still refuses certificate authentication as a configuration error', async () => {
    expect(await get(`${base}/resource`, { certificate: {} })).toMatchObject({
      kind: 'failed',
      error: { detail: "authentication scheme 'certificate' is not supported for call: http" },
    });
  });
});
