import type { JsonValue } from '../json';
import type { DslError } from './execution';

export type StepStatus = 'pending' | 'running' | 'completed' | 'faulted' | 'cancelled' | 'skipped';

/**
 * One run of one task of an execution: an attempt, and for a task inside a loop one iteration.
 * `id` identifies it; the same (task_path, attempt) can recur across loop iterations.
 */
export interface StepRun {
  readonly id: string;
  readonly tenant_id: string;
  readonly execution_id: string;
  /** The task's name in its `do` list. */
  readonly task_name: string;
  /** JSON pointer of the task in the document, e.g. "/do/0/fetch". */
  readonly task_path: string;
  /** The DSL task kind: set, call, wait, switch, … */
  readonly task_type: string;
  readonly status: StepStatus;
  readonly attempt: number;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: DslError;
  readonly started_at: string;
  readonly completed_at?: string;
  readonly duration_ms?: number;
}
