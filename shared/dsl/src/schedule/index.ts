export type { EventSchedule, WorkflowSchedule } from './schedule';
export { ScheduleError, readSchedule, scheduleProblems } from './schedule';
export type { LastExecution } from './ticks';
export { afterTick, latestDueTick } from './ticks';
