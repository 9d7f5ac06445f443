/**
 * `npm run bench`: the engine's throughput beside the machine's floor, measured in the same run.
 *
 * Floor: a minimal 3-step flow on raw Redis Streams (floor.ts). Engine: 1-, 3- and 10-step flows
 * (sets inline, calls to a local HTTP stub) on the Redis, Postgres + Redis Streams and embedded
 * installations, all roles in one process. Each figure is reported with its ratio to the floor,
 * printed as a table and written to bench/results/<timestamp>.json.
 *
 * Options: --runs N (default 1000; embedded uses half), --concurrency N (default 50), --quick
 * (200 runs, 3-step only).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendSetup } from '../__tests__/engine-harness';
import { embedded, postgresWithRedisStreams, redisOnly, startHttpStub } from '../__tests__/engine-harness';
import type { EngineFigures, Flow } from './engine-measure';
import { FLOWS, measureEngine } from './engine-measure';
import { measureFloor } from './floor';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = quick ? 200 : option('runs', 1000);
  const concurrency = option('concurrency', 50);
  const flows: readonly Flow[] = quick ? ['3-step'] : FLOWS;

  const floor = await measureFloor(Math.max(runs * 5, 2000), concurrency);
  const stub = await startHttpStub();
  const results: EngineFigures[] = [];
  try {
    const installations: [BackendSetup, number][] = [
      [redisOnly(), runs],
      [postgresWithRedisStreams(), runs],
      [embedded(), Math.max(100, Math.floor(runs / 2))],
    ];
    for (const [setup, n] of installations) results.push(...(await measureEngine(setup, stub, flows, n, concurrency)));
  } finally {
    await stub.close();
  }

  const ratio = (wfs: number): string => (wfs / floor.workflows_per_second).toFixed(3);
  const lines = [
    `| installation | flow | workflows/s | × floor | p50 ms | p99 ms |`,
    `| --- | --- | ---: | ---: | ---: | ---: |`,
    `| floor (raw Redis Streams) | 3-step | ${floor.workflows_per_second} | 1.000 | ${floor.latency_ms.p50} | ${floor.latency_ms.p99} |`,
    ...results.map(
      (r) =>
        `| ${r.installation} | ${r.flow} | ${r.workflows_per_second} | ${ratio(r.workflows_per_second)} | ${r.latency_ms.p50} | ${r.latency_ms.p99} |`,
    ),
  ];
  const table = lines.join('\n');
  console.log(
    `\n${table}\n\n${concurrency} runs in flight; ${os.cpus().length} cores; load average ${os.loadavg()[0]?.toFixed(2)}`,
  );

  const dir = path.resolve(__dirname, '../../../../bench/results');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const report = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, load_average: os.loadavg()[0], node: process.version },
    concurrency,
    floor,
    engine: results.map((r) => ({ ...r, ratio_to_floor: Number(ratio(r.workflows_per_second)) })),
    table,
  };
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
