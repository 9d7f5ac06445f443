import type {
  Database,
  EngineEventOf,
  EventStream,
  EventSubscription,
  JsonObject,
  JsonValue,
} from '@wormhole/interfaces';
import { eventPublishedEvent } from '@wormhole/interfaces';
import { ExecutionStarter } from '@wormhole/backends';
import type { ExpressionEvaluator } from '@wormhole/dsl';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';

export { RecordingStream } from '@wormhole/platform';
import { EventRouter } from '../event-router';
import { AllEventsCorrelation } from '../scheduler/event-correlation';
import { ScheduledEventStarts } from '../scheduler/event-starts';
import { ScheduledStart } from '../scheduler/scheduled-start';
import { ScheduledWorkflows } from '../scheduler/scheduled-workflows';

/** The worker's router as worker.ts builds it, over `db`, publishing to `stream`. */
export function routerOver(db: Database, stream: EventStream, evaluator: ExpressionEvaluator): EventRouter {
  const logger = new MemoryLogger();
  const starter = new ScheduledStart(
    new ExecutionStarter(db, stream, { source: 'wormhole/scheduler', maxActivePerTenant: 0 }),
    logger,
    new NoopMetrics(),
  );
  const starts = new ScheduledEventStarts(
    new ScheduledWorkflows(db, logger, 60_000),
    starter,
    new AllEventsCorrelation(db),
    evaluator,
  );
  return new EventRouter(db, stream, logger, starts, evaluator);
}

/** A parked listen of `tenant` waiting for events matching `filters`. */
export function listen(tenant: string, execution: string, filters: readonly JsonObject[]): EventSubscription {
  return {
    tenant_id: tenant,
    workflow_id: 'wf_listen',
    execution_id: execution,
    listen_id: 'l1',
    task_path: '/do/0/wait',
    filters,
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/** The `event.published` the router consumes for a tenant event from source `shop`. */
export function published(
  tenant: string,
  event: { readonly id: string; readonly type: string; readonly data?: JsonValue },
): EngineEventOf<'io.wormhole.event.published'> {
  return eventPublishedEvent(tenant, { specversion: '1.0', source: 'shop', ...event }, 'wormhole/api');
}
