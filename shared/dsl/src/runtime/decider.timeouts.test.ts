import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { pendingWork } from './state';
import { NOW, Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: timeouts, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);
const callRef = { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call' };
const TIMEOUT_TYPE = DSL_ERROR_TYPES.timeout.type;

const TIMED_CALL = `
do:
  - fetch:
      call: http
      with:
        method: get
        endpoint: https://slow.example/
      timeout:
        after:
          seconds: 10
`;

describe('decide: timeouts', () => {
  it('arms a durable timer beside the task, which does not make the execution wait', () => {
    const r = run(TIMED_CALL);
    const first = r.receive(started({}));
    expect(trace(first.events)).toEqual(['task.started fetch', 'timer.scheduled fetch', 'task.requested fetch']);
    const timer = r.last('io.wormhole.timer.scheduled');
    expect(timer.data).toEqual({ ...callRef, timer_id: timer.id, due_at: seconds(10).toISOString(), kind: 'timeout' });
    expect(first.state.status).toBe('running');
    expect(pendingWork(first.state)).toEqual({
      tasks: [{ path: '/do/0/fetch', attempt: 1 }],
      timers: [{ path: '/do/0/fetch', timerId: timer.id }],
    });
  });

  it('fails the task with the timeout error (408) when the timer fires first, and ignores the late result', () => {
    const r = run(TIMED_CALL);
    r.receive(started({}));
    const timerId = r.last('io.wormhole.timer.scheduled').data.timer_id;
    const fired = r.receive(external('io.wormhole.timer.fired', { ...callRef, timer_id: timerId }), seconds(10));
    expect(trace(fired.events)).toEqual(['task.failed fetch', 'execution.faulted']);
    expect(fired.state.error).toMatchObject({ type: TIMEOUT_TYPE, status: 408, instance: '/do/0/fetch' });
    const late = r.receive(external('io.wormhole.task.completed', { ...callRef, attempt: 1, output: {} }));
    expect(late.events).toEqual([]);
    expect(late.state.status).toBe('faulted');
  });

  it('ignores the timer of a task that already completed', () => {
    const r = run(`${TIMED_CALL}
  - after:
      wait: PT1M
`);
    r.receive(started({}));
    const timerId = r.last('io.wormhole.timer.scheduled').data.timer_id;
    r.receive(external('io.wormhole.task.completed', { ...callRef, attempt: 1, output: { ok: true } }));
    const stale = r.receive(external('io.wormhole.timer.fired', { ...callRef, timer_id: timerId }), seconds(10));
    expect(stale.events).toEqual([]);
    expect(stale.state.status).toBe('waiting');
  });

  it('lets a try catch a timeout, and reads the duration from use.timeouts', () => {
    const r = run(`
use:
  timeouts:
    short:
      after: PT5S
do:
  - guard:
      try:
        - slow:
            timeout: short
            wait: PT1H
      catch:
        errors:
          with:
            type: ${TIMEOUT_TYPE}
        do:
          - fallback:
              set: { timedOut: '\${ $error.instance }' }
`);
    r.receive(started({}));
    const deadline = r.history.find((e) => e.type === 'io.wormhole.timer.scheduled' && e.data.kind === 'timeout');
    expect(deadline?.data).toMatchObject({ due_at: seconds(5).toISOString() });
    const slow = { task_path: '/do/0/guard/try/0/slow', task_name: 'slow', task_type: 'wait' };
    const fired = r.receive(
      external('io.wormhole.timer.fired', { ...slow, timer_id: (deadline!.data as { timer_id: string }).timer_id }),
    );
    expect(fired.state.status).toBe('completed');
    expect(fired.state.output).toEqual({ timedOut: '/do/0/guard/try/0/slow' });
  });

  it('times out a composite task, dropping what runs inside it', () => {
    const r = run(`
do:
  - steps:
      timeout:
        after: PT30S
      do:
        - pause:
            wait: PT1M
`);
    r.receive(started({}));
    const [deadline, pause] = r.history.filter((e) => e.type === 'io.wormhole.timer.scheduled');
    const stepsRef = { task_path: '/do/0/steps', task_name: 'steps', task_type: 'do' };
    const fired = r.receive(
      external('io.wormhole.timer.fired', { ...stepsRef, timer_id: (deadline!.data as { timer_id: string }).timer_id }),
    );
    expect(trace(fired.events)).toEqual(['task.failed steps', 'execution.faulted']);
    expect(fired.state.error).toMatchObject({ type: TIMEOUT_TYPE, instance: '/do/0/steps' });
    const pauseRef = { task_path: '/do/0/steps/do/0/pause', task_name: 'pause', task_type: 'wait' };
    const late = r.receive(
      external('io.wormhole.timer.fired', { ...pauseRef, timer_id: (pause!.data as { timer_id: string }).timer_id }),
    );
    expect(late.events).toEqual([]);
  });

  it('faults the execution when the workflow’s timeout fires (spec example: wait 60 s, timeout 30 s)', () => {
    const r = run(`
timeout:
  after:
    seconds: 30
do:
  - waitAMinute:
      wait:
        seconds: 60
`);
    const first = r.receive(started({}));
    expect(trace(first.events)).toEqual([
      'timer.scheduled timeouts',
      'task.started waitAMinute',
      'timer.scheduled waitAMinute',
    ]);
    const workflowTimer = first.events[0]!.data as { timer_id: string; task_path: string; kind: string };
    expect(workflowTimer).toMatchObject({ task_path: '', task_type: 'workflow', kind: 'timeout' });
    expect(pendingWork(first.state).timers).toContainEqual({ path: '', timerId: workflowTimer.timer_id });
    const fired = r.receive(
      external('io.wormhole.timer.fired', {
        task_path: '',
        task_name: 'timeouts',
        task_type: 'workflow',
        timer_id: workflowTimer.timer_id,
      }),
      seconds(30),
    );
    expect(trace(fired.events)).toEqual(['execution.faulted']);
    expect(fired.state.error).toMatchObject({ type: TIMEOUT_TYPE, status: 408, instance: '/timeout' });
  });

  it('faults with a configuration error when a task’s timeout names nothing in use.timeouts', () => {
    const r = run(`
do:
  - fetch:
      timeout: missing
      set: {}
`);
    expect(r.receive(started({})).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: "no timeout named 'missing' in use.timeouts",
      instance: '/do/0/fetch',
    });
  });
});
