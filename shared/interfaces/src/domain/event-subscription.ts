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

/**
 * A value that is, as a whole, a runtime expression (`${ … }`): as a filter property, a predicate
 * on the event's property rather than a literal (the DSL's rule; @wormhole/dsl uses this pattern).
 */
export const WHOLE_RUNTIME_EXPRESSION = /^\s*\$\{([\s\S]*)\}\s*$/;

/**
 * The event types a subscription can match, for the storage's index by type: each filter's
 * `type` when it is a literal string (an event matches only with that exact type). Undefined when
 * some filter may match an event of any type: no `type`, a predicate or non-string `type`, or no
 * filters at all (`any: []`); such a subscription is offered every event.
 */
export function subscriptionEventTypes(filters: readonly JsonObject[]): string[] | undefined {
  if (filters.length === 0) return undefined;
  const types = new Set<string>();
  for (const filter of filters) {
    const type = filter.type;
    if (typeof type !== 'string' || WHOLE_RUNTIME_EXPRESSION.test(type)) return undefined;
    types.add(type);
  }
  return [...types].sort();
}
