import type { CloudEvent, JsonObject, JsonValue } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { evaluateCondition, isRuntimeExpression } from './expressions';

/**
 * Whether a CloudEvent matches an event filter's `with`: every property the filter names must be
 * on the event. A value that is, as a whole, a runtime expression is a predicate on the event's
 * property, as in the spec's examples (`data: ${ .temperature > 38 }`): it holds when the
 * expression, with that property's value as input, gives neither false nor null (one that fails
 * does not match). Any other value must be equal; an object matches when the event's value
 * contains it (`data: {orderId: "o-1"}` matches any data with that orderId). Shared by the
 * decider and the worker's event router and scheduler, each with its evaluator.
 */
export function matchesFilter(filter: JsonObject, event: CloudEvent, evaluator: ExpressionEvaluator): boolean {
  return Object.entries(filter).every(([name, expected]) => {
    const actual = event[name] as JsonValue | undefined;
    if (isRuntimeExpression(expected)) return actual !== undefined && holds(evaluator, expected, actual);
    return contains(actual, expected);
  });
}

/** Indices of the filters the event matches; an empty filter list (`any: []`) matches every event. */
export function matchingFilters(
  filters: readonly JsonObject[],
  event: CloudEvent,
  evaluator: ExpressionEvaluator,
): number[] {
  if (filters.length === 0) return [0];
  return filters.flatMap((filter, i) => (matchesFilter(filter, event, evaluator) ? [i] : []));
}

function holds(evaluator: ExpressionEvaluator, predicate: string, value: JsonValue): boolean {
  try {
    return evaluateCondition(evaluator, predicate, value, {});
  } catch {
    // An event the predicate cannot read (`.temperature` of a string) is not one it wants.
    return false;
  }
}

function contains(actual: JsonValue | undefined, expected: JsonValue): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual === undefined) return false;
    return Object.entries(expected).every(([key, value]) => contains(actual[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}
