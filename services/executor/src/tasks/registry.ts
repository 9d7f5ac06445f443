import type { JsonObject, TaskExecutor } from '@wormhole/interfaces';

/**
 * The task kind a definition asks for: `call: http` → "call:http", `run: {shell: …}` →
 * "run:shell", `emit` → "emit". Executors register under these names.
 */
export function taskKind(task: JsonObject): string {
  if (typeof task.call === 'string') return `call:${task.call}`;
  if (task.run !== null && typeof task.run === 'object' && !Array.isArray(task.run)) {
    const runner = Object.keys(task.run).find((k) => ['container', 'script', 'shell', 'workflow'].includes(k));
    return `run:${runner ?? 'unknown'}`;
  }
  for (const kind of ['emit', 'listen', 'wait']) if (kind in task) return kind;
  return 'unknown';
}

/** Task executors by kind. */
export class TaskExecutorRegistry {
  private readonly executors = new Map<string, TaskExecutor>();

  constructor(executors: readonly TaskExecutor[]) {
    for (const executor of executors) {
      if (this.executors.has(executor.kind)) throw new Error(`two executors registered for '${executor.kind}'`);
      this.executors.set(executor.kind, executor);
    }
  }

  find(kind: string): TaskExecutor | undefined {
    return this.executors.get(kind);
  }

  kinds(): string[] {
    return [...this.executors.keys()].sort();
  }
}
