import type { ErrorDetail, JsonObject, JsonValue } from '@wormhole/interfaces';
import { CronExpressionParser } from 'cron-parser';
import { durationToMs } from '../runtime/duration';

/**
 * `schedule.on` as Wormhole runs it: the filters' `with` objects, matched as `listen` does.
 * `all`: a start needs one event for each filter (kept between events, see event-correlation.ts).
 */
export interface EventSchedule {
  readonly mode: 'one' | 'any' | 'all';
  readonly filters: readonly JsonObject[];
}

/** A workflow's `schedule`, read once: durations in milliseconds, the cron expression checked. */
export interface WorkflowSchedule {
  readonly everyMs?: number;
  readonly cron?: string;
  readonly afterMs?: number;
  readonly on?: EventSchedule;
}

/** A `schedule` Wormhole cannot run; `details` point into the document (`/schedule/…`). */
export class ScheduleError extends Error {
  constructor(readonly details: readonly ErrorDetail[]) {
    super(details.map((d) => `${d.path} ${d.message}`).join('; '));
    this.name = 'ScheduleError';
  }
}

/**
 * Reads a document's `schedule` (undefined when it has none).
 * @throws ScheduleError for what the schema allows but Wormhole cannot run: a zero or calendar
 * (years, months) duration, an invalid cron expression, an empty `on.all`, `on.until`, `correlate`
 */
export function readSchedule(document: Readonly<Record<string, unknown>>): WorkflowSchedule | undefined {
  const schedule = document.schedule;
  if (schedule === undefined) return undefined;
  if (!isObject(schedule)) throw new ScheduleError([{ path: '/schedule', message: 'must be an object' }]);
  const details: ErrorDetail[] = [];
  const everyMs = duration(schedule.every, '/schedule/every', details);
  const afterMs = duration(schedule.after, '/schedule/after', details);
  const cron = cronOf(schedule.cron, details);
  const on = schedule.on === undefined ? undefined : eventScheduleOf(schedule.on, details);
  if (details.length > 0) throw new ScheduleError(details);
  return {
    ...(everyMs !== undefined ? { everyMs } : {}),
    ...(cron !== undefined ? { cron } : {}),
    ...(afterMs !== undefined ? { afterMs } : {}),
    ...(on !== undefined ? { on } : {}),
  };
}

/** The problems of a document's `schedule`, for validation at registration (none: runnable). */
export function scheduleProblems(document: Readonly<Record<string, unknown>>): ErrorDetail[] {
  try {
    readSchedule(document);
    return [];
  } catch (e) {
    if (e instanceof ScheduleError) return [...e.details];
    throw e;
  }
}

function duration(value: unknown, path: string, details: ErrorDetail[]): number | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = durationToMs(value);
    if (ms > 0) return ms;
    details.push({ path, message: 'must be longer than zero' });
  } catch (e) {
    details.push({ path, message: e instanceof Error ? e.message : String(e) });
  }
  return undefined;
}

function cronOf(value: unknown, details: ErrorDetail[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    details.push({ path: '/schedule/cron', message: 'must be a string' });
    return undefined;
  }
  try {
    CronExpressionParser.parse(value, { tz: 'UTC' });
    return value;
  } catch (e) {
    details.push({ path: '/schedule/cron', message: `invalid cron expression: ${(e as Error).message}` });
    return undefined;
  }
}

function eventScheduleOf(on: unknown, details: ErrorDetail[]): EventSchedule | undefined {
  const at = '/schedule/on';
  if (!isObject(on)) {
    details.push({ path: at, message: 'must be an object' });
    return undefined;
  }
  if (on.until !== undefined) details.push({ path: `${at}/until`, message: "'until' is not supported yet" });
  const [mode, raw, base] = isObject(on.one)
    ? (['one', [on.one], `${at}/one`] as const)
    : Array.isArray(on.any)
      ? (['any', on.any as unknown[], `${at}/any`] as const)
      : Array.isArray(on.all)
        ? (['all', on.all as unknown[], `${at}/all`] as const)
        : (['one', [], at] as const);
  if (base === at) {
    details.push({ path: at, message: "needs 'one', 'any' or 'all'" });
    return undefined;
  }
  if (mode === 'all' && raw.length === 0) {
    // Unlike `any: []` (every event), all of no events would start without any event.
    details.push({ path: base, message: 'must list at least one event filter' });
    return undefined;
  }
  const filters: JsonObject[] = [];
  raw.forEach((filter, i) => {
    const path = mode === 'one' ? base : `${base}/${i}`;
    if (!isObject(filter)) {
      details.push({ path, message: 'must be an event filter object' });
      return;
    }
    if (filter.correlate !== undefined) {
      details.push({ path: `${path}/correlate`, message: "'correlate' is not supported yet" });
    }
    filters.push(isObject(filter.with) ? filter.with : {});
  });
  return { mode, filters };
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
