import type { CloudEvent, JsonObject, JsonValue } from '@wormhole/interfaces';

/**
 * Whether a CloudEvent matches an event filter's `with`: every property the filter names must be
 * on the event with an equal value; an object value matches when the event's value contains it
 * (so `data: {orderId: "o-1"}` matches any data with that orderId). Pure, shared by the decider's
 * tests and the worker's event router.
 */
export function matchesFilter(filter: JsonObject, event: CloudEvent): boolean {
  return Object.entries(filter).every(([name, expected]) => contains(event[name] as JsonValue | undefined, expected));
}

/** Indices of the filters the event matches; an empty filter list (`any: []`) matches every event. */
export function matchingFilters(filters: readonly JsonObject[], event: CloudEvent): number[] {
  if (filters.length === 0) return [0];
  return filters.flatMap((filter, i) => (matchesFilter(filter, event) ? [i] : []));
}

function contains(actual: JsonValue | undefined, expected: JsonValue): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual === undefined) return false;
    return Object.entries(expected).every(([key, value]) => contains(actual[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}
