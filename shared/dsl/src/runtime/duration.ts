import type { DslFault } from './errors';
import { configurationFault } from './errors';

const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

const INLINE_UNITS = { days: MS.day, hours: MS.hour, minutes: MS.minute, seconds: MS.second, milliseconds: 1 } as const;

/**
 * Milliseconds of a DSL duration: an ISO 8601 duration string (`PT1M30S`, `P2D`, `P1W`) or the
 * inline form `{ days, hours, minutes, seconds, milliseconds }`. Years and months are refused:
 * their length depends on the calendar, and a timer needs a fixed instant.
 * @throws DslFault (configuration error) for anything else
 */
export function durationToMs(duration: unknown): number {
  if (typeof duration === 'string') return isoDurationToMs(duration);
  if (duration !== null && typeof duration === 'object' && !Array.isArray(duration)) {
    let total = 0;
    for (const [unit, amount] of Object.entries(duration)) {
      const factor = (INLINE_UNITS as Record<string, number>)[unit];
      if (factor === undefined || typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        throw invalid(`invalid duration property ${unit}: ${JSON.stringify(amount)}`);
      }
      total += amount * factor;
    }
    return total;
  }
  throw invalid(`invalid duration: ${JSON.stringify(duration)}`);
}

function isoDurationToMs(text: string): number {
  const match = ISO_DURATION.exec(text.trim());
  if (match === null) throw invalid(`invalid ISO 8601 duration '${text}' (years and months are not supported)`);
  const [, weeks, days, hours, minutes, seconds] = match;
  const part = (value: string | undefined, factor: number): number =>
    value === undefined ? 0 : Number(value) * factor;
  return Math.round(
    part(weeks, MS.week) +
      part(days, MS.day) +
      part(hours, MS.hour) +
      part(minutes, MS.minute) +
      part(seconds, MS.second),
  );
}

function invalid(detail: string): DslFault {
  return configurationFault(detail);
}
