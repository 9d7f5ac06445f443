/**
 * A child execution started by a `run: workflow` task. Its parent is written into the child's
 * idempotency key, which the execution row already stores on every backend: the key makes the
 * start exactly-once (a redelivered request finds the child it already created) and tells the
 * child's worker where to report the outcome when the child ends.
 */
export interface ParentTaskRef {
  readonly workflow_id: string;
  readonly execution_id: string;
  readonly task_path: string;
  readonly attempt: number;
  /** The parent task's loop iteration (TaskRef.iteration), absent outside loops. */
  readonly iteration?: string;
  /** Whether the parent waits for the child's outcome (`await`, default true). */
  readonly awaited: boolean;
}

const PREFIX = 'wormhole-child';

/** The idempotency key of the child execution started by one attempt of a parent's task. */
export function childIdempotencyKey(parent: ParentTaskRef): string {
  const { workflow_id, execution_id, attempt, awaited, task_path, iteration } = parent;
  // A loop runs the same task (path and attempt) once per iteration: each gets its own child.
  // Written as `await@1.0`, so keys from outside loops are what they always were.
  const mode = `${awaited ? 'await' : 'detach'}${iteration !== undefined ? `@${iteration}` : ''}`;
  // The task path goes last: it is the only part that may contain the separator.
  return [PREFIX, workflow_id, execution_id, String(attempt), mode, task_path].join(' ');
}

/** Whether `key` is in the form reserved for child executions (clients may not use it). */
export function isChildIdempotencyKey(key: string): boolean {
  return key.startsWith(`${PREFIX} `);
}

/** The parent written into a child's idempotency key, or undefined for any other key. */
export function parentOfKey(key: string | undefined): ParentTaskRef | undefined {
  if (key === undefined || !isChildIdempotencyKey(key)) return undefined;
  const [, workflowId, executionId, attempt, modeToken = '', ...path] = key.split(' ');
  const [mode, iteration] = modeToken.split('@');
  const attemptNumber = Number(attempt);
  if (!workflowId || !executionId || !Number.isInteger(attemptNumber) || (mode !== 'await' && mode !== 'detach')) {
    return undefined;
  }
  return {
    workflow_id: workflowId,
    execution_id: executionId,
    task_path: path.join(' '),
    attempt: attemptNumber,
    ...(iteration !== undefined && iteration !== '' && { iteration }),
    awaited: mode === 'await',
  };
}
