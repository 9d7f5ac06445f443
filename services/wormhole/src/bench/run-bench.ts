/**
 * `npm run bench`: the engine beside two baselines measured in the same run on the same machine.
 *
 * Baseline 1, the floor: a minimal 3-step flow on raw Redis Streams (floor.ts). Baseline 2, the
 * job-queue peer: BullMQ with a no-op processor (bullmq-baseline.ts). Baseline 3, the REST floor: a
 * bare Express POST route (rest-floor.ts), what any run started over REST costs at least. The engine (its roles as
 * child processes, the load from this process over REST): 1-, 3- and 10-step flows at saturation
 * on the Redis, Postgres + Redis Streams and embedded installations; the 3-step flow at a fixed
 * offered load (start-to-completed and dispatch latency); API requests per second; worker memory
 * per 10k runs parked in a wait; throughput with 1, 2 and 4 worker processes. Prints tables with
 * ratios and writes bench/results/<timestamp>.json.
 *
 * Options: --quick (small sizes, 3-step only: a smoke test of the bench itself), --runs N
 * (saturation runs per flow on Redis, default 2000, so the CPU per run is not the idle polling's; Postgres half, embedded a quarter), --rate N (offered load, default 200/s), --only a,b
 * (sections: floor, bullmq, rest, redis, postgres, embedded, scaling, parked), --flows a,b (1-step,
 * 3-step, 10-step), --latency (of each installation only the fixed load: no saturation flows and no
 * API figures, about 15 s for `--only redis`), --seconds N (length of the fixed load, default 5 s on
 * Redis), --profile DIR (each engine
 * process writes a V8 .cpuprofile into DIR when it stops; open it in Chrome DevTools or speedscope).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embedded, postgresWithRedisStreams, redisOnly, startHttpStub } from '../__tests__/engine-harness';
import { measureBullmq } from './bullmq-baseline';
import type { Flow, InstallationPlan } from './engine-measure';
import { FLOWS, measureInstallation, measureParked, measureScaling } from './engine-measure';
import { measureFloor } from './floor';
import { measureRestFloor } from './rest-floor';
import type { BenchReport, BenchSections } from './report';
import { renderReport } from './report';

const SECTIONS = ['floor', 'bullmq', 'rest', 'redis', 'postgres', 'embedded', 'scaling', 'parked'] as const;
type Section = (typeof SECTIONS)[number];

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function sections(): ReadonlySet<Section> {
  const at = process.argv.indexOf('--only');
  if (at === -1) return new Set(SECTIONS);
  const chosen = (process.argv[at + 1] ?? '').split(',');
  const unknown = chosen.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; one of ${SECTIONS.join(', ')}`);
  }
  return new Set(chosen as Section[]);
}

async function main(): Promise<void> {
  const profileAt = process.argv.indexOf('--profile');
  if (profileAt !== -1) process.env.BENCH_CPU_PROF_DIR = path.resolve(process.argv[profileAt + 1] ?? 'bench/profiles');
  const quick = process.argv.includes('--quick');
  const only = sections();
  const rate = option('rate', 200);
  const flowsAt = process.argv.indexOf('--flows');
  const chosenFlows = flowsAt === -1 ? undefined : (process.argv[flowsAt + 1] ?? '').split(',');
  if (chosenFlows?.some((f) => !(FLOWS as readonly string[]).includes(f))) {
    throw new Error(`--flows: one or more of ${FLOWS.join(', ')}`);
  }
  const latencyOnly = process.argv.includes('--latency');
  const plan: InstallationPlan = {
    flows: latencyOnly ? [] : ((chosenFlows as Flow[] | undefined) ?? (quick ? ['3-step'] : FLOWS)),
    latencyOnly,
    runs: quick ? 100 : option('runs', 2000),
    concurrency: 50,
    rate,
    loadSeconds: quick ? 1 : option('seconds', 5),
    apiSeconds: quick ? 1 : 2,
  };
  const date = new Date().toISOString();
  const loadBefore = os.loadavg();
  const report: BenchSections = { installations: [] };

  if (only.has('floor')) {
    const saturation = await measureFloor(quick ? 1000 : 5000, { concurrency: 50 });
    const fixed = await measureFloor(rate * (quick ? 1 : 5), { rate });
    report.floor = { saturation, fixed_load: { ...fixed, offered_per_second: rate } };
  }
  if (only.has('bullmq')) report.bullmq = await measureBullmq(quick ? 1000 : 10_000);
  if (only.has('rest')) report.rest_floor = await measureRestFloor(plan.apiSeconds);

  const stub = await startHttpStub();
  try {
    // The slower installations get fewer runs and a shorter fixed load, so the whole bench stays
    // near two minutes on a shared machine (a backlog they cannot drain only makes it longer).
    const installations = [
      ['redis', redisOnly, 1, 1],
      ['postgres', postgresWithRedisStreams, 1, 0.5],
      // One process: the embedded database cannot be shared between processes.
      ['embedded', embedded, 0, 0.25],
    ] as const;
    for (const [section, setup, workers, share] of installations) {
      if (!only.has(section)) continue;
      const sized = {
        ...plan,
        runs: Math.max(50, Math.round(plan.runs * share)),
        loadSeconds: Math.max(1, Math.round(plan.loadSeconds * share)),
      };
      report.installations.push(await measureInstallation(setup(), workers, stub, sized));
    }
    if (only.has('scaling')) {
      report.scaling = await measureScaling(redisOnly, quick ? [1, 2] : [1, 2, 4], stub, quick ? 100 : 400);
    }
    if (only.has('parked')) report.parked = await measureParked(redisOnly(), stub, quick ? 200 : 1000);
  } finally {
    await stub.close();
  }
  const full: BenchReport = {
    date,
    machine: {
      cores: os.cpus().length,
      node: process.version,
      load_average: { before: loadBefore, after: os.loadavg() },
    },
    quick,
    ...report,
  };
  const text = renderReport(full);
  console.log(`\n${text}`);
  const dir = path.resolve(__dirname, '../../../../bench/results');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  await fs.writeFile(file, `${JSON.stringify({ ...full, table: text }, null, 2)}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
