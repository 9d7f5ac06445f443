/**
 * Workflows per second of the whole engine, beside the machine's floor measured in the same run.
 *
 * The flow: `set` → `call: http` (a local stub) → `set`, started over REST, every role in one
 * process (the all-in-one entry), on Postgres + Redis Streams unless `--embedded` or `--redis`
 * (Redis storage and streams) is given.
 * The floor: raw Redis Streams round trips (XADD, XREADGROUP, XACK) on the same Redis; one run of
 * this flow needs at least 4 such hops (start → worker, request → executor, outcome → worker,
 * plus the API's own write), so the ratio says how far the engine is from that floor.
 *
 * Run: npx tsx services/wormhole/src/bench/engine-bench.ts [runs=1000] [concurrency=50] [--embedded|--redis]
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { BackendSetup } from '../__tests__/engine-harness';
import {
  Api,
  FAST_ENGINE_ENV,
  embedded,
  postgresWithRedisStreams,
  redisOnly,
  startHttpStub,
} from '../__tests__/engine-harness';
import { bootAllInOne } from '../all-in-one';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RUNS = Number(args[0] ?? 1000);
const CONCURRENCY = Number(args[1] ?? 50);
const EMBEDDED = process.argv.includes('--embedded');
const REDIS = process.argv.includes('--redis');

async function rawRoundTripsPerSecond(count: number): Promise<number> {
  const writer = new Redis('redis://127.0.0.1:6379');
  const reader = new Redis('redis://127.0.0.1:6379');
  const key = `bench:floor:${randomUUID()}`;
  await writer.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await writer.xadd(key, '*', 'body', '{"n":1}');
    const read = (await reader.xreadgroup('GROUP', 'g', 'c', 'COUNT', 1, 'BLOCK', 1000, 'STREAMS', key, '>')) as
      [string, [string, string[]][]][] | null;
    const id = read?.[0]?.[1][0]?.[0];
    if (id) await reader.xack(key, 'g', id);
  }
  const perSecond = count / ((performance.now() - started) / 1000);
  await writer.del(key);
  writer.disconnect();
  reader.disconnect();
  return perSecond;
}

async function runAll(api: Api, workflow: string, runs: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const starters = Array.from({ length: concurrency }, async () => {
    while (next < runs) {
      next++;
      await api.execute(workflow, { input: { qty: 3 } });
    }
  });
  await Promise.all(starters);
  for (;;) {
    const page = await api.request<{ total?: number; pagination?: { total: number } }>(
      'GET',
      `/workflows/${workflow}/executions?status=completed&limit=1`,
    );
    const done = page.body.total ?? page.body.pagination?.total ?? 0;
    if (done >= runs) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  const setup: BackendSetup = EMBEDDED ? embedded() : REDIS ? redisOnly() : postgresWithRedisStreams();
  const stub = await startHttpStub();
  const app = await bootAllInOne({
    WORKER_CONCURRENCY: '50',
    ...FAST_ENGINE_ENV,
    ...process.env,
    ...(await setup.env()),
  });
  try {
    const tenant = `bench${randomUUID().slice(0, 8)}`;
    const api = new Api(`http://127.0.0.1:${app.port}`, tenant);
    const workflow = await api.createWorkflow('three-steps', [
      { init: { set: { qty: '${ .qty }' } } },
      {
        price: {
          call: 'http',
          with: { method: 'get', endpoint: `${stub.url}/price` },
          output: { as: '${ {qty: $input.qty, unit_price: .unit_price} }' },
        },
      },
      { total: { set: { total: '${ .qty * .unit_price }' } } },
    ]);
    const warm = await api.createWorkflow('warm-up', [{ hi: { set: { hi: true } } }]);
    await runAll(api, warm, 50, 10);

    const floor = await rawRoundTripsPerSecond(2000);
    const ms = await runAll(api, workflow, RUNS, CONCURRENCY);
    const perSecond = RUNS / (ms / 1000);
    const durations: number[] = [];
    for (let page = 1; durations.length < RUNS; page++) {
      const items = await api.items<{ duration_ms?: number }>(
        `/workflows/${workflow}/executions?limit=100&page=${page}`,
      );
      if (items.length === 0) break;
      durations.push(...items.map((e) => e.duration_ms ?? 0));
    }
    durations.sort((a, b) => a - b);
    const pct = (p: number): number => durations[Math.min(durations.length - 1, Math.floor(durations.length * p))] ?? 0;
    const sample = await api.items<{ id: string }>(`/workflows/${workflow}/executions?limit=1`);
    const one = sample[0] ? await api.execution(sample[0].id) : undefined;
    console.log(
      JSON.stringify(
        {
          installation: setup.name,
          runs: RUNS,
          concurrency: CONCURRENCY,
          seconds: Number((ms / 1000).toFixed(2)),
          workflows_per_second: Math.round(perSecond),
          raw_redis_round_trips_per_second: Math.round(floor),
          ratio_to_floor: Number((perSecond / floor).toFixed(3)),
          ratio_to_floor_per_hop: Number(((perSecond * 4) / floor).toFixed(3)),
          run_latency_ms: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99) },
          sample_output: one?.output,
        },
        null,
        2,
      ),
    );
  } finally {
    await app.stop();
    await stub.close();
    await setup.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
