import type {
  DslError,
  Execution,
  ExecutionStatus,
  JsonObject,
  JsonValue,
  LogEntry,
  LogLevel,
  StepRun,
  StepStatus,
  StoredEngineEvent,
  WorkflowDefinition,
  WorkflowState,
} from '@wormhole/interfaces';
import { ENGINE_EVENT_TYPES } from '@wormhole/interfaces';

/*
 * Rows as the driver returns them (timestamptz as Date, int8 as string, jsonb parsed) and their
 * conversion to the domain types: the one place that knows both shapes. Optional JSON columns are
 * selected as text (`col::text`), because the driver turns both SQL NULL and JSON null into `null`
 * and only the text form tells "absent" from "the value null".
 */

export type Timestamp = Date | string;
type BigIntText = string | number;

/** ISO 8601 UTC with milliseconds, as the domain types carry. */
export function toIso(value: Timestamp): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function optionalIso(value: Timestamp | null): string | undefined {
  return value === null ? undefined : toIso(value);
}

function optionalNumber(value: BigIntText | null): number | undefined {
  return value === null ? undefined : Number(value);
}

function optionalJson(text: string | null): JsonValue | undefined {
  return text === null ? undefined : (JSON.parse(text) as JsonValue);
}

/** Drops undefined properties, so rows read back compare equal to what was written. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** JSON text for a jsonb parameter (the driver would send JS arrays as Postgres arrays). */
export function jsonParam(value: JsonValue | DslError | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export interface WorkflowRow {
  tenant_id: string;
  id: string;
  name: string;
  description: string;
  version: number;
  spec_version: string;
  state: WorkflowState;
  tags: string[];
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  definition: JsonObject;
}

export function workflowFromRow(row: WorkflowRow): WorkflowDefinition {
  return compact({
    id: row.id,
    tenant_id: row.tenant_id,
    name: row.name,
    description: row.description,
    version: row.version,
    spec_version: row.spec_version,
    definition: row.definition,
    state: row.state,
    tags: row.tags,
    created_by: row.created_by ?? undefined,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  });
}

export interface ExecutionRow {
  tenant_id: string;
  id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionStatus;
  correlation_id: string | null;
  idempotency_key: string | null;
  input: JsonValue;
  output_json: string | null;
  error: DslError | null;
  current_task: string | null;
  started_at: Timestamp;
  completed_at: Timestamp | null;
  duration_ms: BigIntText | null;
  updated_at: Timestamp;
}

/** The select list matching ExecutionRow (`output` may hold JSON null, so it travels as text). */
export const EXECUTION_COLUMNS = `tenant_id, id, workflow_id, workflow_version, status, correlation_id,
  idempotency_key, input, output::text AS output_json, error, current_task, started_at, completed_at,
  duration_ms, updated_at`;

export function executionFromRow(row: ExecutionRow): Execution {
  return compact({
    id: row.id,
    tenant_id: row.tenant_id,
    workflow_id: row.workflow_id,
    workflow_version: row.workflow_version,
    status: row.status,
    correlation_id: row.correlation_id ?? undefined,
    idempotency_key: row.idempotency_key ?? undefined,
    input: row.input,
    output: optionalJson(row.output_json),
    error: row.error ?? undefined,
    current_task: row.current_task ?? undefined,
    started_at: toIso(row.started_at),
    completed_at: optionalIso(row.completed_at),
    duration_ms: optionalNumber(row.duration_ms),
    updated_at: toIso(row.updated_at),
  });
}

export interface StepRunRow {
  tenant_id: string;
  id: string;
  execution_id: string;
  task_name: string;
  task_path: string;
  task_type: string;
  status: StepStatus;
  attempt: number;
  input_json: string | null;
  output_json: string | null;
  error: DslError | null;
  started_at: Timestamp;
  completed_at: Timestamp | null;
  duration_ms: BigIntText | null;
}

export const STEP_RUN_COLUMNS = `tenant_id, id, execution_id, task_name, task_path, task_type, status,
  attempt, input::text AS input_json, output::text AS output_json, error, started_at, completed_at,
  duration_ms`;

export function stepRunFromRow(row: StepRunRow): StepRun {
  return compact({
    id: row.id,
    tenant_id: row.tenant_id,
    execution_id: row.execution_id,
    task_name: row.task_name,
    task_path: row.task_path,
    task_type: row.task_type,
    status: row.status,
    attempt: row.attempt,
    input: optionalJson(row.input_json),
    output: optionalJson(row.output_json),
    error: row.error ?? undefined,
    started_at: toIso(row.started_at),
    completed_at: optionalIso(row.completed_at),
    duration_ms: optionalNumber(row.duration_ms),
  });
}

export interface EventRow {
  sequence: BigIntText;
  attributes: JsonObject;
  payload_json: string | null;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(ENGINE_EVENT_TYPES);

/** Rebuilds the CloudEvent from its envelope and data, checking it is an engine event. */
export function eventFromRow(row: EventRow): StoredEngineEvent {
  const { attributes } = row;
  if (attributes.specversion !== '1.0' || typeof attributes.type !== 'string' || !EVENT_TYPES.has(attributes.type)) {
    throw new Error(`stored event at sequence ${row.sequence} is not an engine event`);
  }
  const data = optionalJson(row.payload_json);
  const event = data === undefined ? { ...attributes } : { ...attributes, data };
  return { ...event, sequence: Number(row.sequence) } as unknown as StoredEngineEvent;
}

export interface LogRow {
  tenant_id: string;
  execution_id: string;
  step_run_id: string | null;
  task: string | null;
  level: LogLevel;
  message: string;
  context: JsonObject | null;
  timestamp: Timestamp;
}

export function logFromRow(row: LogRow): LogEntry {
  return compact({
    tenant_id: row.tenant_id,
    execution_id: row.execution_id,
    step_run_id: row.step_run_id ?? undefined,
    task: row.task ?? undefined,
    level: row.level,
    message: row.message,
    context: row.context ?? undefined,
    timestamp: toIso(row.timestamp),
  });
}
