import type { JsonObject } from '../json';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** An execution log line, as stored in `execution_logs`. */
export interface LogEntry {
  readonly tenant_id: string;
  readonly execution_id: string;
  readonly step_run_id?: string;
  /** The task's JSON pointer, when the line is about a task. */
  readonly task?: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly context?: JsonObject;
  readonly timestamp: string;
}

export interface LogQuery {
  readonly stepRunId?: string;
  readonly level?: LogLevel;
  /** At most this many lines, oldest first (default 1000). */
  readonly limit?: number;
}
