import type { CloudEvent, JsonObject } from '@wormhole/interfaces';
import { scheduleEventIdempotencyKey } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from '@wormhole/dsl';
import { matchingFilters } from '@wormhole/dsl';
import type { ScheduledWorkflows } from './scheduled-workflows';
import type { ScheduledStart } from './scheduled-start';
import type { AllEventsCorrelation } from './event-correlation';

/**
 * `schedule.on`: a tenant event that matches a workflow's `one` or `any` filters starts an
 * execution of it whose input is the array of the triggering events (dsl.md, "Input of
 * event-driven scheduled workflows"), here one event. With `all`, the event that completes a set
 * of one event per filter starts it, with the set in filter order (`AllEventsCorrelation`). The
 * idempotency key derives from the workflow and the (`source`, `id`) of the event that started
 * it, so a redelivered or re-posted event starts one.
 */
export class ScheduledEventStarts {
  constructor(
    private readonly workflows: ScheduledWorkflows,
    private readonly starter: ScheduledStart,
    private readonly correlation: AllEventsCorrelation,
    /** Evaluates the filters' predicate properties (`data: ${ .total > 100 }`). */
    private readonly evaluator: ExpressionEvaluator,
  ) {}

  /** @returns how many workflows the event started (or had already started) */
  async start(tenantId: string, event: CloudEvent): Promise<number> {
    let started = 0;
    for (const scheduled of await this.workflows.onEvents(tenantId)) {
      const on = scheduled.schedule.on;
      const matched = on === undefined ? [] : matchingFilters(on.filters, event, this.evaluator);
      if (on === undefined || matched.length === 0) continue;
      const events =
        on.mode === 'all' ? await this.correlation.add(scheduled.workflow, on.filters.length, event, matched) : [event];
      if (events === undefined) continue;
      const ok = await this.starter.start(scheduled, 'event', {
        // A CloudEvent in structured JSON is a JSON object (it came as one).
        input: events.map((e) => e as unknown as JsonObject),
        idempotency_key: scheduleEventIdempotencyKey(scheduled.workflow.id, event),
      });
      if (ok) started++;
    }
    return started;
  }
}
