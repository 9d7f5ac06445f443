import type { EngineEvent } from '@wormhole/interfaces';
import { dslError, engineEvent, isTerminalStatus } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';

const SOURCE = 'wormhole/worker';

/**
 * The outcome of an ended child execution (`run: workflow`, awaited), addressed to the parent's
 * task as that task's `task.completed` (the child's output) or `task.failed` (the child's error,
 * which the parent's try/catch may catch). The parent waits for it in phase `requested`, like a
 * task with the executor, so it holds no worker meanwhile. Its id derives from the child, so a
 * report sent again after a crash is one event in the parent's history. Undefined while the
 * child runs, or when it was not started by an awaiting parent.
 */
export function childOutcomeReport(state: ExecutionState): EngineEvent | undefined {
  const identity = state.identity;
  const parent = identity?.parent;
  if (!identity || !parent?.awaited || !isTerminalStatus(state.status)) return undefined;
  const subject = { tenantid: identity.tenantId, workflowid: parent.workflow_id, executionid: parent.execution_id };
  const task = {
    task_path: parent.task_path,
    task_name: parent.task_path.split('/').pop() ?? '',
    task_type: 'run',
    attempt: parent.attempt,
    ...(parent.iteration !== undefined && { iteration: parent.iteration }),
  };
  const id = `${identity.executionId}.parent-report`;
  if (state.status === 'completed') {
    return engineEvent(
      'io.wormhole.task.completed',
      SOURCE,
      subject,
      { ...task, output: state.output ?? null },
      { id },
    );
  }
  const error =
    state.error ??
    dslError('runtime', {
      title: 'Child execution cancelled',
      detail: `child execution '${identity.executionId}' was ${state.status}`,
      instance: parent.task_path,
    });
  return engineEvent('io.wormhole.task.failed', SOURCE, subject, { ...task, error, retryable: false }, { id });
}
