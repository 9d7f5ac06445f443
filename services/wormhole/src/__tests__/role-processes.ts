/*
 * Engine roles in processes of their own, for tests that kill them: spawned from the TypeScript
 * sources (through tsx), resolved once the role logs that it started.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

export type SpawnedRole = 'worker' | 'executor';

/** Every role process started and not yet exited, including ones still starting. */
const spawned = new Set<ChildProcess>();

const HEALTH_PORT: Record<SpawnedRole, string> = { worker: 'WORKER_HEALTH_PORT', executor: 'EXECUTOR_HEALTH_PORT' };

/** Starts `role` with `env` (its health port on 0) and resolves when it reports "<role> started". */
export function spawnRole(role: SpawnedRole, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/wormhole/src/main.ts', role], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info', [HEALTH_PORT[role]]: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    // Generous: on a loaded 2-core machine tsx takes 15 s and more to load the sources.
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started role behind
      reject(new Error(`${role} did not start within 90 s: ${output}`));
    }, 90_000);
    const onExit = (code: number | null): void => reject(new Error(`${role} exited with ${String(code)}: ${output}`));
    child.stdout.on('data', (chunk: Buffer) => {
      // Only the start-up output is kept; a long run would otherwise hold every log line.
      if (output.length < 100_000) output += chunk.toString();
      if (output.includes(`"${role} started"`)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk.toString();
    });
    child.once('exit', onExit);
  });
}

/** SIGKILLs `child` (no shutdown hook runs) and resolves once it is gone. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * SIGKILLs every role process this test file started, also those still starting (a test that
 * timed out never got their handle): for afterAll, so no process outlives its test file.
 */
export async function killSpawnedRoles(): Promise<void> {
  await Promise.all([...spawned].map(killed));
}
