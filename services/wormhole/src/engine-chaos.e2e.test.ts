/*
 * Chaos on the production installation (Postgres + Redis Streams): two worker and two executor
 * processes, 1,000 runs of call / set / wait / call / set, and SIGKILLs of random replicas at
 * random moments while they run (each killed replica is started again). Every run must complete,
 * no transition may be applied twice, every task has one step run, and a call is repeated only
 * where its step had not been recorded when its executor died (at-least-once per step, each
 * request carrying the step's Idempotency-Key).
 *
 * CHAOS_RUNS (default 1,000) and CHAOS_SEED (default: random, printed) reproduce a run.
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootApi } from '@wormhole/api';
import { testServersReachable } from '@wormhole/platform';
import type { EventView, StepView } from './__tests__/engine-harness';
import { Api, FAST_ENGINE_ENV, postgresWithRedisStreams, transitions } from './__tests__/engine-harness';
import type { SpawnedRole } from './__tests__/role-processes';
import { killed, killSpawnedRoles, spawnRole } from './__tests__/role-processes';

const reachable = testServersReachable(['postgres', 'redis']);
const describeIf = reachable ? describe : describe.skip;

const RUNS = Number(process.env.CHAOS_RUNS ?? 1000);
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const EXECUTOR_CONCURRENCY = 20;

/** mulberry32: a seeded generator, so a failing run can be repeated with CHAOS_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The side effect being counted: answers after a few ms and records each Idempotency-Key. */
async function countingStub(): Promise<{ url: string; keys: Map<string, number>; close(): Promise<void> }> {
  const keys = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const key = String(req.headers['idempotency-key'] ?? 'none');
    keys.set(key, (keys.get(key) ?? 0) + 1);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describeIf('chaos: SIGKILL of random workers and executors during many runs (postgres + redis streams)', () => {
  const setup = postgresWithRedisStreams();
  const replicas: { role: SpawnedRole; child: ChildProcess; up: boolean }[] = [];
  let api: Api;
  let stopApi: (() => Promise<void>) | undefined;
  let stub: Awaited<ReturnType<typeof countingStub>>;
  let env: Record<string, string>;
  /** Replicas being started again after a kill. */
  const restarts: Promise<void>[] = [];

  beforeAll(async () => {
    console.log(`chaos: ${RUNS} runs, CHAOS_SEED=${SEED}`);
    stub = await countingStub();
    env = {
      ...FAST_ENGINE_ENV,
      ...(await setup.env()),
      EXECUTOR_CONCURRENCY: String(EXECUTOR_CONCURRENCY),
      HTTP_CALL_ALLOWED_NETWORKS: '127.0.0.0/8',
      // Enough deliveries that a message whose consumers keep dying is not dead-lettered.
      MAX_DELIVERIES: '20',
      // A message is reclaimed from a consumer silent this long. The harness's 1 s would also
      // reclaim from live consumers whose heartbeat a loaded machine delays, and every such
      // reclaim repeats a call: repeats would then measure the machine, not the kills.
      STREAM_CLAIM_IDLE_MS: '5000',
    };
    const apiRole = await bootApi(env);
    stopApi = () => apiRole.stop();
    api = new Api(`http://127.0.0.1:${apiRole.port}`, 'chaos');
    const roles: SpawnedRole[] = ['worker', 'worker', 'executor', 'executor'];
    // One at a time: four processes loading the sources at once starve each other.
    for (const role of roles) replicas.push({ role, child: await spawnRole(role, env), up: true });
  }, 400_000);

  afterAll(async () => {
    await Promise.allSettled(restarts);
    await killSpawnedRoles();
    await stopApi?.();
    await stub?.close();
    await setup.cleanup();
  });

  it(`completes all ${RUNS} runs once each while replicas are killed`, async () => {
    const next = random(SEED);
    const workflow = await api.createWorkflow('chaos', [
      { reserve: { call: 'http', with: { method: 'post', endpoint: `${stub.url}/reserve`, body: { n: '${ .n }' } } } },
      { note: { set: { reserved: true } } },
      { settle: { wait: { milliseconds: 20 } } },
      { charge: { call: 'http', with: { method: 'post', endpoint: `${stub.url}/charge` } } },
      { done: { set: { n: '${ $input.n }', done: true } } },
    ]);

    const ids: string[] = [];
    const starting = (async () => {
      for (let i = 0; i < RUNS; i += 50) {
        const batch = Array.from({ length: Math.min(50, RUNS - i) }, (_, k) =>
          api.execute(workflow, { input: { n: i + k } }),
        );
        ids.push(...(await Promise.all(batch)));
      }
    })();

    // Every 0.3–1.2 s, SIGKILL a random replica whose role still has another one up, and start
    // it again in the background (loading the sources takes seconds), so kills keep coming.
    let kills = 0;
    let chaosOver = false;
    const chaos = (async () => {
      while (!chaosOver && kills < 12) {
        await new Promise((resolve) => setTimeout(resolve, 300 + next() * 900));
        const candidates = replicas.filter((r) => r.up && replicas.some((o) => o !== r && o.role === r.role && o.up));
        if (chaosOver || candidates.length === 0) continue;
        const victim = candidates[Math.floor(next() * candidates.length)]!;
        victim.up = false;
        await killed(victim.child);
        kills++;
        restarts.push(
          spawnRole(victim.role, env).then((child) => {
            victim.child = child;
            victim.up = true;
          }),
        );
      }
    })();

    await starting;
    const ended = async (status: string): Promise<number> => {
      const page = await api.request<{ pagination: { total: number } }>(
        'GET',
        `/executions?workflow_id=${workflow}&status=${status}&size=1`,
      );
      return page.body.pagination.total;
    };
    const counts = { completed: 0, faulted: 0, cancelled: 0 };
    const deadline = Date.now() + 480_000;
    while (Date.now() < deadline) {
      for (const status of ['completed', 'faulted', 'cancelled'] as const) counts[status] = await ended(status);
      if (counts.completed + counts.faulted + counts.cancelled >= ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    chaosOver = true;
    await chaos;
    await Promise.all(restarts);

    const calls = [...stub.keys.values()].reduce((a, b) => a + b, 0);

    console.log(
      `chaos: ${ids.length} runs, ${kills} kills, ${JSON.stringify(counts)}, ${calls} calls for ${2 * ids.length} call steps`,
    );
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(counts).toEqual({ completed: ids.length, faulted: 0, cancelled: 0 });

    // Histories and step runs, for a sample of runs and every run whose calls were repeated.
    const repeatedKeys = [...stub.keys].filter(([, count]) => count > 1).map(([key]) => key);
    const repeatedRuns = new Set(repeatedKeys.map((key) => key.split(':')[0]!));
    const sample = new Set([...ids.filter((_, i) => i % 20 === 0), ...repeatedRuns]);
    for (const id of sample) {
      const execution = await api.execution(id);
      expect(execution.output).toMatchObject({ done: true });
      const events = await api.items<EventView>(`/executions/${id}/events`);
      expect([...transitions(events)].filter(([, count]) => count > 1)).toEqual([]);
      const steps = await api.items<StepView>(`/executions/${id}/steps`);
      expect(steps.map((s) => [s.task_name, s.status])).toEqual([
        ['reserve', 'completed'],
        ['note', 'completed'],
        ['settle', 'completed'],
        ['charge', 'completed'],
        ['done', 'completed'],
      ]);
    }

    // Every call step reached the stub; a repeat only for a step in flight on a killed executor.
    for (const id of ids) {
      expect(stub.keys.get(`${id}:/do/0/reserve:1`) ?? 0).toBeGreaterThanOrEqual(1);
      expect(stub.keys.get(`${id}:/do/3/charge:1`) ?? 0).toBeGreaterThanOrEqual(1);
    }
    const repeats = [...stub.keys.values()].reduce((sum, count) => sum + count - 1, 0);
    expect(repeats).toBeLessThanOrEqual(kills * EXECUTOR_CONCURRENCY);
  }, 900_000);
});
