import type {
  DslError,
  Execution,
  ExecutionStatus,
  JsonValue,
  StepRun,
  StepStatus,
  WorkflowDefinition,
  WorkflowState,
} from '@wormhole/interfaces';

/*
 * Document shapes and their mapping to domain types. User-supplied JSON (definitions, inputs,
 * outputs, event payloads, snapshots) is stored as a JSON string: MongoDB restricts field names
 * (`$` prefixes, dots) that such JSON may contain, and these values are read back whole, never
 * queried inside. Timestamps are BSON dates, so ranges and sorts use indexes.
 */

export interface WorkflowDoc {
  _id: string;
  tenant_id: string;
  name: string;
  name_lower: string;
  description: string;
  description_lower: string;
  version: number;
  spec_version: string;
  definition_json: string;
  state: WorkflowState;
  tags: string[];
  created_by?: string;
  created_at: Date;
  updated_at: Date;
}

export interface WorkflowVersionDoc {
  _id: string;
  tenant_id: string;
  workflow_id: string;
  version: number;
  spec_json: string;
  created_at: Date;
}

export interface ExecutionDoc {
  _id: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionStatus;
  correlation_id?: string;
  idempotency_key?: string;
  input_json: string;
  output_json?: string;
  error?: DslError;
  current_task?: string;
  started_at: Date;
  completed_at?: Date;
  duration_ms?: number;
  updated_at: Date;
}

export interface StepRunDoc {
  _id: string;
  tenant_id: string;
  execution_id: string;
  task_name: string;
  task_path: string;
  task_type: string;
  status: StepStatus;
  attempt: number;
  input_json?: string;
  output_json?: string;
  error?: DslError;
  started_at: Date;
  completed_at?: Date;
  duration_ms?: number;
}

export const iso = (date: Date): string => date.toISOString();
export const toJson = (value: JsonValue): string => JSON.stringify(value);
export const fromJson = (text: string): JsonValue => JSON.parse(text) as JsonValue;

export function workflowFromDoc(doc: WorkflowDoc): WorkflowDefinition {
  return {
    id: doc._id,
    tenant_id: doc.tenant_id,
    name: doc.name,
    description: doc.description,
    version: doc.version,
    spec_version: doc.spec_version,
    definition: JSON.parse(doc.definition_json) as WorkflowDefinition['definition'],
    state: doc.state,
    tags: doc.tags,
    ...(doc.created_by !== undefined && doc.created_by !== null ? { created_by: doc.created_by } : {}),
    created_at: iso(doc.created_at),
    updated_at: iso(doc.updated_at),
  };
}

export function executionFromDoc(doc: ExecutionDoc): Execution {
  return {
    id: doc._id,
    tenant_id: doc.tenant_id,
    workflow_id: doc.workflow_id,
    workflow_version: doc.workflow_version,
    status: doc.status,
    ...present('correlation_id', doc.correlation_id),
    ...present('idempotency_key', doc.idempotency_key),
    input: fromJson(doc.input_json),
    ...(doc.output_json !== undefined && doc.output_json !== null ? { output: fromJson(doc.output_json) } : {}),
    ...present('error', doc.error),
    ...present('current_task', doc.current_task),
    started_at: iso(doc.started_at),
    ...(doc.completed_at ? { completed_at: iso(doc.completed_at) } : {}),
    ...present('duration_ms', doc.duration_ms),
    updated_at: iso(doc.updated_at),
  };
}

export function stepRunToDoc(step: StepRun): StepRunDoc {
  return {
    _id: step.id,
    tenant_id: step.tenant_id,
    execution_id: step.execution_id,
    task_name: step.task_name,
    task_path: step.task_path,
    task_type: step.task_type,
    status: step.status,
    attempt: step.attempt,
    ...(step.input !== undefined ? { input_json: toJson(step.input) } : {}),
    ...(step.output !== undefined ? { output_json: toJson(step.output) } : {}),
    ...(step.error !== undefined ? { error: step.error } : {}),
    started_at: new Date(step.started_at),
    ...(step.completed_at !== undefined ? { completed_at: new Date(step.completed_at) } : {}),
    ...(step.duration_ms !== undefined ? { duration_ms: step.duration_ms } : {}),
  };
}

export function stepRunFromDoc(doc: StepRunDoc): StepRun {
  return {
    id: doc._id,
    tenant_id: doc.tenant_id,
    execution_id: doc.execution_id,
    task_name: doc.task_name,
    task_path: doc.task_path,
    task_type: doc.task_type,
    status: doc.status,
    attempt: doc.attempt,
    ...(doc.input_json !== undefined && doc.input_json !== null ? { input: fromJson(doc.input_json) } : {}),
    ...(doc.output_json !== undefined && doc.output_json !== null ? { output: fromJson(doc.output_json) } : {}),
    ...present('error', doc.error),
    started_at: iso(doc.started_at),
    ...(doc.completed_at ? { completed_at: iso(doc.completed_at) } : {}),
    ...present('duration_ms', doc.duration_ms),
  };
}

function present<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A regular expression matching `text` literally, case-insensitively by lower-casing both sides. */
export function literal(text: string): RegExp {
  return new RegExp(text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

export function isDuplicateKey(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 11000;
}

/**
 * A write that lost a race with a concurrent one and may simply be tried again: MongoDB's
 * WriteConflict (112), and the deadlock a Postgres-backed server (DocumentDB, the test server)
 * reports when concurrent inserts meet on one unique key.
 */
export function isTransientWriteConflict(e: unknown): boolean {
  const error = e as { code?: unknown; message?: unknown } | null;
  return error?.code === 112 || (typeof error?.message === 'string' && /deadlock detected/i.test(error.message));
}
