/*
 * Redis restarted without persistence in the middle of a load (every key of the installation
 * deleted: streams, consumer groups, the stream directory, the timers): the runs resume from the
 * database through the reconciler and complete.
 */
import Redis from 'ioredis';
import { testServersReachable } from '@wormhole/platform';
import { EngineUnderTest, postgresWithRedisStreams } from './__tests__/engine-harness';

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
