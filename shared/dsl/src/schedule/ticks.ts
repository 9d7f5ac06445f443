import { CronExpressionParser } from 'cron-parser';
import type { WorkflowSchedule } from './schedule';

/**
 * The tick of `every` or `cron` to start now: the latest one at or before `now`, and none before
 * the workflow was created. Ticks missed while no scheduler ran are not made up: only the latest
 * is returned, so a scheduler that was down for an hour starts one run, not a burst.
 *
 * `every` ticks are aligned to the Unix epoch (every multiple of the interval: `PT1H` fires on
 * the hour), so every replica computes the same instants without sharing state. Cron
 * expressions are read in UTC (a sixth, leading field gives seconds).
 */
export function latestDueTick(schedule: WorkflowSchedule, createdAt: Date, now: Date): Date | undefined {
  const ticks = [
    schedule.everyMs !== undefined ? latestEveryTick(schedule.everyMs, now) : undefined,
    schedule.cron !== undefined ? latestCronTick(schedule.cron, now) : undefined,
  ].filter((t): t is Date => t !== undefined && t.getTime() >= createdAt.getTime());
  if (ticks.length === 0) return undefined;
  return new Date(Math.max(...ticks.map((t) => t.getTime())));
}

function latestEveryTick(everyMs: number, now: Date): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}

function latestCronTick(cron: string, now: Date): Date {
  // prev() is strictly before its current date: one millisecond later includes a tick at `now`.
  return CronExpressionParser.parse(cron, { tz: 'UTC', currentDate: new Date(now.getTime() + 1) })
    .prev()
    .toDate();
}

/** What `after` needs to know of the workflow's most recent execution. */
export interface LastExecution {
  readonly ended: boolean;
  /** ISO 8601; set once the execution ended. */
  readonly completed_at?: string;
}

/**
 * The tick of `after`: the workflow's creation for its first run, then `afterMs` past the end of
 * its most recent execution; none while that execution has not ended. The tick is returned even
 * when it is still in the future: the caller starts it once it is due.
 */
export function afterTick(afterMs: number, createdAt: Date, last: LastExecution | undefined): Date | undefined {
  if (last === undefined) return createdAt;
  if (!last.ended || last.completed_at === undefined) return undefined;
  return new Date(Date.parse(last.completed_at) + afterMs);
}
