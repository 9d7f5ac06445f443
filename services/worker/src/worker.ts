import type { Database, EventStream, Logger, Metrics, SecretStore, Subscription } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from '@wormhole/dsl';
import type { HealthServer } from '@wormhole/platform';
import { startHealthServer, roleHealth } from '@wormhole/platform';
import type { WorkerConfig } from './config';
import { DefinitionCache } from './definition-cache';
import { EventRouter } from './event-router';
import { ExecutionProcessor } from './execution-processor';
import { LogRetention } from './log-retention';
import { Reconciler } from './reconciler';
import { ExecutionStarter } from '@wormhole/backends';
import { ScheduledEventStarts } from './scheduler/event-starts';
import { AllEventsCorrelation } from './scheduler/event-correlation';
import { ScheduledStart } from './scheduler/scheduled-start';
import { ScheduledWorkflows } from './scheduler/scheduled-workflows';
import { Scheduler } from './scheduler/scheduler';
import { StateCache } from './state-cache';

export interface WorkerDeps {
  readonly config: WorkerConfig;
  readonly db: Database;
  readonly stream: EventStream;
  readonly evaluator: ExpressionEvaluator;
  /** The operator's secrets (`use.secrets`); none when absent. */
  readonly secrets?: SecretStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** A unique consumer name for this process within the worker group. */
  readonly consumerName: string;
  /** false when another role of the same process already serves /health (all-in-one mode). */
  readonly serveHealth?: boolean;
}

export interface RunningWorker {
  /** Stops taking events, lets in-flight ones finish (unfinished ones are redelivered). */
  stop(): Promise<void>;
}

/** Starts the worker role with already-built dependencies (the composition root builds them). */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config } = deps;
  const processor = new ExecutionProcessor(
    deps.db,
    deps.stream,
    new DefinitionCache(deps.db, config.definitionCacheSize),
    new StateCache(config.stateCacheSize),
    deps.evaluator,
    deps.logger,
    deps.metrics,
    { maxConflictRetries: 5, snapshotEvery: config.snapshotEvery, maxInlineEvents: config.maxInlineEvents },
    deps.secrets,
  );
  const handled = deps.metrics.counter({
    name: 'wormhole_worker_events_total',
    help: 'Events handled by the worker',
    labelNames: ['type'],
  });
  const subscription: Subscription = deps.stream.subscribe(
    {
      group: 'worker',
      consumer: deps.consumerName,
      types: [
        'io.wormhole.execution.started',
        'io.wormhole.execution.cancelled',
        'io.wormhole.task.completed',
        'io.wormhole.task.failed',
        'io.wormhole.task.retrying',
        'io.wormhole.timer.fired',
        'io.wormhole.event.received',
      ],
      concurrency: config.concurrency,
    },
    async (message) => {
      await processor.process(message.event);
      handled.inc({ type: message.event.type });
    },
  );
  const schedulerLogger = deps.logger.child({ component: 'scheduler' });
  const scheduled = new ScheduledWorkflows(deps.db, schedulerLogger, config.scheduler.tickMs);
  const starter = new ScheduledStart(
    new ExecutionStarter(deps.db, deps.stream, {
      source: 'wormhole/scheduler',
      maxActivePerTenant: config.maxActiveExecutionsPerTenant,
    }),
    schedulerLogger,
    deps.metrics,
  );
  // Its own group: every worker process shares the routing, each tenant event is routed once.
  const router = new EventRouter(
    deps.db,
    deps.stream,
    deps.logger.child({ component: 'event-router' }),
    new ScheduledEventStarts(scheduled, starter, new AllEventsCorrelation(deps.db), deps.evaluator),
    deps.evaluator,
  );
  const routing: Subscription = deps.stream.subscribe(
    { group: 'event-router', consumer: deps.consumerName, types: ['io.wormhole.event.published'] },
    async (message) => {
      if (message.event.type === 'io.wormhole.event.published') await router.route(message.event);
      handled.inc({ type: message.event.type });
    },
  );
  const reconciler = new Reconciler(
    deps.db,
    deps.stream,
    deps.logger.child({ component: 'reconciler' }),
    config.reconciler,
  );
  reconciler.start();
  const retention = new LogRetention(
    deps.db.logs,
    deps.logger.child({ component: 'log-retention' }),
    config.logRetention,
  );
  retention.start();
  // A transport that lost its messages (Redis restarted empty) is caught up at once, not after
  // RECONCILE_STALLED_AFTER_MS.
  const stopWatchingLosses = deps.stream.onMessagesLost((lostBefore) => reconciler.recoverLost(lostBefore));
  const scheduler = config.scheduler.enabled
    ? new Scheduler(deps.db, scheduled, starter, schedulerLogger, config.scheduler)
    : undefined;
  scheduler?.start();
  let ready = true;
  const health: HealthServer | undefined =
    deps.serveHealth === false
      ? undefined
      : await startHealthServer({
          port: config.healthPort,
          service: 'worker',
          health: () => roleHealth(deps.db, deps.stream),
          ready: () => ready,
          metrics: deps.metrics,
        });
  deps.logger.info('worker started', { health_port: health?.port, concurrency: config.concurrency });
  return {
    stop: async () => {
      ready = false;
      stopWatchingLosses();
      await reconciler.stop();
      await retention.stop();
      await scheduler?.stop();
      await subscription.close();
      await routing.close();
      await health?.close();
    },
  };
}
