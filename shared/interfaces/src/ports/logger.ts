/** Structured fields attached to a log line: ids first (tenant, workflow, execution, request, task). */
export interface LogFields {
  readonly tenant_id?: string;
  readonly workflow_id?: string;
  readonly execution_id?: string;
  readonly request_id?: string;
  readonly task?: string;
  readonly err?: Error;
  readonly [key: string]: unknown;
}

/** Structured JSON logging. `child` binds fields to every line it writes. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}
