import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessLimits {
  /** Wall-clock limit; the whole process group is killed when it is reached. */
  readonly timeoutMs: number;
  /** Most bytes read from stdout and from stderr each; more kills the process. */
  readonly maxOutputBytes: number;
}

export interface ProcessSpec {
  readonly file: string;
  /** Arguments; the function receives the private working directory, which it may allow access to. */
  readonly args: (workDir: string) => readonly string[];
  /** The whole environment of the process: nothing of the executor's own is passed on. */
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  /** Files written into the working directory before the process starts (a script's code). */
  readonly files?: Readonly<Record<string, string>>;
}

export type ProcessEnd =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'output-exceeded'; readonly stream: 'stdout' | 'stderr' }
  | { readonly kind: 'not-started'; readonly message: string };

/**
 * Runs one process for a `run: shell` or `run: script` step: in a fresh temporary working
 * directory (removed afterwards), with only the environment given, in its own process group so a
 * timeout, an output overflow or a cancelled step kills everything it started.
 */
export async function runProcess(spec: ProcessSpec, limits: ProcessLimits, signal: AbortSignal): Promise<ProcessEnd> {
  const workDir = await mkdtemp(join(tmpdir(), 'wormhole-run-'));
  try {
    for (const [name, content] of Object.entries(spec.files ?? {})) await writeFile(join(workDir, name), content);
    return await new Promise<ProcessEnd>((resolve) => {
      const child = spawn(spec.file, [...spec.args(workDir)], {
        cwd: workDir,
        env: { ...spec.env, HOME: workDir, TMPDIR: workDir },
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const sizes = { stdout: 0, stderr: 0 };
      let ended: ProcessEnd | undefined;
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      };
      const stop = (end: ProcessEnd): void => {
        ended ??= end;
        killGroup();
      };
      const timer = setTimeout(() => stop({ kind: 'timed-out' }), limits.timeoutMs);
      const onAbort = (): void => stop({ kind: 'timed-out' });
      signal.addEventListener('abort', onAbort, { once: true });
      for (const stream of ['stdout', 'stderr'] as const) {
        child[stream].on('data', (chunk: Buffer) => {
          sizes[stream] += chunk.byteLength;
          if (sizes[stream] > limits.maxOutputBytes) stop({ kind: 'output-exceeded', stream });
          else output[stream].push(chunk);
        });
      }
      child.on('error', (e) => {
        ended ??= { kind: 'not-started', message: e.message };
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        killGroup(); // whatever it left running in its group goes with it
        resolve(
          ended ?? {
            kind: 'exited',
            code: code ?? -1,
            stdout: Buffer.concat(output.stdout).toString('utf8'),
            stderr: Buffer.concat(output.stderr).toString('utf8'),
          },
        );
      });
      child.stdin.on('error', () => undefined); // a process that does not read its stdin
      child.stdin.end(spec.stdin ?? '');
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
