import type {
  Database,
  EventStream,
  Logger,
  Metrics,
  SecretStore,
  StreamMessage,
  Subscription,
  TimerStore,
} from '@wormhole/interfaces';
import { NotFoundError, isTerminalStatus } from '@wormhole/interfaces';
import type { HealthServer } from '@wormhole/platform';
import { startHealthServer, roleHealth } from '@wormhole/platform';
import type { ExecutorConfig } from './config';
import { TaskRunner } from './task-runner';
import { HttpCallExecutor } from './tasks/http-call-executor';
import { HttpExchange } from './tasks/http-exchange';
import { OpenApiCallExecutor } from './tasks/openapi-call-executor';
import { ScriptRunExecutor, ShellRunExecutor } from './tasks/run-process-executor';
import { RunWorkflowExecutor } from './tasks/run-workflow-executor';
import { TaskExecutorRegistry } from './tasks/registry';
import { ResourceFetchExecutor } from './tasks/resource-fetch-executor';
import { TimerLoop } from './timer-loop';

export interface ExecutorDeps {
  readonly config: ExecutorConfig;
  readonly db: Database;
  readonly stream: EventStream;
  readonly timers: TimerStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The operator's secrets (`use.secrets`), revealed to tasks at call time; none when absent. */
  readonly secrets?: SecretStore;
  /** A unique consumer name for this process within the executor group. */
  readonly consumerName: string;
  /** false when another role of the same process already serves /health (all-in-one mode). */
  readonly serveHealth?: boolean;
}

export interface RunningExecutor {
  /** Stops taking work, lets in-flight steps finish, closes the health server. */
  stop(): Promise<void>;
}

/** Starts the executor role with already-built dependencies (the composition root builds them). */
export async function startExecutor(deps: ExecutorDeps): Promise<RunningExecutor> {
  const { config } = deps;
  // One guarded connection pool for every HTTP-based call kind.
  const http = new HttpExchange(config.http);
  const registry = new TaskExecutorRegistry([
    new HttpCallExecutor(http),
    new OpenApiCallExecutor(http),
    new ResourceFetchExecutor(http),
    new ShellRunExecutor(config.processes),
    new ScriptRunExecutor(config.processes),
    new RunWorkflowExecutor(deps.db, deps.stream),
  ]);
  const runner = new TaskRunner(registry, deps.stream, deps.logger, deps.metrics, {
    maxAttempts: config.maxAttempts,
    ...(deps.secrets !== undefined && { secrets: deps.secrets }),
  });
  const timerLoop = new TimerLoop(deps.timers, deps.stream, deps.logger, config.timers);
  const subscription: Subscription = deps.stream.subscribe(
    {
      group: 'executor',
      consumer: deps.consumerName,
      types: ['io.wormhole.task.requested', 'io.wormhole.timer.scheduled', 'io.wormhole.execution.cancelled'],
      concurrency: config.concurrency,
    },
    (message) => handle(message, runner, deps),
  );
  timerLoop.start();
  let ready = true;
  const health: HealthServer | undefined =
    deps.serveHealth === false
      ? undefined
      : await startHealthServer({
          port: config.healthPort,
          service: 'executor',
          health: () => roleHealth(deps.db, deps.stream),
          ready: () => ready,
          metrics: deps.metrics,
        });
  deps.logger.info('executor started', {
    ...(health ? { health_port: health.port } : {}),
    kinds: registry.kinds(),
    concurrency: config.concurrency,
  });
  return {
    stop: async () => {
      ready = false;
      await subscription.close();
      await timerLoop.stop();
      await health?.close();
    },
  };
}

async function handle(message: StreamMessage, runner: TaskRunner, deps: ExecutorDeps): Promise<void> {
  const event = message.event;
  switch (event.type) {
    case 'io.wormhole.task.requested':
      if (await hasEnded(deps.db, event.tenantid, event.executionid)) {
        // A late duplicate (redelivery, replay): the run is over, so its side effect must not happen.
        deps.logger.info('skipped a task of an ended execution', {
          tenant_id: event.tenantid,
          execution_id: event.executionid,
          task: event.data.task_path,
        });
        return;
      }
      return runner.run(event);
    case 'io.wormhole.timer.scheduled':
      return deps.timers.schedule({
        id: event.data.timer_id,
        tenantId: event.tenantid,
        workflowId: event.workflowid,
        executionId: event.executionid,
        taskPath: event.data.task_path,
        taskName: event.data.task_name,
        dueAt: Date.parse(event.data.due_at),
      });
    case 'io.wormhole.execution.cancelled':
      runner.cancel(event.executionid);
      return;
    default:
      return;
  }
}

/** True when the execution has ended or does not exist (a request for it is stale). */
async function hasEnded(db: Database, tenantId: string, executionId: string): Promise<boolean> {
  try {
    return isTerminalStatus((await db.executions.get(tenantId, executionId)).status);
  } catch (e) {
    if (e instanceof NotFoundError) return true;
    throw e;
  }
}
