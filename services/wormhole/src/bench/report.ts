/**
 * The bench's result and its rendering: Markdown tables with each engine figure beside the
 * baselines of the same run, and the targets marked met or missed.
 */
import type { QueueFigures } from './bullmq-baseline';
import type { InstallationFigures, ParkedFigures, ScalingFigures } from './engine-measure';
import type { FloorFigures } from './floor';
import type { RestFloorFigures } from './rest-floor';

/** What each section measured; a section left out with --only is absent. */
export interface BenchSections {
  floor?: { saturation: FloorFigures; fixed_load: FloorFigures & { offered_per_second: number } };
  bullmq?: QueueFigures;
  rest_floor?: RestFloorFigures;
  installations: InstallationFigures[];
  scaling?: ScalingFigures[];
  parked?: ParkedFigures;
}

export interface BenchReport extends BenchSections {
  readonly date: string;
  readonly machine: {
    readonly cores: number;
    readonly node: string;
    /** os.loadavg() (1, 5, 15 minutes) when the run started and when it ended. */
    readonly load_average: { readonly before: number[]; readonly after: number[] };
  };
  readonly quick: boolean;
}

/** Throughput targets of the 3-step flow, as a fraction of the floor's. */
const THROUGHPUT_TARGETS: Record<string, number> = {
  'redis storage + redis streams': 0.5,
  'postgres + redis streams': 0.25,
};
const LATENCY_TARGET_MS = { p50: 5, p99: 25 };

function cpuTable(report: BenchReport): (string | number)[][] {
  const total = (cpu: Readonly<Record<string, number>>): number =>
    Math.round(Object.values(cpu).reduce((sum, ms) => sum + ms, 0) * 100) / 100;
  const floorCpu = report.floor?.saturation.cpu_ms_per_run;
  const floorTotal = floorCpu ? total(floorCpu) : undefined;
  const rows: (string | number)[][] = [];
  if (floorCpu) rows.push(['floor', '', '', '', floorCpu.servers ?? 0, floorCpu.load ?? 0, floorTotal!, '1.000']);
  for (const i of report.installations) {
    const cpu = i.cpu_ms_per_run;
    if (!cpu) continue;
    // All-in-one (embedded): the one process does the work of all three roles.
    const roles =
      cpu.all !== undefined ? [`${cpu.all} (all roles)`, '', ''] : [cpu.api ?? 0, cpu.worker ?? 0, cpu.executor ?? 0];
    rows.push([i.installation, ...roles, cpu.servers ?? 0, cpu.load ?? 0, total(cpu), ratio(total(cpu), floorTotal)]);
  }
  return rows;
}

function table(header: string[], rows: (string | number)[][]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const ratio = (value: number, base: number | undefined): string =>
  base === undefined || base === 0 ? '–' : (value / base).toFixed(3);
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

export function renderReport(report: BenchReport): string {
  const floor = report.floor?.saturation.workflows_per_second;
  const queue = report.bullmq?.jobs_per_second;
  const parts: string[] = [];

  parts.push(
    '### Baselines',
    table(
      ['baseline', 'completed/s', 'p50 ms', 'p99 ms', 'p99.9 ms'],
      [
        ...(report.floor
          ? [
              [
                'floor: 3-step on raw Redis Streams, saturation',
                report.floor.saturation.workflows_per_second,
                '',
                '',
                '',
              ],
              [
                `floor at ${report.floor.fixed_load.offered_per_second}/s offered`,
                report.floor.fixed_load.workflows_per_second,
                report.floor.fixed_load.latency_ms.p50,
                report.floor.fixed_load.latency_ms.p99,
                report.floor.fixed_load.latency_ms.p999,
              ],
            ]
          : []),
        ...(report.bullmq ? [['BullMQ, no-op processor (jobs)', report.bullmq.jobs_per_second, '', '', '']] : []),
        ...(report.rest_floor
          ? [
              [
                'REST floor: bare Express POST, 10 connections (requests)',
                report.rest_floor.requests_per_second,
                '',
                '',
                '',
              ],
            ]
          : []),
      ],
    ),
  );

  if (report.installations.length > 0) {
    parts.push(
      '### Engine at saturation (completed workflows/s)',
      table(
        ['installation', 'workers', 'flow', 'workflows/s', '× floor', '× BullMQ'],
        report.installations.flatMap((i) =>
          i.saturation.map((s) => [
            i.installation,
            i.workers === 0 ? 'all-in-one' : i.workers,
            s.flow,
            s.workflows_per_second,
            ratio(s.workflows_per_second, floor),
            ratio(s.workflows_per_second, queue),
          ]),
        ),
      ),
      `### 3-step at ${report.installations[0]!.fixed_load.offered_per_second}/s offered (ms)`,
      table(
        ['installation', 'achieved/s', 'p50', 'p99', 'p99.9', 'dispatch p50', 'dispatch p99'],
        report.installations.map((i) => [
          i.installation,
          i.fixed_load.achieved_per_second,
          i.fixed_load.latency_ms.p50,
          i.fixed_load.latency_ms.p99,
          i.fixed_load.latency_ms.p999,
          i.fixed_load.dispatch_ms.p50,
          i.fixed_load.dispatch_ms.p99,
        ]),
      ),
    );
    const withApi = report.installations.flatMap((i) => (i.api ? [{ installation: i.installation, api: i.api }] : []));
    if (withApi.length > 0) {
      parts.push(
        '### API (requests/s, 10 connections)',
        table(
          ['installation', 'create (execute)', 'create × REST floor', 'get execution', 'list executions'],
          withApi.map(({ installation, api }) => [
            installation,
            api.create_per_second,
            ratio(api.create_per_second, report.rest_floor?.requests_per_second),
            api.get_per_second,
            api.list_per_second,
          ]),
        ),
      );
    }
  }
  const cpuRows = cpuTable(report);
  if (cpuRows.length > 0) {
    parts.push(
      '### CPU per completed 3-step run at saturation (ms)',
      'Where the 2 cores go: throughput cannot exceed 2000 / total runs per second. `servers` is Redis and PostgreSQL, `load` the bench process (the clients and the HTTP stub).',
      table(['run by', 'api', 'worker', 'executor', 'servers', 'load', 'total', '× floor total'], cpuRows),
    );
  }
  if (report.scaling) {
    parts.push(
      '### 3-step by worker processes (redis installation)',
      table(
        ['workers', 'workflows/s', '× floor'],
        report.scaling.map((s) => [s.workers, s.workflows_per_second, ratio(s.workflows_per_second, floor)]),
      ),
    );
  }
  if (report.parked) {
    parts.push(
      `### Worker memory per 10k runs parked in a wait (measured with ${report.parked.parked}, scaled)`,
      `RSS ${mib(report.parked.rss_bytes_per_10k)} MiB, V8 heap ${mib(report.parked.heap_bytes_per_10k)} MiB`,
    );
  }
  parts.push('### Targets (3-step, 2 cores)', targets(report).join('\n'));
  const load = report.machine.load_average;
  parts.push(
    `${report.machine.cores} cores, node ${report.machine.node}; load average ${load.before[0]?.toFixed(2)} at start, ${load.after[0]?.toFixed(2)} at end`,
  );
  return parts.join('\n\n');
}

function targets(report: BenchReport): string[] {
  const floor = report.floor?.saturation.workflows_per_second;
  const lines: string[] = [];
  const mark = (met: boolean): string => (met ? 'met' : 'MISSED');
  for (const i of report.installations) {
    const share = THROUGHPUT_TARGETS[i.installation];
    const three = i.saturation.find((s) => s.flow === '3-step');
    if (share !== undefined && three && floor) {
      const got = three.workflows_per_second / floor;
      lines.push(
        `- ${i.installation}: throughput ${got.toFixed(3)}× floor, target ≥ ${share}× — ${mark(got >= share)}`,
      );
    }
    const { p50, p99 } = i.fixed_load.latency_ms;
    lines.push(
      `- ${i.installation}: p50 ${p50} ms (≤ ${LATENCY_TARGET_MS.p50}), p99 ${p99} ms (≤ ${LATENCY_TARGET_MS.p99}) at ${i.fixed_load.offered_per_second}/s — ${mark(p50 <= LATENCY_TARGET_MS.p50 && p99 <= LATENCY_TARGET_MS.p99)}`,
    );
  }
  return lines;
}
