/*
 * Postgres dropping the engine's connections in the middle of a load: every session of the
 * installation (found by its application_name) is terminated with pg_terminate_backend, several
 * times, while hundreds of runs call, wait and call. No role may crash (an 'error' event of a pg
 * client nobody listens to would end the process), and every run must complete with each step
 * applied once: the handlers that lost their connection retry, nothing is acknowledged unhandled.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testServersReachable } from '@wormhole/platform';
import { TEST_POSTGRES, poolConfig } from '@wormhole/storage';
import { EngineUnderTest, postgresWithRedisStreams } from './__tests__/engine-harness';
import { stepsOnce, waitForEnded } from './__tests__/load-checks';

const describeIf = testServersReachable(['postgres', 'redis']) ? describe : describe.skip;

// With the table-backed stream the acknowledgements are Postgres writes too, and cut as well. It
// moves 300 runs about three times slower on a loaded machine, hence fewer runs there.
const transports: { transport: string; env: Record<string, string>; runs: number }[] = [
  { transport: 'redis streams', env: {}, runs: 300 },
  { transport: 'the postgres stream', env: { EVENT_STREAM_TYPE: 'postgres' }, runs: 150 },
];

describeIf.each(transports)(
  'engine while Postgres terminates its connections (postgres + $transport)',
  ({ transport, env, runs: RUNS }) => {
    const TERMINATIONS = 10;
    // Distinct per run of this file, so only this installation's sessions are terminated.
    const applicationName = `wormhole_faults_${randomUUID().slice(0, 8)}`;
    let engine: EngineUnderTest;
    let admin: Client;

    beforeAll(async () => {
      engine = await EngineUnderTest.start(postgresWithRedisStreams(), {
        POSTGRES_APPLICATION_NAME: applicationName,
        EXECUTOR_CONCURRENCY: '20',
        // Leases of 5 s rather than the harness's 1 s (the default is 30 s): ten cuts in 2.5 s
        // keep the pools reconnecting, and a heartbeat waiting that long for a connection is not
        // a lost acknowledgement. One lost for good still shows: its message is reclaimed after
        // 5 s, well within the wait for the runs to end.
        STREAM_CLAIM_IDLE_MS: '5000',
        ...env,
      });
      admin = new Client(poolConfig(TEST_POSTGRES));
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await engine?.stop();
    });

    /** Terminates every session of the installation; returns how many there were, and how many were busy. */
    async function terminateAll(): Promise<{ sessions: number; busy: number }> {
      const result = await admin.query<{ terminated: boolean; state: string | null }>(
        'SELECT pg_terminate_backend(pid) AS terminated, state FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      const cut = result.rows.filter((row) => row.terminated);
      return { sessions: cut.length, busy: cut.filter((row) => row.state !== 'idle').length };
    }

    /** The sum of a counter of the engine's /metrics over the series matching `labels`. */
    async function metric(name: string, labels = ''): Promise<number> {
      const text = await (await fetch(`${engine.api.base}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    }

    it(`completes all ${RUNS} runs once each while their connections are terminated 10 times`, async () => {
      const { api, stub } = engine;
      const workflow = await api.createWorkflow('dropped', [
        { reserve: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/slow?ms=20` } } },
        { note: { set: { reserved: true } } },
        { settle: { wait: { milliseconds: 100 } } },
        { charge: { call: 'http', with: { method: 'get', endpoint: `${stub.url}/price` } } },
        { done: { set: { n: '${ $input.n }', done: true } } },
      ]);
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i += 50) {
        const batch = Array.from({ length: Math.min(50, RUNS - i) }, (_, k) =>
          api.execute(workflow, { input: { n: i + k } }),
        );
        ids.push(...(await Promise.all(batch)));
      }

      const terminated: { sessions: number; busy: number }[] = [];
      const loadStarted = Date.now();
      for (let round = 0; round < TERMINATIONS; round++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        terminated.push(await terminateAll());
      }
      const cutAt = Date.now() - loadStarted;
      const counts = await waitForEnded(api, workflow, RUNS, 35_000);
      const retries = await metric('wormhole_transport_handler_retries_total');
      const failed = await metric('wormhole_transport_handled_total', 'outcome="error"');
      const reclaimed = await metric('wormhole_transport_reclaimed_total');
      console.log(
        `postgres drops (${transport}): ${RUNS} runs, terminations over ${cutAt} ms, all ended after ${Date.now() - loadStarted} ms, ` +
          `sessions terminated per round ${JSON.stringify(terminated)}, ` +
          `${JSON.stringify(counts)}, ${retries} handler retries, ${failed} handler failures left for redelivery, ${reclaimed} messages reclaimed, calls ${stub.hits.get('/slow') ?? 0} + ${stub.hits.get('/price') ?? 0} ` +
          `for ${2 * RUNS} call steps`,
      );
      // Every round found live sessions: the load was still running when they were cut.
      expect(terminated.every((round) => round.sessions > 0)).toBe(true);
      // Handlers whose statements were cut ran again in place; none waited for redelivery.
      expect(retries).toBeGreaterThan(0);
      expect(failed).toBe(0);
      // Acknowledgements cut off were written again in place: no message waited to be reclaimed.
      expect(reclaimed).toBe(0);
      expect(counts).toEqual({ completed: RUNS, faulted: 0, cancelled: 0 });
      for (const id of ids) {
        expect(await api.execution(id)).toMatchObject({ status: 'completed', output: { done: true } });
        expect(await stepsOnce(api, id)).toEqual({
          twice: [],
          steps: [
            ['reserve', 'completed', 1],
            ['note', 'completed', 1],
            ['settle', 'completed', 1],
            ['charge', 'completed', 1],
            ['done', 'completed', 1],
          ],
        });
      }
      expect((await api.request<{ items: unknown[] }>('GET', '/dlq')).body.items).toEqual([]);
    }, 55_000);
  },
);
