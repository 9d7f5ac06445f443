/**
 * The machine's floor for a 3-step flow: the least any engine on Redis Streams must do. A start
 * event goes to a "worker" consumer group, which records step 1 in a Redis hash and sends a task
 * request to an "executor" group; the executor answers at once; the worker records step 3 and the
 * run is complete. Messages are read in batches and written with pipelining, as a tuned engine
 * would. Nothing else: no history, no validation, no expressions.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { CpuPerRun } from './cpu-usage';
import { ownCpuMs, perRun, serversCpuMs } from './cpu-usage';
import type { Percentiles } from './load';
import { percentiles } from './load';

export interface FloorFigures {
  readonly workflows_per_second: number;
  readonly latency_ms: Percentiles;
  /** CPU milliseconds per run: its loops (`load`, all in this process) and Redis (`servers`). */
  readonly cpu_ms_per_run: CpuPerRun;
}

/**
 * How runs are started: `concurrency` in flight, a new one as each completes (saturation), or
 * `rate` per second on a schedule whatever the completions (a fixed offered load).
 */
export type FloorLoad = { readonly concurrency: number } | { readonly rate: number };

type Entries = [string, [string, string[]][]][] | null;

export async function measureFloor(
  runs: number,
  load: FloorLoad,
  url = 'redis://127.0.0.1:6379',
): Promise<FloorFigures> {
  const prefix = `bench:floor:${randomUUID()}`;
  const events = `${prefix}:events`;
  const tasks = `${prefix}:tasks`;
  const writer = new Redis(url, { enableAutoPipelining: true });
  const workerReader = new Redis(url);
  const executorReader = new Redis(url);
  await writer.xgroup('CREATE', events, 'worker', '0', 'MKSTREAM');
  await writer.xgroup('CREATE', tasks, 'executor', '0', 'MKSTREAM');

  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  let done = 0;
  let launched = 0;
  let stopping = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const launch = (): void => {
    if (launched >= runs) return;
    launched++;
    const run = `r${launched}`;
    startedAt.set(run, performance.now());
    void writer.xadd(events, '*', 'kind', 'start', 'run', run);
  };

  const worker = async (): Promise<void> => {
    while (!stopping) {
      const read = (await workerReader.xreadgroup(
        'GROUP',
        'worker',
        'w',
        'COUNT',
        200,
        'BLOCK',
        50,
        'STREAMS',
        events,
        '>',
      )) as Entries;
      const batch = writer.pipeline();
      const completed: string[] = [];
      for (const [, messages] of read ?? []) {
        for (const [id, fields] of messages) {
          const kind = fields[1];
          const run = fields[3] ?? '';
          if (kind === 'start') {
            batch.hset(`${prefix}:run:${run}`, 'step', '1', 'status', 'running');
            batch.xadd(tasks, '*', 'run', run);
          } else {
            batch.hset(`${prefix}:run:${run}`, 'step', '3', 'status', 'completed');
            completed.push(run);
          }
          batch.xack(events, 'worker', id);
        }
      }
      if (batch.length > 0) await batch.exec();
      for (const run of completed) {
        latencies.push(performance.now() - (startedAt.get(run) ?? 0));
        done++;
        if (done >= runs) finish();
        if ('concurrency' in load) launch();
      }
    }
  };

  const executor = async (): Promise<void> => {
    while (!stopping) {
      const read = (await executorReader.xreadgroup(
        'GROUP',
        'executor',
        'e',
        'COUNT',
        200,
        'BLOCK',
        50,
        'STREAMS',
        tasks,
        '>',
      )) as Entries;
      const batch = writer.pipeline();
      for (const [, messages] of read ?? []) {
        for (const [id, fields] of messages) {
          batch.xadd(events, '*', 'kind', 'result', 'run', fields[1] ?? '');
          batch.xack(tasks, 'executor', id);
        }
      }
      if (batch.length > 0) await batch.exec();
    }
  };

  const cpuBefore = { load: ownCpuMs(), servers: await serversCpuMs(url) };
  const loops = [worker(), executor()];
  const started = performance.now();
  let schedule: NodeJS.Timeout | undefined;
  if ('concurrency' in load) {
    for (let i = 0; i < load.concurrency; i++) launch();
  } else {
    schedule = setInterval(() => {
      const due = Math.min(runs, Math.floor(((performance.now() - started) / 1000) * load.rate) + 1);
      while (launched < due) launch();
    }, 2);
  }
  await finished;
  clearInterval(schedule);
  const seconds = (performance.now() - started) / 1000;
  const cpu = perRun(cpuBefore, { load: ownCpuMs(), servers: await serversCpuMs(url) }, runs);
  stopping = true;
  await Promise.all(loops);
  const keys = await writer.keys(`${prefix}*`);
  for (let i = 0; i < keys.length; i += 500) await writer.del(...keys.slice(i, i + 500));
  writer.disconnect();
  workerReader.disconnect();
  executorReader.disconnect();
  return { workflows_per_second: Math.round(runs / seconds), latency_ms: percentiles(latencies), cpu_ms_per_run: cpu };
}
