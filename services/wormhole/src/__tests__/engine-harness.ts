/*
 * Test support for the engine end to end: backends chosen by env as a user would, a local HTTP
 * stub standing in for the services workflows call, and small REST helpers.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { MongoClient } from 'mongodb';
import {
  TEST_POSTGRES_URL,
  deleteTestRedisKeys,
  dropTestSchema,
  makeTempDataDir,
  mongoTestUrl,
  testBackends,
} from '@wormhole/storage';
import { bootAllInOne } from '../all-in-one';

export interface BackendSetup {
  readonly name: string;
  /** Env of a fresh, isolated installation (own schema, key prefix, database or directory). */
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

/** Settings that keep a test run quick: reclaim and reconcile within a second or two. */
export const FAST_ENGINE_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  API_PORT: '0',
  API_HOST: '127.0.0.1',
  TIMER_POLL_MS: '20',
  STREAM_CLAIM_IDLE_MS: '1000',
  MAX_DELIVERIES: '3',
  SHUTDOWN_GRACE_MS: '5000',
  HTTP_CALL_RETRY_DELAY_MS: '100',
};

function suffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

export function postgresWithRedisStreams(): BackendSetup {
  const id = suffix();
  return {
    name: 'postgres + redis streams',
    env: () =>
      Promise.resolve({
        DATABASE_TYPE: 'postgres',
        POSTGRES_URL: TEST_POSTGRES_URL,
        POSTGRES_SCHEMA: `e2e_${id}`,
        EVENT_STREAM_TYPE: 'redis',
        REDIS_KEY_PREFIX: `e2e:${id}:`,
      }),
    cleanup: async () => {
      await dropTestSchema(`e2e_${id}`);
      await deleteTestRedisKeys(`e2e:${id}:`);
    },
  };
}

export function redisOnly(): BackendSetup {
  const id = suffix();
  return {
    name: 'redis storage + redis streams',
    env: () => Promise.resolve({ DATABASE_TYPE: 'redis', REDIS_KEY_PREFIX: `e2e:${id}:` }),
    cleanup: () => deleteTestRedisKeys(`e2e:${id}:`),
  };
}

export function mongoWithRedisStreams(): BackendSetup {
  const id = suffix();
  const url = mongoTestUrl() ?? '';
  return {
    name: 'mongo + redis streams',
    env: () =>
      Promise.resolve({
        DATABASE_TYPE: 'mongo',
        MONGODB_URL: url,
        MONGODB_DATABASE: `e2e_${id}`,
        REDIS_KEY_PREFIX: `e2e:${id}:`,
      }),
    cleanup: async () => {
      const client = await MongoClient.connect(url);
      await client.db(`e2e_${id}`).dropDatabase();
      await client.close();
      await deleteTestRedisKeys(`e2e:${id}:`);
    },
  };
}

export function embedded(): BackendSetup {
  let dir = '';
  return {
    name: 'embedded (no servers)',
    env: async () => {
      dir = await makeTempDataDir();
      return { DATABASE_TYPE: 'embedded', WORMHOLE_DATA_DIR: dir };
    },
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** Every installation a user can choose whose servers are reachable in this run (embedded always). */
export function everySetup(): BackendSetup[] {
  const backends = testBackends();
  const redis = backends.includes('redis');
  return [
    embedded(),
    ...(redis && backends.includes('postgres') ? [postgresWithRedisStreams()] : []),
    ...(redis ? [redisOnly()] : []),
    ...(redis && backends.includes('mongo') ? [mongoWithRedisStreams()] : []),
  ];
}

/** The outside services a workflow calls: `/price` answers, `/slow` takes its time, `/fail` is 500. */
export interface HttpStub {
  readonly url: string;
  /** Requests received per path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startHttpStub(): Promise<HttpStub> {
  const hits = new Map<string, number>();
  const app = express();
  app.use((req, _res, next) => {
    hits.set(req.path, (hits.get(req.path) ?? 0) + 1);
    next();
  });
  app.get('/price', (_req, res) => {
    res.json({ status: 'ok', unit_price: 7 });
  });
  // Echoes the step's Idempotency-Key, so a test can see which key each call was sent with.
  app.get('/key', (req, res) => {
    res.json({ key: req.header('idempotency-key') ?? null });
  });
  app.get('/slow', (req, res) => {
    const ms = Number(req.query.ms ?? 500);
    setTimeout(() => res.json({ slept: ms }), ms);
  });
  app.get('/fail', (_req, res) => {
    res.status(500).json({ message: 'inventory is down' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A small client of the REST API for one tenant. */
export class Api {
  constructor(
    readonly base: string,
    readonly tenant: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.base}/api/v1/${this.tenant}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async createWorkflow(name: string, tasks: unknown[]): Promise<string> {
    const definition = { document: { dsl: '1.0.0', namespace: 'e2e', name, version: '1.0.0' }, do: tasks };
    const created = await this.request<{ id: string }>('POST', '/workflows', { name, definition });
    if (created.status !== 201) throw new Error(`create workflow: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  async execute(workflowId: string, body: Record<string, unknown> = {}): Promise<string> {
    const started = await this.request<{ id: string }>('POST', `/workflows/${workflowId}/execute`, body);
    if (started.status !== 202) throw new Error(`execute: ${started.status} ${JSON.stringify(started.body)}`);
    return started.body.id;
  }

  async execution(id: string): Promise<ExecutionView> {
    return (await this.request<ExecutionView>('GET', `/executions/${id}`)).body;
  }

  /** Polls until the run is in one of `statuses` (default: any terminal one). */
  async until(
    id: string,
    statuses: readonly string[] = ['completed', 'faulted', 'cancelled'],
    timeoutMs = 20_000,
  ): Promise<ExecutionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = await this.execution(id);
      if (statuses.includes(execution.status)) return execution;
      if (Date.now() > deadline) {
        throw new Error(
          `execution ${id} still ${execution.status} after ${timeoutMs} ms, wanted ${statuses.join('|')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async items<T>(path: string): Promise<T[]> {
    return (await this.request<{ items: T[] }>('GET', path)).body.items;
  }
}

export interface ExecutionView {
  readonly id: string;
  readonly status: string;
  readonly output?: unknown;
  readonly error?: { type: string; status: number; title?: string; detail?: string };
}

export interface StepView {
  readonly task_name: string;
  readonly task_type: string;
  readonly status: string;
  readonly attempt: number;
  readonly duration_ms?: number;
}

export interface EventView {
  readonly id: string;
  readonly type: string;
  readonly data?: { task_path?: string; attempt?: number };
}

/** Each step transition of a run, counted: any count above one is a transition applied twice. */
export function transitions(events: readonly EventView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.type} ${e.data?.task_path ?? ''} ${e.data?.attempt ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Every role in one process (the all-in-one entry) on one installation, with a local HTTP stub. */
export class EngineUnderTest {
  private constructor(
    readonly env: Record<string, string>,
    readonly stub: HttpStub,
    private readonly setup: BackendSetup,
    private app: Awaited<ReturnType<typeof bootAllInOne>>,
    public api: Api,
  ) {}

  /** Boots on a fresh, isolated `setup`, with FAST_ENGINE_ENV and `extraEnv` on top. */
  static async start(setup: BackendSetup, extraEnv: Record<string, string> = {}): Promise<EngineUnderTest> {
    const stub = await startHttpStub();
    const env = { ...FAST_ENGINE_ENV, ...(await setup.env()), ...extraEnv };
    const app = await bootAllInOne(env);
    return new EngineUnderTest(env, stub, setup, app, new Api(`http://127.0.0.1:${app.port}`, 'acme'));
  }

  /** Stops every role and starts them again on the same data. */
  async restart(): Promise<void> {
    await this.app.stop();
    this.app = await bootAllInOne(this.env);
    this.api = new Api(`http://127.0.0.1:${this.app.port}`, 'acme');
  }

  /** Stops the roles and the stub, and removes the installation's data. */
  async stop(): Promise<void> {
    await this.app.stop();
    await this.stub.close();
    await this.setup.cleanup();
  }
}
