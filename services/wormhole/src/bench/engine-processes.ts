/**
 * The engine under benchmark, out of the benchmark's process: each role a child process started
 * with the `wormhole` command, as it is deployed. With a server-backed installation the API, the
 * executor and N workers are separate processes; the embedded database lives in one process, so
 * there it is the all-in-one role. The load generator stays in the bench's own process.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FAST_ENGINE_ENV } from '../__tests__/engine-harness';
import { processCpuMs } from './cpu-usage';

const BIN = path.resolve(__dirname, '../../bin/wormhole.js');
const GC_ON_SIGNAL = path.resolve(__dirname, 'gc-on-signal.cjs');
const BOOT_TIMEOUT_MS = 60_000;

export type Role = 'all' | 'api' | 'worker' | 'executor';

export interface Layout {
  /** Worker processes; 0 runs every role in one process. */
  readonly workers: number;
}

interface RoleProcess {
  readonly role: Role;
  readonly child: ChildProcess;
  /** Port of its /ready (and /metrics). */
  readonly healthPort: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class EngineProcesses {
  private constructor(
    readonly apiUrl: string,
    private readonly processes: readonly RoleProcess[],
  ) {}

  /** Starts the roles of `layout` on the installation described by `env`, and waits until each is ready. */
  static async start(env: Record<string, string>, layout: Layout): Promise<EngineProcesses> {
    const apiPort = await freePort();
    // `npm run bench -- --profile DIR`: every role writes a .cpuprofile there when it stops.
    const profile = process.env.BENCH_CPU_PROF_DIR;
    const base = {
      ...process.env,

      ...FAST_ENGINE_ENV,
      WORKER_CONCURRENCY: '50',
      ...env,
      LOG_LEVEL: 'silent',
      API_PORT: String(apiPort),
    };
    const started: RoleProcess[] = [];
    const launch = async (role: Role): Promise<RoleProcess> => {
      const healthPort = role === 'all' || role === 'api' ? apiPort : await freePort();
      const flags = [
        '--expose-gc',
        '--require',
        GC_ON_SIGNAL,
        ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      ];
      const child = spawn(process.execPath, [...flags, BIN, role], {
        env: { ...base, WORKER_HEALTH_PORT: String(healthPort), EXECUTOR_HEALTH_PORT: String(healthPort) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const running = { role, child, healthPort };
      started.push(running);
      await waitReady(running);
      return running;
    };
    try {
      if (layout.workers === 0) {
        await launch('all');
      } else {
        // The API first: it creates the schema the other roles then find in place.
        await launch('api');
        await Promise.all([launch('executor'), ...Array.from({ length: layout.workers }, () => launch('worker'))]);
      }
    } catch (e) {
      await stopAll(started);
      throw e;
    }
    return new EngineProcesses(`http://127.0.0.1:${apiPort}`, started);
  }

  /**
   * Resident set size and used V8 heap of the processes running the worker role, summed, each
   * read right after a full garbage collection (gc-on-signal.cjs).
   */
  async workerMemory(): Promise<{ rss_bytes: number; heap_used_bytes: number }> {
    let rss = 0;
    let heap = 0;
    const workers = this.processes.filter((r) => r.role === 'worker' || r.role === 'all');
    for (const p of workers) p.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of workers) {
      const status = await fs.readFile(`/proc/${p.child.pid}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const metrics = await (await fetch(`http://127.0.0.1:${p.healthPort}/metrics`)).text();
      heap += Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(metrics)?.[1] ?? 0);
    }
    return { rss_bytes: rss, heap_used_bytes: heap };
  }

  /** CPU milliseconds each role spent so far (several workers summed under `worker`). */
  cpuByRole(): Record<string, number> {
    const byRole: Record<string, number> = {};
    for (const p of this.processes) byRole[p.role] = (byRole[p.role] ?? 0) + processCpuMs(p.child.pid);
    return byRole;
  }

  stop(): Promise<void> {
    return stopAll(this.processes);
  }
}

async function waitReady(p: RoleProcess): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`wormhole ${p.role} exited with ${p.child.exitCode} while starting`);
    try {
      const response = await fetch(`http://127.0.0.1:${p.healthPort}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`wormhole ${p.role} not ready after ${BOOT_TIMEOUT_MS} ms`);
}

/** SIGTERM (a graceful stop), SIGKILL if one does not exit within the grace time. */
async function stopAll(processes: readonly RoleProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
