/*
 * Large payloads end to end: the all-in-one engine on Postgres + Redis Streams with a 1 KiB
 * threshold runs a workflow whose `set` makes a 5 KB string, which then is the input of a
 * `call: http` (so it travels to the executor over the stream; `set` itself runs inline in the
 * worker). The API returns the full value; the tables and the Redis stream entries, read
 * directly, hold references to blobs instead.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { TEST_POSTGRES, poolConfig } from '@wormhole/storage';
import type { BackendSetup, HttpStub } from './__tests__/engine-harness';
import { Api, FAST_ENGINE_ENV, postgresWithRedisStreams, startHttpStub } from './__tests__/engine-harness';
import { bootAllInOne } from './all-in-one';
import { testServersReachable } from '@wormhole/platform';

const SIZE = 5000;
const BIG = 'x'.repeat(SIZE);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRef(value: Json | undefined): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.$blob === 'string' &&
    typeof value.sha256 === 'string' &&
    typeof value.bytes === 'number' &&
    value.bytes > 1024
  );
}

/**
 * Every raw entry (the `event` field) of one Redis stream, read as it is written. Reading starts
 * at once, in the background: entries are trimmed once every group has acknowledged them, so a
 * reader that starts late (a loaded machine) could miss them.
 */
function followStream(key: string): { entries: string[]; until(done: (raw: string) => boolean): Promise<void> } {
  const redis = new Redis('redis://127.0.0.1:6379');
  const entries: string[] = [];
  let lastId = '0-0';
  let stopped = false;
  const reading = (async () => {
    while (!stopped) {
      const read = await redis.xread('COUNT', 100, 'BLOCK', 100, 'STREAMS', key, lastId);
      for (const [, messages] of read ?? []) {
        for (const [id, fields] of messages) {
          lastId = id;
          const at = fields.indexOf('event');
          if (at !== -1) entries.push(fields[at + 1] ?? '');
        }
      }
    }
  })();
  return {
    entries,
    async until(done) {
      try {
        const deadline = Date.now() + 20_000;
        while (!entries.some(done)) {
          if (Date.now() > deadline) throw new Error(`stream ${key}: no matching entry among ${entries.length}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        stopped = true;
        await reading;
        redis.disconnect();
      }
    },
  };
}

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const describeIf = testServersReachable(['postgres', 'redis']) ? describe : describe.skip;

describeIf('large payloads stored out of line (postgres + redis streams, 1 KiB threshold)', () => {
  const setup: BackendSetup = postgresWithRedisStreams();
  let env: Record<string, string>;
  let blobDir: string;
  let app: Awaited<ReturnType<typeof bootAllInOne>>;
  let api: Api;
  let pool: Pool;
  let stub: HttpStub;

  beforeAll(async () => {
    stub = await startHttpStub();
    blobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-e2e-blobs-'));
    env = { ...FAST_ENGINE_ENV, ...(await setup.env()), BLOB_DIR: blobDir, BLOB_THRESHOLD_BYTES: '1024' };
    app = await bootAllInOne(env);
    api = new Api(`http://127.0.0.1:${app.port}`, 'acme');
    pool = new Pool({ ...poolConfig(TEST_POSTGRES), max: 1 });
  });
  afterAll(async () => {
    await app?.stop();
    await pool?.end();
    await stub?.close();
    await setup.cleanup();
    await fs.rm(blobDir, { recursive: true, force: true });
  });

  it('completes, returns the full output, and keeps references in the rows and on the stream', async () => {
    const workflowId = await api.createWorkflow('big-output', [
      { make: { set: { big: `\${ [range(0; ${SIZE})] | map("x") | join("") }`, qty: '${ .qty }' } } },
      {
        price: {
          call: 'http',
          with: { method: 'get', endpoint: `${stub.url}/price` },
          output: { as: '${ $input + {unit_price: .unit_price} }' },
        },
      },
    ]);
    const stream = followStream(`${env.REDIS_KEY_PREFIX}tenant:acme:workflow:${workflowId}:events`);
    const id = await api.execute(workflowId, { input: { qty: 3 } });
    await stream.until((raw) => raw.includes('"io.wormhole.task.completed"'));
    const OUTPUT = { big: BIG, qty: 3, unit_price: 7 };

    // The API gives the full value back, from the row, the steps and the history.
    const done = await api.until(id);
    expect(done).toMatchObject({ status: 'completed', output: OUTPUT });
    const steps = await api.items<{ task_name: string; output?: unknown }>(`/executions/${id}/steps`);
    expect(steps.map((s) => s.task_name)).toEqual(['make', 'price']);
    expect(steps[0]?.output).toEqual({ big: BIG, qty: 3 });
    const events = await api.items<{ type: string; data: { output?: unknown } }>(`/executions/${id}/events`);
    expect(events.find((e) => e.type === 'io.wormhole.execution.completed')?.data.output).toEqual(OUTPUT);
    const listed = await api.request<{ items: { id: string; output?: unknown }[] }>('GET', '/executions');
    expect(listed.body.items.find((e) => e.id === id)?.output).toEqual(OUTPUT);

    // The tables hold references: the execution row, the step run, the history.
    const schema = env.POSTGRES_SCHEMA!;
    const row = await pool.query<{ input: Json; output: Json }>(
      `SELECT input, output FROM ${schema}.executions WHERE tenant_id = 'acme' AND id = $1`,
      [id],
    );
    expect(row.rows[0]?.input).toEqual({ qty: 3 });
    expect(isRef(row.rows[0]?.output)).toBe(true);
    const step = await pool.query<{ output: Json }>(
      `SELECT output FROM ${schema}.step_runs WHERE tenant_id = 'acme' AND execution_id = $1 AND task_name = 'make'`,
      [id],
    );
    expect(step.rows.map((r) => isRef(r.output))).toEqual([true]);
    const history = await pool.query<{ type: string; payload: { [key: string]: Json } }>(
      `SELECT type, payload FROM ${schema}.events WHERE tenant_id = 'acme' AND execution_id = $1 ORDER BY sequence`,
      [id],
    );
    const payloadOf = (type: string): { [key: string]: Json } | undefined =>
      history.rows.find((r) => r.type === type)?.payload;
    expect(isRef(payloadOf('io.wormhole.task.requested')?.input)).toBe(true);
    expect(isRef(payloadOf('io.wormhole.execution.completed')?.output)).toBe(true);
    const anywhere = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT output::text AS t FROM ${schema}.executions WHERE tenant_id = 'acme'
         UNION ALL SELECT output::text FROM ${schema}.step_runs WHERE tenant_id = 'acme'
         UNION ALL SELECT payload::text FROM ${schema}.events WHERE tenant_id = 'acme'
         UNION ALL SELECT state::text FROM ${schema}.execution_snapshots WHERE tenant_id = 'acme'
       ) rows WHERE t LIKE $1`,
      [`%${BIG}%`],
    );
    expect(Number(anywhere.rows[0]?.n)).toBe(0);

    // The Redis stream entries, as written, hold references and never the value.
    const requested = stream.entries
      .map((raw) => JSON.parse(raw) as { type: string; data: { [key: string]: Json } })
      .find((e) => e.type === 'io.wormhole.task.requested');
    expect(isRef(requested?.data.input)).toBe(true);
    expect(stream.entries.length).toBeGreaterThan(1);
    expect(stream.entries.filter((raw) => raw.includes(BIG))).toEqual([]);

    // And the value is on disk once per content, under the tenant.
    const files = await fs.readdir(path.join(blobDir, 'acme'), { recursive: true });
    expect(files.length).toBeGreaterThan(0);
  });
});
