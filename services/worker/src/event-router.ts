import type { Database, EngineEventOf, EventStream, Logger } from '@wormhole/interfaces';
import { cloudEventKey, engineEvent } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from '@wormhole/dsl';
import { matchingFilters } from '@wormhole/dsl';
import type { ScheduledEventStarts } from './scheduler/event-starts';

/**
 * Delivers the events of a tenant's event stream (posted to `POST /events` or emitted by a
 * workflow) to the listens waiting for them: each subscription whose filters the event matches
 * gets an `event.received` on its execution's own stream, which the worker folds like any other
 * event. The id derives from (execution, listen, source, id), so a redelivered or re-posted event
 * is one event in the history. Events also start the workflows whose `schedule.on` they match
 * (`ScheduledEventStarts`). At-least-once: a failure leaves the message to be redelivered.
 */
export class EventRouter {
  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly logger: Logger,
    private readonly scheduled: ScheduledEventStarts,
    /** Evaluates the filters' predicate properties (`data: ${ .temperature > 38 }`). */
    private readonly evaluator: ExpressionEvaluator,
  ) {}

  async route(published: EngineEventOf<'io.wormhole.event.published'>): Promise<number> {
    const tenant = published.tenantid;
    const event = published.data.event;
    const key = cloudEventKey(event);
    let delivered = 0;
    // Only the listens an event of this type may match (its literal type, or any type): with many
    // runs parked on listens of other types, an event costs what it may reach, not a full scan.
    for (const subscription of await this.db.subscriptions.listForEventType(tenant, event.type)) {
      const filters = matchingFilters(subscription.filters, event, this.evaluator);
      if (filters.length === 0) continue;
      await this.stream.publish(
        engineEvent(
          'io.wormhole.event.received',
          'wormhole/router',
          { tenantid: tenant, workflowid: subscription.workflow_id, executionid: subscription.execution_id },
          { event, listen_id: subscription.listen_id, task_path: subscription.task_path, filters },
          { id: `${subscription.execution_id}.${subscription.listen_id}.${key}` },
        ),
      );
      delivered++;
    }
    const started = await this.scheduled.start(tenant, event);
    this.logger.debug('event routed', {
      tenant_id: tenant,
      type: event.type,
      source: event.source,
      delivered,
      started,
    });
    return delivered + started;
  }
}
