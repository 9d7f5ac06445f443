import type { CloudEvent } from './cloud-event';
import { isChildIdempotencyKey } from './child-execution';
import { cloudEventKey } from './engine-events';

/*
 * Executions started by a workflow's `schedule`. Their idempotency keys are deterministic, so
 * every scheduler replica that starts the same tick (or the same event) creates the same one
 * execution: the executions repository returns the first for a repeated key.
 */

const PREFIX = 'wormhole-schedule';

/** The key of the execution a timed schedule (`every`, `cron`, `after`) starts at `tick`. */
export function scheduleTickIdempotencyKey(workflowId: string, tick: Date): string {
  return `${PREFIX} ${workflowId} ${tick.toISOString()}`;
}

/** The key of the execution `schedule.on` starts for an event: one per (`source`, `id`). */
export function scheduleEventIdempotencyKey(workflowId: string, event: Pick<CloudEvent, 'source' | 'id'>): string {
  return `${PREFIX} ${workflowId} event ${cloudEventKey(event)}`;
}

/** Whether `key` is in the form reserved for scheduled executions. */
export function isScheduleIdempotencyKey(key: string): boolean {
  return key.startsWith(`${PREFIX} `);
}

/**
 * Whether a client may not send `key`: the engine's own forms (child and scheduled executions),
 * which a client could use to report into another run or to take a schedule's tick.
 */
export function isReservedIdempotencyKey(key: string): boolean {
  return isChildIdempotencyKey(key) || isScheduleIdempotencyKey(key);
}

/**
 * The history holding the events that matched some but not yet all of a `schedule.on.all`
 * workflow version's filters (the worker's event correlation; no execution row has this id).
 * Each version has its own: a new version starts afresh.
 */
export function scheduleCorrelationId(workflowId: string, version: number): string {
  return `sched-all_${workflowId}_v${version}`;
}

/**
 * The correlation histories of every version of a workflow up to `version`: what goes when the
 * workflow is deleted, deactivated or given a new definition (its partial sets no longer count).
 */
export function scheduleCorrelationIds(workflowId: string, version: number): string[] {
  return Array.from({ length: Math.max(0, version) }, (_, i) => scheduleCorrelationId(workflowId, i + 1));
}
