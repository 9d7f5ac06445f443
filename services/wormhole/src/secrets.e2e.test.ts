/*
 * `use.secrets` end to end: a workflow authenticates with a secret (basic auth, inline and through
 * use.authentications; an oauth2 client secret), the stub even echoes the password back, and afterwards the secret's value
 * is nowhere a user or operator could read it: not in the API's answers (execution, steps, events,
 * logs), not in the process's log output, and (embedded) not in the data directory's files.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { BackendSetup } from './__tests__/engine-harness';
import { EngineUnderTest, everySetup } from './__tests__/engine-harness';

const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const USERNAME = `user-${randomBytes(6).toString('hex')}`;
const CLIENT_SECRET = `cs-${randomBytes(12).toString('hex')}`;

/**
 * An endpoint behind basic auth that answers with the password it was given (a careless service),
 * and an OAuth2 token endpoint (client `wormhole` with CLIENT_SECRET) with a resource that only
 * takes the tokens it issued.
 */
async function startSecureStub(): Promise<{
  url: string;
  authorized: () => number;
  tokens: string[];
  close(): Promise<void>;
}> {
  let authorized = 0;
  const tokens: string[] = [];
  const app = express();
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    const fields = req.body as Record<string, string | undefined>;
    if (fields.client_id !== 'wormhole' || fields.client_secret !== CLIENT_SECRET) {
      return void res.status(401).json({ error: 'invalid_client', echoed: fields.client_secret });
    }
    const token = `at-${randomBytes(12).toString('hex')}`;
    tokens.push(token);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 600 });
  });
  app.get('/api', (req, res) => {
    if (!tokens.some((t) => req.headers.authorization === `Bearer ${t}`)) return void res.status(401).end();
    res.json({ ok: true });
  });
  app.get('/secure', (req, res) => {
    const expected = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return void res.status(401).json({ message: 'who are you?' });
    authorized += 1;
    res.json({ user: USERNAME, echoed: `your password is ${PASSWORD}` });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorized: () => authorized,
    tokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await fs.readFile(file)).includes(needle)) found.push(file);
  }
  return found;
}

describe.each(everySetup())('secrets on $name', (setup: BackendSetup) => {
  let engine: EngineUnderTest;
  let secure: Awaited<ReturnType<typeof startSecureStub>>;
  const written: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    // Everything the process writes is kept to be searched. Winston's console transport writes to
    // `console._stdout` when the console has one (jest's own console does, when jest runs several
    // test files; then it is not process.stdout), else through console.log.
    const consoleStreams = console as unknown as { _stdout?: NodeJS.WritableStream; _stderr?: NodeJS.WritableStream };
    const streams = new Set([process.stdout, process.stderr, consoleStreams._stdout, consoleStreams._stderr]);
    for (const stream of streams) {
      if (stream === undefined) continue;
      const original = stream.write.bind(stream);
      stream.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = original));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]): void => {
        written.push(`${args.map(String).join(' ')}\n`);
        original.apply(console, args);
      };
      restore.push(() => (console[method] = original));
    }
    secure = await startSecureStub();
    engine = await EngineUnderTest.start(setup, {
      LOG_LEVEL: 'debug',
      SECRETS_ENV_PREFIX: 'E2E_SECRET_',
      E2E_SECRET_apiCreds: JSON.stringify({ username: USERNAME, password: PASSWORD }),
      E2E_SECRET_notListed: 'never-seen',
      E2E_SECRET_tokenClient: JSON.stringify({ id: 'wormhole', secret: CLIENT_SECRET }),
    });
    // Booting an installation can take a while on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await secure?.close();
    for (const undo of restore) undo();
  });

  it('authenticates with a secret and leaves no trace of it in events, steps, logs or API answers', async () => {
    const { api } = engine;
    const basic = { username: '${ $secrets.apiCreds.username }', password: '${ $secrets.apiCreds.password }' };
    const definition = {
      document: { dsl: '1.0.0', namespace: 'e2e', name: 'secret-basic', version: '1.0.0' },
      use: { secrets: ['apiCreds'], authentications: { service: { basic } } },
      do: [
        {
          inline: {
            call: 'http',
            with: { method: 'get', endpoint: { uri: `${secure.url}/secure`, authentication: { basic } } },
            output: { as: '${ {first: .} }' },
          },
        },
        {
          referenced: {
            call: 'http',
            with: {
              method: 'get',
              endpoint: { uri: `${secure.url}/secure`, authentication: { use: 'service' } },
              output: 'response',
            },
            output: { as: '${ $input + {second: .} }' },
          },
        },
        {
          check: {
            set: { first: '${ .first }', second: '${ .second.content }', notListed: '${ $secrets.notListed }' },
          },
        },
      ],
    };
    const created = await api.request<{ id: string }>('POST', '/workflows', { name: 'secret-basic', definition });
    expect(created.status).toBe(201);
    const id = await api.execute(created.body.id, { input: {} });
    const done = await api.until(id);
    expect(done.status).toBe('completed');
    expect(secure.authorized()).toBe(2);
    const output = done.output as { first: { user: string; echoed: string }; notListed: unknown };
    // The whole secret is concealed where it comes back, the username as much as the password.
    expect(output.first.user).toMatch(/^@@wormhole-secret\/apiCreds\/username\/[0-9a-f]{24}@@$/);
    // The echo comes back with the placeholder where the password was.
    expect(output.first.echoed).toMatch(/^your password is @@wormhole-secret\/apiCreds\/password\/[0-9a-f]{24}@@$/);
    expect(output.notListed).toBeNull();

    const answers = await Promise.all(
      [
        `/executions/${id}`,
        `/executions/${id}/steps`,
        `/executions/${id}/events`,
        `/executions/${id}/logs`,
        '/executions',
      ].map((p) => api.request<unknown>('GET', p)),
    );
    const events = JSON.stringify(answers[2]!.body);
    expect(events).toContain('io.wormhole.task.requested');
    expect(events).toContain('@@wormhole-secret/apiCreds/password/');
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
      expect(JSON.stringify(answer.body)).not.toContain(USERNAME);
    }
    const logs = written.join('');
    expect(logs).toContain('"message":"executor started"'); // the capture does see the process's logs
    expect(logs).not.toContain(PASSWORD);
    const dataDir = engine.env.WORMHOLE_DATA_DIR;
    if (dataDir !== undefined) expect(await filesContaining(dataDir, PASSWORD)).toEqual([]);
  }, 60_000);

  it('requests oauth2 tokens with a secret client secret, and neither the secret nor the token is kept', async () => {
    const { api } = engine;
    const oauth2 = (secret: string) => ({
      oauth2: {
        authority: secure.url,
        endpoints: { token: '/token' },
        grant: 'client_credentials',
        client: { id: '${ $secrets.tokenClient.id }', secret },
      },
    });
    const call = (secret: string) => ({
      call: 'http',
      with: { method: 'get', endpoint: { uri: `${secure.url}/api`, authentication: oauth2(secret) } },
    });
    const definition = {
      document: { dsl: '1.0.0', namespace: 'e2e', name: 'secret-oauth2', version: '1.0.0' },
      use: { secrets: ['tokenClient'] },
      do: [
        { first: { ...call('${ $secrets.tokenClient.secret }'), output: { as: '${ {first: .ok} }' } } },
        { second: { ...call('${ $secrets.tokenClient.secret }'), output: { as: '${ $input + {second: .ok} }' } } },
        {
          refused: {
            try: [{ wrongSecret: call('${ $secrets.tokenClient.secret + "-wrong" }') }],
            catch: {
              errors: { with: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authentication' } },
              as: 'problem',
              do: [{ note: { set: { refused: '${ $problem.status }', detail: '${ $problem.detail }' } } }],
            },
          },
        },
      ],
    };
    const created = await api.request<{ id: string }>('POST', '/workflows', { name: 'secret-oauth2', definition });
    expect(created.status).toBe(201);
    const id = await api.execute(created.body.id, { input: {} });
    const done = await api.until(id);
    expect(done.status).toBe('completed');
    expect(done.output).toMatchObject({ refused: 401, detail: expect.stringContaining('/token failed') as string });
    // Two calls, one token: the second call reused the cached one.
    expect(secure.tokens).toHaveLength(1);

    const answers = await Promise.all(
      [`/executions/${id}`, `/executions/${id}/steps`, `/executions/${id}/events`, `/executions/${id}/logs`].map((p) =>
        api.request<unknown>('GET', p),
      ),
    );
    expect(JSON.stringify(answers[2]!.body)).toContain('@@wormhole-secret/tokenClient/secret/');
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(answer.body)).not.toContain(secure.tokens[0]!);
    }
    const logs = written.join('');
    expect(logs).not.toContain(CLIENT_SECRET);
    expect(logs).not.toContain(secure.tokens[0]!);
    const dataDir = engine.env.WORMHOLE_DATA_DIR;
    if (dataDir !== undefined) {
      expect(await filesContaining(dataDir, CLIENT_SECRET)).toEqual([]);
      expect(await filesContaining(dataDir, secure.tokens[0]!)).toEqual([]);
    }
  }, 60_000);
});
