import type { CloudEvent, JsonObject } from '@wormhole/interfaces';
import { scheduleEventIdempotencyKey } from '@wormhole/interfaces';
import { matchingFilters } from '@wormhole/dsl';
import type { ScheduledWorkflows } from './scheduled-workflows';
import type { ScheduledStart } from './scheduled-start';

/**
 * `schedule.on`: a tenant event that matches a workflow's `one` or `any` filters starts an
 * execution of it whose input is the array of the triggering events (dsl.md, "Input of
 * event-driven scheduled workflows"), here one event. The idempotency key derives from the
 * workflow and the event's (`source`, `id`), so a redelivered or re-posted event starts one.
 */
export class ScheduledEventStarts {
  constructor(
    private readonly workflows: ScheduledWorkflows,
    private readonly starter: ScheduledStart,
  ) {}

  /** @returns how many workflows the event started (or had already started) */
  async start(tenantId: string, event: CloudEvent): Promise<number> {
    let started = 0;
    for (const scheduled of await this.workflows.onEvents(tenantId)) {
      const on = scheduled.schedule.on;
      if (on === undefined || matchingFilters(on.filters, event).length === 0) continue;
      const ok = await this.starter.start(scheduled, 'event', {
        // A CloudEvent in structured JSON is a JSON object (it came as one).
        input: [event as unknown as JsonObject],
        idempotency_key: scheduleEventIdempotencyKey(scheduled.workflow.id, event),
      });
      if (ok) started++;
    }
    return started;
  }
}
