import type {
  DslError,
  EngineEventOf,
  EngineEventPayloads,
  EventStream,
  JsonObject,
  Logger,
  Metrics,
  SecretStore,
  TaskOutcome,
  TaskRequest,
} from '@wormhole/interfaces';
import { dslError, engineEvent, ensureError } from '@wormhole/interfaces';
import type { RevealedSecrets } from '@wormhole/dsl';
import { concealSecrets, revealSecrets } from '@wormhole/dsl';
import { RecentOutcomes } from './recent-outcomes';
import type { TaskExecutorRegistry } from './tasks/registry';
import { taskKind } from './tasks/registry';

const SOURCE = 'wormhole/executor';

type Report = EngineEventOf<'io.wormhole.task.completed' | 'io.wormhole.task.failed'>;

/**
 * How long and how much of the reported outcomes are remembered: enough for the reconciler's
 * catch-up after the transport lost messages (seconds) at any throughput, small next to the
 * process (outcomes over 256 KiB are not kept; 32 MiB in all).
 */
const RECENT_OUTCOMES = { keepMs: 120_000, maxOutcomeBytes: 256 * 1024, maxTotalBytes: 32 * 1024 * 1024 };

export interface TaskRunnerSettings {
  /** Attempts at a step whose failures are transient (no response) before it fails for good. */
  readonly maxAttempts: number;
  /**
   * The operator's secrets: the `$secrets` placeholders in a task's definition are replaced by
   * their values just before it runs, and any value that comes back in its outcome is replaced by
   * its placeholder again, so no secret reaches an event, a step or a log line.
   */
  readonly secrets?: SecretStore;
}

/**
 * Runs one requested task and publishes its outcome. Transient failures are retried here with
 * their delay (each announced as task.retrying); DSL-level failures go back to the worker as
 * task.failed, where the workflow's try/catch decides what happens. A cancelled execution's
 * in-flight tasks are aborted and report nothing.
 */
export class TaskRunner {
  private readonly inFlight = new Map<string, Set<AbortController>>();
  private readonly recent = new RecentOutcomes<Report>(RECENT_OUTCOMES);

  constructor(
    private readonly registry: TaskExecutorRegistry,
    private readonly stream: EventStream,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly settings: TaskRunnerSettings,
  ) {}

  async run(event: EngineEventOf<'io.wormhole.task.requested'>): Promise<void> {
    const earlier = this.recent.find(event.id);
    if (earlier !== undefined) {
      // The same request again (its outcome may have been lost with the transport): the step is
      // not run twice; its outcome, already obtained or on its way, is published again under the
      // same id, which the history ignores if the first one arrived.
      const report = await earlier;
      this.logger.info('a repeated task request answered with the outcome already obtained', {
        tenant_id: event.tenantid,
        execution_id: event.executionid,
        task: event.data.task_path,
        reported: report !== undefined,
      });
      if (report !== undefined) await this.stream.publish(report);
      return;
    }
    const outcome = this.obtain(event);
    this.recent.track(event.id, outcome);
    const report = await outcome;
    if (report !== undefined) await this.stream.publish(report);
  }

  /** Runs the task to its final outcome (nothing when cancelled or reported later by someone else). */
  private async obtain(event: EngineEventOf<'io.wormhole.task.requested'>): Promise<Report | undefined> {
    const controller = new AbortController();
    const running = this.inFlight.get(event.executionid) ?? new Set<AbortController>();
    running.add(controller);
    this.inFlight.set(event.executionid, running);
    try {
      return await this.runAttempts(event, controller.signal);
    } finally {
      running.delete(controller);
      if (running.size === 0) this.inFlight.delete(event.executionid);
    }
  }

  /** Aborts the execution's in-flight tasks; their outcomes are dropped. */
  cancel(executionId: string): void {
    for (const controller of this.inFlight.get(executionId) ?? []) controller.abort();
  }

  private async runAttempts(
    event: EngineEventOf<'io.wormhole.task.requested'>,
    signal: AbortSignal,
  ): Promise<Report | undefined> {
    const { data } = event;
    const kind = taskKind(data.task);
    const log = this.logger.child({
      tenant_id: event.tenantid,
      execution_id: event.executionid,
      task: data.task_path,
      kind,
    });
    const executor = this.registry.find(kind);
    const timer = this.metrics
      .histogram({
        name: 'wormhole_task_duration_seconds',
        help: 'Task run time in the executor',
        labelNames: ['kind', 'outcome'],
      })
      .startTimer({ kind });
    let attempt = data.attempt;
    const { value: task, revealed } = this.reveal(data.task, event.executionid);
    for (;;) {
      const request: TaskRequest = {
        tenantId: event.tenantid,
        workflowId: event.workflowid,
        executionId: event.executionid,
        taskPath: data.task_path,
        taskName: data.task_name,
        task,
        input: data.input,
        attempt,
        ...(data.iteration !== undefined && { iteration: data.iteration }),
        // Each loop iteration is its own step: `path@iteration` (the key outside loops is unchanged).
        idempotencyKey: `${event.executionid}:${data.task_path}${data.iteration !== undefined ? `@${data.iteration}` : ''}:${data.attempt}`,
      };
      const started = Date.now();
      const outcome: TaskOutcome = concealOutcome(
        executor
          ? await executor.execute(request, signal).catch((e: unknown) => crashed(e, data.task_path))
          : { kind: 'failed', error: unsupported(kind, data.task_path) },
        revealed,
      );
      if (signal.aborted) {
        log.info('task aborted: execution cancelled');
        return undefined;
      }
      if (outcome.kind === 'retryable' && attempt < this.settings.maxAttempts) {
        log.warn('task failed transiently; retrying', {
          attempt,
          delay_ms: outcome.delayMs,
          detail: outcome.error.detail,
        });
        await this.publish(event, 'io.wormhole.task.retrying', { ...ref(data), attempt, delay_ms: outcome.delayMs });
        await sleep(outcome.delayMs, signal);
        attempt += 1;
        continue;
      }
      timer({ outcome: outcome.kind });
      if (outcome.kind === 'deferred') return undefined; // reported later by whoever finishes it
      return this.report(event, outcome, attempt, Date.now() - started);
    }
  }

  private reveal(task: JsonObject, executionId: string): { value: JsonObject; revealed: RevealedSecrets } {
    if (this.settings.secrets === undefined) return { value: task, revealed: new Map() };
    const { value, revealed } = revealSecrets(task, this.settings.secrets, executionId);
    return { value: value as JsonObject, revealed };
  }

  /** The event that reports the final outcome (published by the caller). */
  private report(
    event: EngineEventOf<'io.wormhole.task.requested'>,
    outcome: Exclude<TaskOutcome, { kind: 'deferred' }>,
    attempt: number,
    durationMs: number,
  ): Report {
    const base = ref(event.data);
    if (outcome.kind === 'completed') {
      return outcomeEvent(event, 'io.wormhole.task.completed', {
        ...base,
        attempt,
        output: outcome.output,
        duration_ms: durationMs,
      });
    }
    const retryable = outcome.kind === 'retryable';
    return outcomeEvent(event, 'io.wormhole.task.failed', { ...base, attempt, error: outcome.error, retryable });
  }

  private publish(
    cause: EngineEventOf<'io.wormhole.task.requested'>,
    type: 'io.wormhole.task.retrying',
    data: EngineEventPayloads['io.wormhole.task.retrying'],
  ): Promise<void> {
    return this.stream.publish(outcomeEvent(cause, type, data));
  }
}

function outcomeEvent<K extends 'io.wormhole.task.completed' | 'io.wormhole.task.failed' | 'io.wormhole.task.retrying'>(
  cause: EngineEventOf<'io.wormhole.task.requested'>,
  type: K,
  data: EngineEventPayloads[K],
): EngineEventOf<K> {
  // Outcome ids derive from the request and attempt, so a step run twice (redelivery after a
  // crash) reports one outcome; the history ignores the repeated id.
  const id = `${cause.id}.${type.slice('io.wormhole.task.'.length)}.${data.attempt}`;
  return engineEvent(type, SOURCE, cause, data, { id });
}

function ref(data: EngineEventOf<'io.wormhole.task.requested'>['data']): {
  task_path: string;
  task_name: string;
  task_type: string;
} {
  return { task_path: data.task_path, task_name: data.task_name, task_type: data.task_type };
}

/**
 * Task kinds of DSL 1.0.x that Wormhole has no executor for (README, "DSL support"): the error
 * says so plainly, instead of suggesting that an operator could configure one.
 */
const NOT_SUPPORTED_KINDS: ReadonlySet<string> = new Set([
  'call:grpc',
  'call:asyncapi',
  'call:a2a',
  'call:mcp',
  'run:container',
]);

function unsupported(kind: string, taskPath: string): DslError {
  const detail = NOT_SUPPORTED_KINDS.has(kind)
    ? `tasks of kind '${kind}' are not supported by Wormhole`
    : `no executor is configured for tasks of kind '${kind}'`;
  return dslError('configuration', { title: 'Unsupported task', detail, instance: taskPath });
}

/** An executor that throws has a bug; the step fails with a runtime error rather than looping. */
function crashed(e: unknown, taskPath: string): TaskOutcome {
  return { kind: 'failed', error: dslError('runtime', { detail: ensureError(e).message, instance: taskPath }) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The outcome with every secret the task was given replaced by its placeholder (output and error alike). */
function concealOutcome(outcome: TaskOutcome, revealed: RevealedSecrets): TaskOutcome {
  if (revealed.size === 0 || outcome.kind === 'deferred') return outcome;
  if (outcome.kind === 'completed') return { ...outcome, output: concealSecrets(outcome.output, revealed) };
  return { ...outcome, error: concealSecrets(outcome.error as unknown as JsonObject, revealed) as unknown as DslError };
}
