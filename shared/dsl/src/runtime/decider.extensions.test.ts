import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { initialState } from './state';
import { Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: extensions, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

/** The names of the tasks that started a run (a composite moving on inside itself excepted). */
function startedNames(r: Run): string[] {
  return r.history.flatMap((event) =>
    event.type === 'io.wormhole.task.started' && (event.data as { body?: unknown }).body === undefined
      ? [event.data.task_name]
      : [],
  );
}

/** The history folds to the state the decider reached: nothing an extension decided is lost on replay. */
function expectReplayable(r: Run): void {
  expect(applyEvents(initialState(), r.history)).toEqual(r.state);
}

describe('decide: use.extensions', () => {
  it('runs before tasks on the input of each task of the extended type, their output being its input', () => {
    const r = run(`
use:
  extensions:
    - stamp:
        extend: set
        before:
          - addStamp:
              set: '\${ . + { stamped: true } }'
do:
  - first:
      set: '\${ . + { first: .stamped } }'
  - other:
      wait: PT0S
`);
    r.receive(started({ n: 1 }));
    expect(startedNames(r)).toEqual(['first', 'addStamp', 'other']);
    const addStamp = r.history.find(
      (event) => event.type === 'io.wormhole.task.started' && event.data.task_name === 'addStamp',
    );
    expect(addStamp?.data).toMatchObject({ task_path: '/do/0/first/@extension/0/before/0/addStamp', input: { n: 1 } });
    // `first` ran on what the before list produced; the wait (not a set) was not extended.
    expect(r.state.tasks.at(-1)?.input).toEqual({ n: 1, stamped: true, first: true });
    expectReplayable(r);
  });

  it('runs after tasks on the raw output, before output.as, and their output is the task’s raw output', () => {
    const r = run(`
use:
  extensions:
    - wrap:
        extend: set
        after:
          - addAudit:
              set: '\${ . + { audited: $task.reference } }'
do:
  - compute:
      set:
        value: 42
      output:
        as: '{ result: . }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.status).toBe('completed');
    expect(decision.state.output).toEqual({ result: { value: 42, audited: '/do/0/compute' } });
    expect(startedNames(r)).toEqual(['compute', 'addAudit']);
    expectReplayable(r);
  });

  it('extends every task with `extend: all`, in declaration order, and never the extension’s own tasks', () => {
    const r = run(`
use:
  extensions:
    - trace:
        extend: all
        before:
          - note:
              set: '\${ . + { trail: ((.trail // []) + [ "before " + $task.name ]) } }'
        after:
          - note:
              set: '\${ . + { trail: (.trail + [ "after " + $task.name ]) } }'
    - second:
        extend: all
        before:
          - again:
              set: '\${ . + { trail: (.trail + [ "second " + $task.name ]) } }'
do:
  - a:
      set: '\${ . }'
  - b:
      switch:
        - always:
            then: continue
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({
      trail: ['before a', 'second a', 'after a', 'before b', 'second b', 'after b'],
    });
    expect(startedNames(r)).toEqual(['a', 'note', 'again', 'note', 'b', 'note', 'again', 'note']);
    expectReplayable(r);
  });

  it('skips an extension whose `when` is false, with the task input as `.` and the task as `$task`', () => {
    const r = run(`
use:
  extensions:
    - onlyBig:
        extend: set
        when: '.n > 10 and $task.name != "skipMe"'
        before:
          - mark:
              set: '\${ . + { marked: true } }'
do:
  - small:
      set: '\${ . }'
  - grow:
      set: '\${ { n: 20 } }'
  - big:
      set: '\${ . }'
  - skipMe:
      set: '\${ . }'
`);
    const decision = r.receive(started({ n: 1 }));
    expect(startedNames(r)).toEqual(['small', 'grow', 'big', 'mark', 'skipMe']);
    expect(decision.state.output).toEqual({ n: 20, marked: true });
    expectReplayable(r);
  });

  it('bypasses the extended task when a before task exits, its output becoming the task’s (spec: mock example)', () => {
    const r = run(`
use:
  extensions:
    - mockService:
        extend: call
        # As the spec's mock example writes it: the definition's fields on $task.
        when: '$task.call == "http" and ($task.with.endpoint.uri | startswith("https://mocked.service.com"))'
        before:
          - mockResponse:
              set:
                foo:
                  bar: baz
              then: exit
          - neverRuns:
              set: {}
do:
  - callHttp:
      call: http
      with:
        method: get
        endpoint:
          uri: https://mocked.service.com/sample
      output:
        as: .foo
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({ bar: 'baz' });
    expect(trace(decision.events)).not.toContain('task.requested callHttp');
    expect(startedNames(r)).toEqual(['callHttp', 'mockResponse']);
    expectReplayable(r);
  });

  it('hands a `call: http` extension task to the executor and goes on when it completes', () => {
    const r = run(`
use:
  extensions:
    - logging:
        extend: set
        before:
          - sendLog:
              call: http
              with:
                method: post
                endpoint: https://log.example.com
                body:
                  message: '\${ "Executing task " + $task.reference }'
do:
  - greet:
      set:
        hello: world
`);
    const first = r.receive(started({}));
    expect(first.state.status).toBe('running');
    const requested = r.last('io.wormhole.task.requested');
    const path = '/do/0/greet/@extension/0/before/0/sendLog';
    expect(requested.data).toMatchObject({
      task_path: path,
      task: { call: 'http', with: { body: { message: 'Executing task /do/0/greet' } } },
    });
    const second = r.receive(
      external('io.wormhole.task.completed', {
        task_path: path,
        task_name: 'sendLog',
        task_type: 'call',
        attempt: 1,
        output: { status: 202 },
      }),
    );
    expect(second.state.status).toBe('completed');
    // The log call's output was greet's input; greet's set ignores it.
    expect(second.state.output).toEqual({ hello: 'world' });
    expectReplayable(r);
  });

  it('extends tasks nested in `do` and in a `for`, once per iteration, and the composites themselves', () => {
    const r = run(`
use:
  extensions:
    - count:
        extend: set
        after:
          - bump:
              set: '\${ . + { sets: ((.sets // 0) + 1) } }'
    - composites:
        extend: composite
        before:
          - enter:
              set: '\${ . + { entered: ((.entered // 0) + 1) } }'
do:
  - outer:
      do:
        - loop:
            for:
              in: '\${ [1, 2, 3] }'
            do:
              - inner:
                  set: '\${ . + { last: $item } }'
`);
    const decision = r.receive(started({}));
    // `enter` ran before `outer` (a `do`); `bump` after each of the three `inner`s, not after `enter`/`bump`.
    expect(decision.state.output).toEqual({ entered: 1, last: 3, sets: 3 });
    expect(startedNames(r).filter((name) => name === 'bump')).toHaveLength(3);
    expectReplayable(r);
  });

  it('fails the extended task when an extension task fails, and runs no after list then', () => {
    const r = run(`
use:
  extensions:
    - guard:
        extend: set
        when: '$task.name == "work"'
        before:
          - check:
              raise:
                error:
                  type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
                  status: 400
        after:
          - never:
              set: {}
do:
  - guarded:
      try:
        - work:
            set: { done: true }
      catch:
        as: e
        do:
          - recover:
              set: '\${ { recovered: $e.instance } }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({ recovered: '/do/0/guarded/try/0/work/@extension/0/before/0/check' });
    expect(startedNames(r)).not.toContain('never');
    expectReplayable(r);
  });

  it('keeps the switch’s chosen directive through the after list', () => {
    const r = run(`
use:
  extensions:
    - after:
        extend: switch
        after:
          - seen:
              set: '\${ . + { seen: true } }'
do:
  - choose:
      switch:
        - jump:
            then: target
  - skipped:
      set: { skipped: true }
  - target:
      set: '\${ . + { target: true } }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({ seen: true, target: true });
    expectReplayable(r);
  });

  it('runs a `for`’s after list once, after its last iteration, and a `fork`’s before list before its branches', () => {
    const r = run(`
use:
  extensions:
    - loops:
        extend: for
        after:
          - total:
              set: '\${ { total: .sum } }'
    - forks:
        extend: fork
        before:
          - prepare:
              set: '\${ . + { prepared: true } }'
do:
  - sum:
      for:
        in: '\${ [1, 2, 3] }'
      do:
        - add:
            set: '\${ { sum: ((.sum // 0) + $item) } }'
  - split:
      fork:
        branches:
          - left:
              set: '\${ { left: .prepared, total: .total } }'
          - right:
              set: '\${ { right: .prepared } }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual([{ left: true, total: 6 }, { right: true }]);
    expect(startedNames(r).filter((name) => name === 'total')).toHaveLength(1);
    expectReplayable(r);
  });

  it('runs the after list of a `wait` once its timer fired', () => {
    const r = run(`
use:
  extensions:
    - waited:
        extend: wait
        after:
          - mark:
              set: '\${ . + { waited: true } }'
do:
  - pause:
      wait: PT1S
`);
    r.receive(started({ n: 1 }));
    const timer = r.last('io.wormhole.timer.scheduled').data;
    const decision = r.receive(
      external('io.wormhole.timer.fired', {
        task_path: timer.task_path,
        task_name: timer.task_name,
        task_type: timer.task_type,
        timer_id: timer.timer_id,
      }),
    );
    expect(decision.state.output).toEqual({ n: 1, waited: true });
    expectReplayable(r);
  });

  it('fails the task when a `when` does not evaluate', () => {
    const r = run(`
use:
  extensions:
    - broken:
        extend: set
        when: '.n | tonumber | not_a_function'
        before:
          - never:
              set: {}
do:
  - task:
      set: {}
`);
    const decision = r.receive(started({ n: 'x' }));
    expect(decision.state.status).toBe('faulted');
    expect(decision.state.error).toMatchObject({ instance: '/do/0/task' });
  });

  it('extends the calls of a fork’s branches side by side, each extension run under its own task', () => {
    const r = run(`
use:
  extensions:
    - tag:
        extend: call
        before:
          - label:
              set: '\${ { who: $task.name } }'
do:
  - both:
      fork:
        branches:
          - left:
              call: http
              with: { method: get, endpoint: https://example.com/left }
          - right:
              call: http
              with: { method: get, endpoint: https://example.com/right }
`);
    r.receive(started({}));
    const requested = r.history.flatMap((event) =>
      event.type === 'io.wormhole.task.requested' ? [[event.data.task_path, event.data.input]] : [],
    );
    expect(requested).toEqual([
      ['/do/0/both/fork/branches/0/left', { who: 'left' }],
      ['/do/0/both/fork/branches/1/right', { who: 'right' }],
    ]);
    for (const [path, name] of [
      ['/do/0/both/fork/branches/0/left', 'left'],
      ['/do/0/both/fork/branches/1/right', 'right'],
    ] as const) {
      r.receive(
        external('io.wormhole.task.completed', {
          task_path: path,
          task_name: name,
          task_type: 'call',
          attempt: 1,
          output: { from: name },
        }),
      );
    }
    expect(r.state.output).toEqual([{ from: 'left' }, { from: 'right' }]);
    expectReplayable(r);
  });
});
