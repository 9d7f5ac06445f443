/**
 * The load generator: starts runs over the REST API, as a client would, from the bench's own
 * process, and reads the outcome back from the execution rows (the engine's own clock stamps
 * `started_at` when the API accepts a run and `completed_at` when the worker completes it).
 */
import type { Api } from '../__tests__/engine-harness';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    const v = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
    return Math.round(v * 10) / 10;
  };
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999) };
}

interface Row {
  readonly id: string;
  readonly status: string;
  readonly started_at: string;
  readonly completed_at?: string;
  readonly duration_ms?: number;
}

/** When the last of the rows completed, by the engine's clock (the same machine's as ours). */
function lastCompletion(all: readonly Row[]): number {
  return Math.max(...all.map((r) => (r.completed_at ? Date.parse(r.completed_at) : 0)));
}

/**
 * Waits until `runs` executions of the workflow completed; fails on a faulted one or after
 * `timeoutMs`. Polls slowly on purpose: a status-filtered list is a scan of the tenant's runs in
 * some backends (a Lua script over every run on Redis, blocking the server meanwhile), so a fast
 * poll would slow down the engine it measures. Completion times come from the rows instead.
 */
async function untilCompleted(api: Api, workflow: string, runs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const count = async (status: string): Promise<number> =>
    (
      await api.request<{ pagination: { total: number } }>(
        'GET',
        `/workflows/${workflow}/executions?status=${status}&limit=1`,
      )
    ).body.pagination.total;
  for (let poll = 1; ; poll++) {
    if ((await count('completed')) >= runs) return;
    if (poll % 8 === 0) {
      const faulted = await count('faulted');
      if (faulted > 0) throw new Error(`${faulted} runs of ${workflow} faulted`);
    }
    if (Date.now() > deadline) throw new Error(`runs of ${workflow} not completed after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function rows(api: Api, workflow: string): Promise<Row[]> {
  const all: Row[] = [];
  for (let page = 1; ; page++) {
    const items = await api.items<Row>(`/workflows/${workflow}/executions?limit=100&page=${page}`);
    all.push(...items);
    if (items.length < 100) return all;
  }
}

/**
 * Completed workflows per second at saturation: `runs` started by `concurrency` clients as fast as
 * the API accepts them, timed until the last one completed.
 */
export async function saturation(api: Api, workflow: string, runs: number, concurrency: number): Promise<number> {
  const started = Date.now();
  await startRuns(api, workflow, runs, concurrency);
  await untilCompleted(api, workflow, runs, 120_000);
  return Math.round(runs / ((lastCompletion(await rows(api, workflow)) - started) / 1000));
}

export interface FixedLoadFigures {
  readonly offered_per_second: number;
  readonly runs: number;
  /** Runs accepted per second by the API, as the generator achieved it. */
  readonly achieved_per_second: number;
  /** Start (accepted by the API) to completed, from the execution rows. */
  readonly latency_ms: Percentiles;
  /** Start to the first step running (its step run's started_at), over a sample of runs. */
  readonly dispatch_ms: Percentiles;
}

/**
 * An open-loop load: `rate` runs per second for `seconds`, each started on schedule whether or
 * not earlier ones finished (a closed loop would hide queueing by slowing down with the engine).
 */
export async function fixedLoad(api: Api, workflow: string, rate: number, seconds: number): Promise<FixedLoadFigures> {
  const runs = rate * seconds;
  const started = performance.now();
  const pending: Promise<string>[] = [];
  while (pending.length < runs) {
    const due = Math.min(runs, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (pending.length < due) pending.push(api.execute(workflow, { input: { qty: 3 } }));
    await new Promise((r) => setTimeout(r, 2));
  }
  const ids = await Promise.all(pending);
  const achieved = Math.round(runs / ((performance.now() - started) / 1000));
  await untilCompleted(api, workflow, runs, 120_000);
  const latencies = (await rows(api, workflow)).map((r) => r.duration_ms ?? 0);
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 100)) === 0);
  const dispatch = await Promise.all(
    sample.map(async (id) => {
      const run = (await api.request<Row>('GET', `/executions/${id}`)).body;
      const steps = await api.items<{ started_at: string }>(`/executions/${id}/steps`);
      const first = Math.min(...steps.map((s) => Date.parse(s.started_at)));
      return first - Date.parse(run.started_at);
    }),
  );
  return {
    offered_per_second: rate,
    runs,
    achieved_per_second: achieved,
    latency_ms: percentiles(latencies),
    dispatch_ms: percentiles(dispatch),
  };
}

/** Starts `runs` runs that park in a wait, and resolves once every one is waiting. */
export async function park(api: Api, workflow: string, runs: number, concurrency: number): Promise<void> {
  await startRuns(api, workflow, runs, concurrency);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const waiting = await api.request<{ pagination: { total: number } }>(
      'GET',
      `/workflows/${workflow}/executions?status=waiting&limit=1`,
    );
    if (waiting.body.pagination.total >= runs) return;
    if (Date.now() > deadline) throw new Error(`runs of ${workflow} not all waiting after 180 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts `runs` runs of `workflow` through `concurrency` clients, each starting its next once the last is accepted. */
async function startRuns(api: Api, workflow: string, runs: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        next++;
        await api.execute(workflow, { input: { qty: 3 } });
      }
    }),
  );
}
