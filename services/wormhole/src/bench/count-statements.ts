/**
 * Postgres statements per completed 3-step run, by statement: `npx tsx
 * services/wormhole/src/bench/count-statements.ts [runs]` (default 200). Starts the Postgres +
 * Redis Streams installation as the bench does, warms it up, then turns on `log_statement = 'all'`
 * for the database (ALTER DATABASE: new sessions only, so it is set before the engine connects,
 * and reset at the end) and counts, in the server log, the statements naming the installation's
 * schema while `runs` runs go through at saturation. Includes the load generator's polling (the
 * list reads). Needs a local server whose log is readable at LOG (run as root or postgres).
 */
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TEST_POSTGRES, poolConfig } from '@wormhole/storage';
import { postgresWithRedisStreams, startHttpStub } from '../__tests__/engine-harness';
import { EngineProcesses } from './engine-processes';
import { PooledApi } from './pooled-api';
import { flowTasks } from './engine-measure';
import { saturation } from './load';

const LOG = process.env.POSTGRES_LOG ?? '/var/log/postgresql/postgresql-15-main.log';
/** A log entry starts with the default log_line_prefix' timestamp. */
const ENTRY_START = /\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC \[)/;
const STATEMENT = /LOG:\s+(?:statement|execute [^:]*):\s([\s\S]*)$/;

/** Statements of `schema` in `text` (a slice of the server log), by their first 90 characters. */
export function countStatements(text: string, schema: string): Map<string, number> {
  const counts = new Map<string, number>();
  const qualified = new RegExp(`"${schema}"\\.`, 'g');
  for (const entry of text.split(ENTRY_START)) {
    const sql = STATEMENT.exec(entry)?.[1];
    if (sql === undefined || !entry.includes(`"${schema}"`)) continue;
    const key = sql.replace(/\s+/g, ' ').replace(qualified, '').slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function setLogStatement(value: 'all' | undefined): Promise<void> {
  const admin = new Client(poolConfig(TEST_POSTGRES));
  await admin.connect();
  try {
    const database = TEST_POSTGRES.database;
    await admin.query(
      value
        ? `ALTER DATABASE "${database}" SET log_statement = '${value}'`
        : `ALTER DATABASE "${database}" RESET log_statement`,
    );
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 200);
  const stub = await startHttpStub();
  const setup = postgresWithRedisStreams();
  const env = await setup.env();
  const schema = env.POSTGRES_SCHEMA ?? '';
  await setLogStatement('all');
  try {
    const engine = await EngineProcesses.start(env, { workers: 1 });
    const api = new PooledApi(engine.apiUrl, `bench${randomUUID().slice(0, 8)}`);
    try {
      await saturation(api, await api.createWorkflow('warm-up', flowTasks('3-step', stub.url)), 50, 10);
      const workflow = await api.createWorkflow('bench-3-step', flowTasks('3-step', stub.url));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const from = (await fs.stat(LOG)).size;
      const perSecond = await saturation(api, workflow, runs, 50);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = countStatements((await fs.readFile(LOG)).subarray(from).toString(), schema);
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      console.log(`${runs} runs at ${perSecond} wf/s: ${total} statements, ${(total / runs).toFixed(2)} per run`);
      for (const [sql, n] of [...counts].sort((a, b) => b[1] - a[1])) {
        console.log(`${(n / runs).toFixed(2)}  ${sql}`);
      }
    } finally {
      await api.close();
      await engine.stop();
    }
  } finally {
    await setLogStatement(undefined);
    await setup.cleanup();
    await stub.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
