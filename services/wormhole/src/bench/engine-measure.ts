/**
 * The engine's figures on one installation, its roles in child processes (engine-processes.ts)
 * and the load from this process over REST (load.ts): completed workflows per second at
 * saturation per flow, start-to-completed and dispatch latency at a fixed offered load, API
 * requests per second, worker memory per parked run, and throughput by number of workers.
 */
import { randomUUID } from 'node:crypto';
import type { BackendSetup, HttpStub } from '../__tests__/engine-harness';
import type { Api } from '../__tests__/engine-harness';
import type { ApiFigures } from './api-throughput';
import { measureApi } from './api-throughput';
import type { CpuPerRun } from './cpu-usage';
import { ownCpuMs, perRun, serversCpuMs } from './cpu-usage';
import { PooledApi } from './pooled-api';
import { EngineProcesses } from './engine-processes';
import type { FixedLoadFigures } from './load';
import { fixedLoad, park, saturation } from './load';

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

export interface FlowFigures {
  readonly flow: Flow;
  readonly runs: number;
  readonly workflows_per_second: number;
}

export interface InstallationFigures {
  readonly installation: string;
  /** Worker processes (0: every role in one process). */
  readonly workers: number;
  readonly saturation: FlowFigures[];
  /** The 3-step flow at a fixed offered load. */
  readonly fixed_load: FixedLoadFigures;
  /** Absent with `--latency`. */
  readonly api?: ApiFigures;
  /**
   * CPU milliseconds per completed 3-step run at saturation, by role, `servers` (Redis and
   * PostgreSQL) and `load` (this process: the clients and the HTTP stub the calls reach).
   */
  readonly cpu_ms_per_run?: CpuPerRun;
}

/** What every party of a measurement spent so far (see cpu_ms_per_run). */
async function cpuReading(engine: EngineProcesses): Promise<CpuPerRun> {
  return { ...engine.cpuByRole(), servers: await serversCpuMs(), load: ownCpuMs() };
}

export interface InstallationPlan {
  readonly flows: readonly Flow[];
  /** Only the fixed load: no API figures (and no flows at saturation). */
  readonly latencyOnly?: boolean;
  readonly runs: number;
  readonly concurrency: number;
  readonly rate: number;
  readonly loadSeconds: number;
  readonly apiSeconds: number;
}

const IN_FLIGHT = 50;

/** Starts the roles on a fresh installation, runs `body` with a client, and removes everything. */
async function withEngine<T>(
  setup: BackendSetup,
  workers: number,
  body: (api: Api, engine: EngineProcesses) => Promise<T>,
): Promise<T> {
  try {
    const engine = await EngineProcesses.start(await setup.env(), { workers });
    try {
      const api = new PooledApi(engine.apiUrl, `bench${randomUUID().slice(0, 8)}`);
      try {
        return await body(api, engine);
      } finally {
        await api.close();
      }
    } finally {
      await engine.stop();
    }
  } finally {
    await setup.cleanup();
  }
}

async function warmUp(api: Api, stub: HttpStub): Promise<void> {
  const warm = await api.createWorkflow('warm-up', flowTasks('3-step', stub.url));
  await saturation(api, warm, 100, 10);
}

/** Saturation per flow, the fixed load and the API, on one installation. */
export async function measureInstallation(
  setup: BackendSetup,
  workers: number,
  stub: HttpStub,
  plan: InstallationPlan,
): Promise<InstallationFigures> {
  return withEngine(setup, workers, async (api, engine) => {
    await warmUp(api, stub);
    const figures: FlowFigures[] = [];
    let cpu: CpuPerRun | undefined;
    for (const flow of plan.flows) {
      const workflow = await api.createWorkflow(`bench-${flow}`, flowTasks(flow, stub.url));
      const before = await cpuReading(engine);
      const wfs = await saturation(api, workflow, plan.runs, plan.concurrency);
      if (flow === '3-step') cpu = perRun(before, await cpuReading(engine), plan.runs);
      figures.push({ flow, runs: plan.runs, workflows_per_second: wfs });
    }
    if (plan.latencyOnly) {
      // Without the flows at saturation before it, the fixed load would meet code not yet
      // optimised by V8 and measure the JIT: the same 3-step flow at saturation warms it instead.
      const warm = await api.createWorkflow('bench-warm-3-step', flowTasks('3-step', stub.url));
      await saturation(api, warm, plan.runs, plan.concurrency);
    }
    const steady = await api.createWorkflow('bench-fixed-load', flowTasks('3-step', stub.url));
    const fixed = await fixedLoad(api, steady, plan.rate, plan.loadSeconds);
    if (plan.latencyOnly) return { installation: setup.name, workers, saturation: figures, fixed_load: fixed };
    // Last: the create measurement leaves a backlog of runs for the worker.
    const target = await api.createWorkflow('bench-api', flowTasks('1-step', stub.url));
    const apiFigures = await measureApi(api, target, plan.apiSeconds);
    return {
      installation: setup.name,
      workers,
      saturation: figures,
      fixed_load: fixed,
      api: apiFigures,
      ...(cpu && { cpu_ms_per_run: cpu }),
    };
  });
}

export interface ScalingFigures {
  readonly workers: number;
  readonly workflows_per_second: number;
}

/** The 3-step flow at saturation with 1, 2, 4… worker processes (the API and the executor one each). */
export async function measureScaling(
  setups: () => BackendSetup,
  counts: readonly number[],
  stub: HttpStub,
  runs: number,
): Promise<ScalingFigures[]> {
  const figures: ScalingFigures[] = [];
  for (const workers of counts) {
    const wfs = await withEngine(setups(), workers, async (api) => {
      await warmUp(api, stub);
      const workflow = await api.createWorkflow('bench-scaling', flowTasks('3-step', stub.url));
      return saturation(api, workflow, runs, IN_FLIGHT);
    });
    figures.push({ workers, workflows_per_second: wfs });
  }
  return figures;
}

export interface ParkedFigures {
  readonly parked: number;
  readonly rss_bytes_per_10k: number;
  readonly heap_bytes_per_10k: number;
}

/** The worker's growth in RSS and V8 heap for runs parked in a one-hour `wait`, scaled to 10,000. */
export async function measureParked(setup: BackendSetup, stub: HttpStub, runs: number): Promise<ParkedFigures> {
  let engine: EngineProcesses | undefined;
  let api: PooledApi | undefined;
  try {
    engine = await EngineProcesses.start(await setup.env(), { workers: 1 });
    api = new PooledApi(engine.apiUrl, `bench${randomUUID().slice(0, 8)}`);
    await warmUp(api, stub);
    const workflow = await api.createWorkflow('bench-parked', [
      { init: { set: { qty: '${ .qty }' } } },
      { nap: { wait: { hours: 1 } } },
    ]);
    const before = await engine.workerMemory();
    await park(api, workflow, runs, IN_FLIGHT);
    const after = await engine.workerMemory();
    const per10k = (bytes: number): number => Math.round((bytes * 10_000) / runs);
    return {
      parked: runs,
      rss_bytes_per_10k: per10k(after.rss_bytes - before.rss_bytes),
      heap_bytes_per_10k: per10k(after.heap_used_bytes - before.heap_used_bytes),
    };
  } finally {
    await api?.close();
    await engine?.stop();
    await setup.cleanup();
  }
}
