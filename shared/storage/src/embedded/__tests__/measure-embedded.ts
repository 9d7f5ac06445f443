/**
 * Measures the embedded database: open time and memory (first start creates the cluster,
 * later ones reopen it), write/read rates through the repositories, and how long a large scan
 * blocks the event loop. Run from the repository root, once per step, each in a fresh process:
 *   node --expose-gc --import tsx shared/storage/src/embedded/__tests__/measure-embedded.ts <dir> open
 *   node --expose-gc --import tsx shared/storage/src/embedded/__tests__/measure-embedded.ts <dir> rates
 *   node --expose-gc --import tsx shared/storage/src/embedded/__tests__/measure-embedded.ts <dir> stall
 */
import { newId } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { EmbeddedDatabase } from '../embedded-database';

const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
const mb = (bytes: number): number => Math.round(bytes / 1e6);

function memory(): { rssMB: number; heapMB: number; externalMB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapMB: mb(m.heapUsed), externalMB: mb(m.external + m.arrayBuffers) };
}

async function open(dir: string): Promise<void> {
  const started = performance.now();
  const db = await EmbeddedDatabase.create(dir, deps);
  const openMs = Math.round(performance.now() - started);
  const atOpen = memory();
  // The first start's initdb memory is released a few seconds later, not at once.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  console.log(JSON.stringify({ step: 'open', openMs, atOpen, after5s: memory() }));
  await db.close();
}

async function rates(dir: string): Promise<void> {
  const db = await EmbeddedDatabase.create(dir, deps);
  const definition = { document: { dsl: '1.0.0', namespace: 'm', name: 'm', version: '1.0.0' }, do: [] };
  const wf = await db.workflows.create('bench', { name: 'm', definition, spec_version: '1.0.0' });
  const n = 2000;
  let t = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { execution } = await db.executions.create('bench', {
      workflow_id: wf.id,
      workflow_version: 1,
      input: { i },
    });
    ids.push(execution.id);
  }
  const createPerS = Math.round(n / ((performance.now() - t) / 1000));
  t = performance.now();
  for (const id of ids) await db.executions.get('bench', id);
  const getPerS = Math.round(n / ((performance.now() - t) / 1000));
  t = performance.now();
  for (const id of ids.slice(0, 500)) {
    await db.events.append('bench', id, [
      {
        specversion: '1.0',
        id: newId('event'),
        source: 'wormhole/worker',
        type: 'io.wormhole.execution.started',
        time: new Date().toISOString(),
        tenantid: 'bench',
        workflowid: wf.id,
        executionid: id,
        data: { input: {}, workflow_version: 1 },
      },
    ]);
  }
  const appendPerS = Math.round(500 / ((performance.now() - t) / 1000));
  console.log(
    JSON.stringify({
      step: 'rates',
      executionCreatePerS: createPerS,
      executionGetPerS: getPerS,
      eventAppendPerS: appendPerS,
      ...memory(),
    }),
  );
  await db.close();
}

/** The longest gap a 5 ms interval timer saw while `query` ran. */
async function timerLag(db: EmbeddedDatabase, query: string): Promise<{ queryMs: number; maxTimerLagMs: number }> {
  let maxGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - 5);
    last = now;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const t = performance.now();
  await db.pool.query(query);
  const queryMs = Math.round(performance.now() - t);
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(ticker);
  return { queryMs, maxTimerLagMs: Math.round(maxGap) };
}

async function stall(dir: string): Promise<void> {
  const db = await EmbeddedDatabase.create(dir, deps);
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS public.stall AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 300000) g`,
  );
  const queries = {
    count: 'SELECT count(*), max(v) FROM public.stall',
    sort: 'SELECT id FROM public.stall ORDER BY v DESC LIMIT 10',
    rows50k: 'SELECT id, v FROM public.stall WHERE id <= 50000',
  };
  for (const [name, query] of Object.entries(queries)) {
    console.log(JSON.stringify({ step: 'stall', rows: 300000, query: name, ...(await timerLag(db, query)) }));
  }
  await db.close();
}

const [dir, step] = process.argv.slice(2);
if (!dir || !step) throw new Error('usage: measure-embedded <dir> open|rates|stall');
const steps: Record<string, (d: string) => Promise<void>> = { open, rates, stall };
const run = steps[step];
if (!run) throw new Error(`unknown step ${step}`);
run(dir).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
