import type { JsonValue } from '../json';
import type { PageRequest, SortOrder } from '../paging';

/** The DSL's workflow statuses. */
export const EXECUTION_STATUSES = [
  'pending',
  'running',
  'waiting',
  'suspended',
  'cancelled',
  'faulted',
  'completed',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['cancelled', 'faulted', 'completed'];

export function isTerminalStatus(status: ExecutionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The DSL error object (RFC 7807 problem details as the DSL defines them). */
export interface DslError {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly instance?: string;
}

export interface Execution {
  readonly id: string;
  readonly tenant_id: string;
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly status: ExecutionStatus;
  readonly correlation_id?: string;
  readonly idempotency_key?: string;
  readonly input: JsonValue;
  readonly output?: JsonValue;
  readonly error?: DslError;
  /** JSON pointer of the task being run, e.g. "/do/1/greet". */
  readonly current_task?: string;
  readonly started_at: string;
  readonly completed_at?: string;
  readonly duration_ms?: number;
  readonly updated_at: string;
}

export interface NewExecution {
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly input: JsonValue;
  readonly correlation_id?: string;
  /** Unique per tenant and workflow: creating twice with one key returns the first execution. */
  readonly idempotency_key?: string;
}

export interface ExecutionPatch {
  readonly status?: ExecutionStatus;
  readonly output?: JsonValue;
  readonly error?: DslError;
  readonly current_task?: string;
  readonly completed_at?: string;
  readonly duration_ms?: number;
}

export type ExecutionSortField = 'started_at' | 'completed_at' | 'status';

export interface ExecutionListQuery extends PageRequest {
  readonly sortBy: ExecutionSortField;
  readonly sortOrder: SortOrder;
  readonly workflowId?: string;
  readonly status?: ExecutionStatus;
  readonly correlationId?: string;
  /** Inclusive bounds on started_at, ISO 8601. */
  readonly startedFrom?: string;
  readonly startedTo?: string;
}
