/*
 * Redis losing everything in the middle of a load (streams, consumer groups, pending lists, the
 * stream directory, the timers): the runs resume from the database through the reconciler and
 * complete. First with the installation's keys deleted from the shared server, then with a
 * server of the test's own killed with SIGKILL and started again empty, connections and all.
 */
import Redis from 'ioredis';
import { testServersReachable } from '@wormhole/platform';
import { EngineUnderTest, postgresWithRedisStreams } from './__tests__/engine-harness';
import { stepsOnce, waitForEnded } from './__tests__/load-checks';
import { PrivateRedis } from './__tests__/private-redis';

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const describeIf = testServersReachable(['postgres', 'redis']) ? describe : describe.skip;

describeIf('engine after Redis lost everything (postgres + redis streams)', () => {
  let engine: EngineUnderTest;

  beforeAll(async () => {
    engine = await EngineUnderTest.start(postgresWithRedisStreams(), {
      RECONCILE_INTERVAL_MS: '200',
      RECONCILE_PENDING_AFTER_MS: '500',
      RECONCILE_STALLED_AFTER_MS: '1000',
    });
  });
  afterAll(() => engine?.stop());

  it('completes every run, waiting or calling out, from what the database knows', async () => {
    const { api, stub, env } = engine;
    const workflow = await api.createWorkflow('survivor', [
      { nap: { wait: { milliseconds: 800 } } },
      { fetch: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/slow?ms=300` } } },
      { done: { set: { survived: true } } },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await api.execute(workflow, { input: { i } }));
    for (const id of ids) await api.until(id, ['waiting']);

    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${env.REDIS_KEY_PREFIX}*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }

    for (const id of ids) {
      expect(await api.until(id, ['completed', 'faulted', 'cancelled'], 30_000)).toMatchObject({
        status: 'completed',
        output: { survived: true },
      });
    }
  });
});

describeIf('engine after its Redis server restarted empty mid-load (postgres + redis streams)', () => {
  const RUNS = 300;
  let redis: PrivateRedis;
  let engine: EngineUnderTest;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    engine = await EngineUnderTest.start(postgresWithRedisStreams(), {
      REDIS_URL: redis.url,
      EXECUTOR_CONCURRENCY: '20',
      // Far beyond this test: the periodic pass resumes nothing here, so every run that completes
      // was resumed by the catch-up that follows a detected loss.
      RECONCILE_PENDING_AFTER_MS: '600000',
      RECONCILE_STALLED_AFTER_MS: '600000',
    });
  });
  afterAll(async () => {
    await engine?.stop();
    await redis?.kill();
  });

  it(`completes all ${RUNS} runs once each across a SIGKILL and restart of redis-server`, async () => {
    const { api, stub } = engine;
    const workflow = await api.createWorkflow('restart', [
      { nap: { wait: { milliseconds: 300 } } },
      { fetch: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/slow?ms=50` } } },
      { done: { set: { n: '${ $input.n }', done: true } } },
    ]);

    // Starts keep coming while Redis is down and after it is back.
    const ids: string[] = [];
    let started = 0;
    const starting = (async () => {
      for (let i = 0; i < RUNS; i += 25) {
        const batch = Array.from({ length: Math.min(25, RUNS - i) }, (_, k) =>
          api.execute(workflow, { input: { n: i + k } }),
        );
        ids.push(...(await Promise.all(batch)));
        started = ids.length;
      }
    })();
    while (started < RUNS / 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const inFlight = RUNS / 2 - (await waitForEnded(api, workflow, 0, 0)).completed;
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.up();
    const outageEnded = Date.now();
    await starting;

    const counts = await waitForEnded(api, workflow, RUNS, 35_000);
    console.log(
      `redis restart: ${RUNS} runs, ${inFlight} in flight at the kill, all ended ${Date.now() - outageEnded} ms ` +
        `after the restart, ${JSON.stringify(counts)}, ${stub.hits.get('/slow') ?? 0} calls for ${RUNS} call steps`,
    );
    expect(inFlight).toBeGreaterThan(0);
    // One executor that lives through the outage remembers the outcomes it obtained, so the
    // requests the reconciler publishes again are answered without calling again (415-448 calls
    // before it did). The margin allows a request whose first copy never reached the executor.
    expect(stub.hits.get('/slow') ?? 0).toBeLessThanOrEqual(RUNS + RUNS / 50);
    expect(counts).toEqual({ completed: RUNS, faulted: 0, cancelled: 0 });
    expect(new Set(ids).size).toBe(RUNS);
    for (const id of ids) {
      expect(await api.execution(id)).toMatchObject({ status: 'completed', output: { done: true } });
      expect(await stepsOnce(api, id)).toEqual({
        twice: [],
        steps: [
          ['nap', 'completed', 1],
          ['fetch', 'completed', 1],
          ['done', 'completed', 1],
        ],
      });
    }
    expect((await api.request<{ items: unknown[] }>('GET', '/dlq')).body.items).toEqual([]);
  }, 55_000);
});
