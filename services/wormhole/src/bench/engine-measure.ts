/**
 * Completed workflows per second of the whole engine: every role in one process (the all-in-one
 * entry) on one installation, runs started over REST `concurrency` at a time, with the run
 * latency (start to completion, from the execution rows) at that load.
 */
import { randomUUID } from 'node:crypto';
import type { BackendSetup, HttpStub } from '../__tests__/engine-harness';
import { Api, FAST_ENGINE_ENV } from '../__tests__/engine-harness';
import { bootAllInOne } from '../all-in-one';

export const FLOWS = ['1-step', '3-step', '10-step'] as const;
export type Flow = (typeof FLOWS)[number];

/** The benchmark's workflows: sets (inline in the worker) and calls to a local stub (executor). */
export function flowTasks(flow: Flow, stub: string): unknown[] {
  const call = (name: string): unknown => ({
    [name]: {
      call: 'http',
      with: { method: 'get', endpoint: `${stub}/price` },
      output: { as: '${ $input + {unit_price: .unit_price} }' },
    },
  });
  const set = (name: string, n: number): unknown => ({ [name]: { set: { qty: '${ .qty }', step: n } } });
  switch (flow) {
    case '1-step':
      return [set('only', 1)];
    case '3-step':
      return [
        { init: { set: { qty: '${ .qty }' } } },
        call('price'),
        { total: { set: { total: '${ .qty * .unit_price }' } } },
      ];
    case '10-step':
      return [
        ...[1, 2, 3, 4].map((n) => set(`a${n}`, n)),
        call('price'),
        ...[6, 7, 8, 9].map((n) => set(`b${n}`, n)),
        call('again'),
      ];
  }
}

export interface EngineFigures {
  readonly installation: string;
  readonly flow: Flow;
  readonly runs: number;
  readonly workflows_per_second: number;
  readonly latency_ms: { readonly p50: number; readonly p99: number };
}

async function startRuns(api: Api, workflow: string, runs: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        next++;
        await api.execute(workflow, { input: { qty: 3 } });
      }
    }),
  );
  for (;;) {
    const page = await api.request<{ pagination: { total: number } }>(
      'GET',
      `/workflows/${workflow}/executions?status=completed&limit=1`,
    );
    if (page.body.pagination.total >= runs) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - started;
}

async function runLatencies(api: Api, workflow: string, runs: number): Promise<number[]> {
  const durations: number[] = [];
  for (let page = 1; durations.length < runs; page++) {
    const items = await api.items<{ duration_ms?: number }>(`/workflows/${workflow}/executions?limit=100&page=${page}`);
    if (items.length === 0) break;
    durations.push(...items.map((e) => e.duration_ms ?? 0));
  }
  return durations.sort((a, b) => a - b);
}

/** Boots the engine on `setup`, measures each flow in turn, and tears everything down. */
export async function measureEngine(
  setup: BackendSetup,
  stub: HttpStub,
  flows: readonly Flow[],
  runs: number,
  concurrency: number,
): Promise<EngineFigures[]> {
  const app = await bootAllInOne({
    WORKER_CONCURRENCY: String(concurrency),
    ...FAST_ENGINE_ENV,
    ...process.env,
    LOG_LEVEL: 'silent',
    ...(await setup.env()),
  });
  try {
    const api = new Api(`http://127.0.0.1:${app.port}`, `bench${randomUUID().slice(0, 8)}`);
    const warm = await api.createWorkflow('warm-up', flowTasks('3-step', stub.url));
    await startRuns(api, warm, 50, 10);
    const figures: EngineFigures[] = [];
    for (const flow of flows) {
      const workflow = await api.createWorkflow(`bench-${flow}`, flowTasks(flow, stub.url));
      const ms = await startRuns(api, workflow, runs, concurrency);
      const latencies = await runLatencies(api, workflow, runs);
      const pct = (p: number): number =>
        latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
      figures.push({
        installation: setup.name,
        flow,
        runs,
        workflows_per_second: Math.round(runs / (ms / 1000)),
        latency_ms: { p50: pct(0.5), p99: pct(0.99) },
      });
    }
    return figures;
  } finally {
    await app.stop();
    await setup.cleanup();
  }
}
