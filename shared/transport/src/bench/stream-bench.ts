/**
 * What RedisEventStream costs over raw Redis Streams commands, on the same Redis:
 *   - round trip: publish one event, wait until a consumer's handler has it, repeat;
 *   - throughput: publish a burst, consume and acknowledge all of it.
 * The table-backed PostgresEventStream is measured the same way, for comparison.
 * Run: npx tsx shared/transport/src/bench/stream-bench.ts [redis-url] [postgres-url]   (about 20 s)
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { engineEvent } from '@wormhole/interfaces';
import type { EngineEvent, EventStream } from '@wormhole/interfaces';
import { PostgresEventStream, RedisEventStream } from '../index';

const URL = process.argv[2] ?? 'redis://127.0.0.1:6379';
const PG_URL = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUND_TRIPS = 2000;
const BURST = 20000;
const PG_BURST = 5000;

interface Figures {
  readonly roundTripsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly burstPerSecond: number;
}

function event(tenant: string, workflow: string, execution: string, n: number): EngineEvent {
  const subject = { tenantid: tenant, workflowid: workflow, executionid: execution };
  return engineEvent('io.wormhole.execution.started', '/bench', subject, { input: { n }, workflow_version: 1 });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function rawRoundTrips(redis: Redis, reader: Redis, key: string, body: string): Promise<number[]> {
  await redis.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
  const latencies: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now();
    const read = reader.xreadgroup('GROUP', 'g', 'c', 'COUNT', 10, 'BLOCK', 1000, 'STREAMS', key, '>');
    await redis.xadd(key, '*', 'event', body);
    const reply = await read;
    const id = reply?.[0]?.[1][0]?.[0];
    if (id === undefined) throw new Error('raw read returned nothing');
    JSON.parse(reply?.[0]?.[1][0]?.[1]?.[1] ?? 'null');
    // Like the event stream, the ack is not part of the round trip: the handler has run by now.
    void redis.xack(key, 'g', id);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

async function rawBurst(redis: Redis, key: string, body: string): Promise<number> {
  await redis.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
  const start = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => redis.xadd(key, '*', 'event', body)));
  let done = 0;
  while (done < BURST) {
    const reply = await redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 500, 'STREAMS', key, '>');
    const entries = reply?.[0]?.[1] ?? [];
    for (const [id, fields] of entries) {
      JSON.parse(fields?.[1] ?? 'null');
      void redis.xack(key, 'g', id);
    }
    done += entries.length;
  }
  await redis.ping();
  return BURST / ((performance.now() - start) / 1000);
}

async function measureRaw(prefix: string): Promise<Figures> {
  const redis = new Redis(URL, { enableAutoPipelining: true });
  const reader = new Redis(URL);
  const body = JSON.stringify(event('bench', 'wf_raw', 'ex_raw', 0));
  try {
    const latencies = await rawRoundTrips(redis, reader, `${prefix}raw:rt`, body);
    const burstPerSecond = await rawBurst(redis, `${prefix}raw:burst`, body);
    return summarize(latencies, burstPerSecond);
  } finally {
    await Promise.all([redis.quit(), reader.quit()]);
  }
}

async function measureStream(stream: EventStream, burstSize: number): Promise<Figures> {
  let waiting: (() => void) | undefined;
  let handled = 0;
  const subscription = stream.subscribe({ group: 'bench', consumer: 'c1', concurrency: 16 }, () => {
    handled++;
    waiting?.();
    return Promise.resolve();
  });
  try {
    const until = (count: number): Promise<void> =>
      new Promise((resolve) => {
        waiting = () => handled >= count && resolve();
        waiting();
      });
    await stream.publish(event('bench', 'wf_warm', 'ex_warm', 0));
    await until(1);
    const latencies: number[] = [];
    const events = Array.from({ length: ROUND_TRIPS }, (_, i) => event('bench', 'wf_rt', 'ex_rt', i));
    await stream.publish(event('bench', 'wf_rt', 'ex_rt', -1));
    await until(2);
    for (const next of events) {
      const start = performance.now();
      const target = handled + 1;
      await stream.publish(next);
      await until(target);
      latencies.push(performance.now() - start);
    }
    // 64 executions in one workflow, so lanes and concurrency come into play. Built before the
    // clock starts: generating 20k event ids (ULIDs) alone takes about a second.
    const burst = Array.from({ length: burstSize }, (_, i) => event('bench', 'wf_burst', `ex_${i % 64}`, i));
    // The first publish to a stream registers it; the burst should measure the steady state.
    const before = handled;
    await stream.publish(event('bench', 'wf_burst', 'ex_0', -1));
    await until(before + 1);
    const start = performance.now();
    const target = handled + burstSize;
    await Promise.all(burst.map((e) => stream.publish(e)));
    await until(target);
    return summarize(latencies, burstSize / ((performance.now() - start) / 1000));
  } finally {
    await subscription.close();
    await stream.close();
  }
}

function summarize(latencies: number[], burstPerSecond: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((sum, l) => sum + l, 0);
  return {
    roundTripsPerSecond: Math.round(latencies.length / (total / 1000)),
    p50Ms: Number(percentile(sorted, 0.5).toFixed(3)),
    p99Ms: Number(percentile(sorted, 0.99).toFixed(3)),
    burstPerSecond: Math.round(burstPerSecond),
  };
}

async function cleanup(prefix: string): Promise<void> {
  const redis = new Redis(URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

async function measurePostgres(): Promise<Figures> {
  const schema = `wh_bench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const pool = new Pool({ connectionString: PG_URL, max: 4 });
  try {
    const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
    return await measureStream(await PostgresEventStream.create(pool, { schema }, deps), PG_BURST);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

async function main(): Promise<void> {
  const prefix = `wh-bench:${randomUUID().slice(0, 8)}:`;
  try {
    const raw = await measureRaw(prefix);
    const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
    const wrapped = await measureStream(
      await RedisEventStream.create({ url: URL, keyPrefix: `${prefix}es:` }, deps),
      BURST,
    );
    const postgres = await measurePostgres();
    const figures = { roundTrips: ROUND_TRIPS, burst: BURST, pgBurst: PG_BURST, raw, eventStream: wrapped, postgres };
    console.log(JSON.stringify(figures, null, 2));
    console.log(
      `round trip: ${wrapped.roundTripsPerSecond}/s vs raw ${raw.roundTripsPerSecond}/s ` +
        `(ratio ${(wrapped.roundTripsPerSecond / raw.roundTripsPerSecond).toFixed(2)}); ` +
        `burst: ${wrapped.burstPerSecond}/s vs raw ${raw.burstPerSecond}/s ` +
        `(ratio ${(wrapped.burstPerSecond / raw.burstPerSecond).toFixed(2)})`,
    );
  } finally {
    await cleanup(prefix);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
