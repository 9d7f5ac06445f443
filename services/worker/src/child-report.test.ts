import { applyEvents, initialState } from '@wormhole/dsl';
import type { EngineEvent } from '@wormhole/interfaces';
import { childIdempotencyKey, dslError, engineEvent, executionStartedEvent } from '@wormhole/interfaces';
import { childOutcomeReport } from './child-report';

const parent = { workflow_id: 'wf_p', execution_id: 'ex_p', task_path: '/do/0/child', attempt: 1, awaited: true };
const row = { id: 'ex_c', tenant_id: 't', workflow_id: 'wf_c', workflow_version: 1, input: {} };
const subject = { tenantid: 't', workflowid: 'wf_c', executionid: 'ex_c' };

function childState(key: string | undefined, ...after: EngineEvent[]) {
  const start = executionStartedEvent({ ...row, ...(key !== undefined && { idempotency_key: key }) }, 'test');
  return applyEvents(initialState(), [start, ...after]);
}

describe('childOutcomeReport', () => {
  it("reports a completed child's output to the parent's task, with an id derived from the child", () => {
    const state = childState(
      childIdempotencyKey(parent),
      engineEvent('io.wormhole.execution.completed', 'test', subject, { output: { n: 42 } }),
    );
    const report = childOutcomeReport(state);
    expect(report).toMatchObject({
      id: 'ex_c.parent-report',
      type: 'io.wormhole.task.completed',
      workflowid: 'wf_p',
      executionid: 'ex_p',
      data: { task_path: '/do/0/child', task_name: 'child', attempt: 1, output: { n: 42 } },
    });
  });

  it("reports a faulted child's error as the task's failure", () => {
    const error = dslError('validation', { detail: 'no' });
    const state = childState(
      childIdempotencyKey(parent),
      engineEvent('io.wormhole.execution.faulted', 'test', subject, { error }),
    );
    expect(childOutcomeReport(state)).toMatchObject({
      type: 'io.wormhole.task.failed',
      data: { error, retryable: false },
    });
  });

  it('reports nothing while the child runs, for a detached child, or for an execution without a parent', () => {
    const done = engineEvent('io.wormhole.execution.completed', 'test', subject, { output: 1 });
    expect(childOutcomeReport(childState(childIdempotencyKey(parent)))).toBeUndefined();
    expect(childOutcomeReport(childState(childIdempotencyKey({ ...parent, awaited: false }), done))).toBeUndefined();
    expect(childOutcomeReport(childState(undefined, done))).toBeUndefined();
    expect(childOutcomeReport(childState('client-key', done))).toBeUndefined();
  });
});
