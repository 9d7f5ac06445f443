/**
 * CPU time, the resource the bench's throughput runs out of on 2 cores: of a process (from
 * /proc/<pid>/stat, Linux), of this process, and of the database servers the runs use (Redis from
 * its own `INFO cpu`, PostgreSQL as the sum of its server processes). Readings are totals; a
 * measurement is the difference of two. The servers are shared with whatever else runs on the
 * machine, so their share is only clean on a quiet one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';

/** Clock ticks per second of /proc's utime and stime. */
const TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU milliseconds of a process so far; 0 once it is gone or off Linux. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // The command name is in parentheses and may hold spaces: count fields after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return 0;
  }
}

/** This process's CPU milliseconds so far (the load generator, or the floor's loops). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function postgresCpuMs(): number {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').map(Number);
  } catch {
    return 0; // none running
  }
  return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

async function redisCpuMs(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const seconds = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
  } finally {
    redis.disconnect();
  }
}

/** CPU milliseconds of Redis and PostgreSQL so far. */
export async function serversCpuMs(redisUrl = 'redis://127.0.0.1:6379'): Promise<number> {
  return (await redisCpuMs(redisUrl)) + postgresCpuMs();
}

/** CPU milliseconds per completed workflow, by who spent them. */
export type CpuPerRun = Readonly<Record<string, number>>;

/** Milliseconds per run of each reading's growth between two readings, to 0.01 ms. */
export function perRun(before: CpuPerRun, after: CpuPerRun, runs: number): CpuPerRun {
  return Object.fromEntries(
    Object.keys(after).map((who) => [who, Math.round(((after[who]! - (before[who] ?? 0)) / runs) * 100) / 100]),
  );
}
