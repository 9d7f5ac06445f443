import type { JsonObject } from '../json';

/**
 * What one `listen` task waits for, stored while it waits so the worker's event router can find
 * it when an event arrives on the tenant's event stream. Removed when the listen ends.
 */
export interface EventSubscription {
  readonly tenant_id: string;
  readonly workflow_id: string;
  readonly execution_id: string;
  /** The id of the `listen.started` event; the router names it in the `event.received` it sends. */
  readonly listen_id: string;
  readonly task_path: string;
  /**
   * The listen's event filters (`with`), runtime expressions already evaluated: an event matches
   * a filter when every property of the filter equals the event's (nested objects match by subset).
   */
  readonly filters: readonly JsonObject[];
  readonly created_at: string;
}
