import type { ExpressionEvaluator } from './expressions';
import { NOW, Run, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: flow, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

function startedTasks(r: Run): string[] {
  return r.history.flatMap((event) => (event.type === 'io.wormhole.task.started' ? [event.data.task_name] : []));
}

describe('decide: inline tasks and flow directives', () => {
  it('runs a hello-world set and completes with its output, in one decision', () => {
    const r = run(`
do:
  - greet:
      set:
        message: '\${ "Hello, " + .name + "!" }'
`);
    const decision = r.receive(started({ name: 'Ada' }));
    expect(trace(decision.events)).toEqual(['task.started greet', 'task.completed greet', 'execution.completed']);
    expect(decision.state.status).toBe('completed');
    expect(decision.state.output).toEqual({ message: 'Hello, Ada!' });
    expect(decision.yielded).toBe(false);
    const first = decision.events[0]!;
    expect(first).toMatchObject({
      specversion: '1.0',
      time: NOW.toISOString(),
      tenantid: 'acme',
      workflowid: 'wf_1',
      executionid: 'ex_1',
      data: { task_path: '/do/0/greet', task_name: 'greet', task_type: 'set', attempt: 1, input: { name: 'Ada' } },
    });
  });

  it('runs tasks in declaration order, each one’s output being the next one’s input (ctk: implicit sequence)', () => {
    const r = run(`
do:
  - setRed:
      set:
        colors: '\${ .colors + [ "red" ] }'
  - setGreen:
      set:
        colors: '\${ .colors + [ "green" ] }'
  - setBlue:
      set:
        colors: '\${ .colors + [ "blue" ] }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({ colors: ['red', 'green', 'blue'] });
    expect(startedTasks(r)).toEqual(['setRed', 'setGreen', 'setBlue']);
  });

  it('follows then: <task> and then: end (ctk: explicit sequence)', () => {
    const r = run(`
do:
  - setRed:
      set:
        colors: '\${ .colors + [ "red" ] }'
      then: setGreen
  - setBlue:
      set:
        colors: '\${ .colors + [ "blue" ] }'
      then: end
  - setGreen:
      set:
        colors: '\${ .colors + [ "green" ] }'
      then: setBlue
`);
    const decision = r.receive(started({}));
    expect(decision.state.output).toEqual({ colors: ['red', 'green', 'blue'] });
    expect(startedTasks(r)).toEqual(['setRed', 'setGreen', 'setBlue']);
  });

  describe('switch', () => {
    const SWITCH = `
do:
  - switchColor:
      switch:
        - red:
            when: '.color == "red"'
            then: setRed
        - green:
            when: '.color == "green"'
            then: setGreen
        - anyOtherColor:
            then: setCustomColor
  - setRed:
      set:
        colors: '\${ .colors + [ "red" ] }'
      then: end
  - setGreen:
      set:
        colors: '\${ .colors + [ "green" ] }'
      then: end
  - setCustomColor:
      set:
        colors: '\${ .colors + [ $input.color ] }'
`;

    it('jumps to the task named by the first matching case', () => {
      const r = run(SWITCH);
      const decision = r.receive(started({ color: 'green' }));
      expect(decision.state.output).toEqual({ colors: ['green'] });
      expect(startedTasks(r)).toEqual(['switchColor', 'setGreen']);
      // The choice is recorded, so the fold does not need to evaluate the cases again.
      expect(r.last('io.wormhole.task.completed').data).toMatchObject({ task_name: 'setGreen' });
      const switchCompleted = r.history.find(
        (e) => e.type === 'io.wormhole.task.completed' && e.data.task_name === 'switchColor',
      );
      expect(switchCompleted?.data).toMatchObject({ output: { color: 'green' }, then: 'setGreen' });
    });

    it('takes the default case only when no other case matches', () => {
      const r = run(SWITCH);
      expect(r.receive(started({ color: 'yellow' })).state.output).toEqual({ colors: ['yellow'] });
      expect(startedTasks(r)).toEqual(['switchColor', 'setCustomColor']);
    });

    it('without a matching case, passes its input on and follows its own then (ctk: implicit default)', () => {
      const r = run(`
do:
  - switchColor:
      switch:
        - red:
            when: '.color == "red"'
            then: setRed
      then: end
  - setRed:
      set:
        colors: [ red ]
`);
      expect(r.receive(started({ color: 'yellow' })).state.output).toEqual({ color: 'yellow' });
      expect(startedTasks(r)).toEqual(['switchColor']);
    });
  });

  describe('nested do', () => {
    const NESTED = (directive: string) => `
do:
  - checkout:
      do:
        - reserve:
            set:
              reserved: true
        - charge:
            set: '\${ . + { charged: true } }'
            then: ${directive}
        - ship:
            set: '\${ . + { shipped: true } }'
      output:
        as: '\${ . + { checkout: "done" } }'
  - notify:
      set: '\${ . + { notified: true } }'
`;

    it('runs the subtasks with JSON-pointer paths, and the do task’s output is the last subtask’s', () => {
      const r = run(NESTED('continue'));
      const decision = r.receive(started({}));
      expect(decision.state.output).toEqual({
        reserved: true,
        charged: true,
        shipped: true,
        checkout: 'done',
        notified: true,
      });
      const paths = r.history.flatMap((e) => (e.type === 'io.wormhole.task.started' ? [e.data.task_path] : []));
      expect(paths).toEqual([
        '/do/0/checkout',
        '/do/0/checkout/do/0/reserve',
        '/do/0/checkout/do/1/charge',
        '/do/0/checkout/do/2/ship',
        '/do/1/notify',
      ]);
    });

    it('then: exit leaves only the current do and carries on after it', () => {
      const r = run(NESTED('exit'));
      expect(r.receive(started({})).state.output).toEqual({
        reserved: true,
        charged: true,
        checkout: 'done',
        notified: true,
      });
      expect(startedTasks(r)).not.toContain('ship');
    });

    it('then: end ends the whole workflow from any depth', () => {
      const r = run(NESTED('end'));
      const decision = r.receive(started({}));
      expect(decision.state.status).toBe('completed');
      expect(decision.state.output).toEqual({ reserved: true, charged: true });
      expect(startedTasks(r)).toEqual(['checkout', 'reserve', 'charge']);
    });

    it('then: exit at the top level completes the workflow', () => {
      const r = run(`
do:
  - first:
      set: { n: 1 }
      then: exit
  - second:
      set: { n: 2 }
`);
      expect(r.receive(started({})).state.output).toEqual({ n: 1 });
    });
  });

  it('skips a task whose if is false (its input flows on) and runs it when true', () => {
    const DOC = `
do:
  - discount:
      if: '\${ .total > 100 }'
      set: '\${ . + { total: (.total * 0.9) } }'
  - done:
      set: '\${ . + { done: true } }'
`;
    const small = run(DOC);
    expect(small.receive(started({ total: 50 })).state.output).toEqual({ total: 50, done: true });
    expect(startedTasks(small)).toEqual(['done']);
    const big = run(DOC);
    expect(big.receive(started({ total: 200 })).state.output).toEqual({ total: 180, done: true });
  });

  it('yields when an inline loop exceeds the event budget, and resumes on the next decision', () => {
    const r = new Run(
      workflow(`${HEADER}
do:
  - count:
      set: '\${ { n: (.n + 1) } }'
  - again:
      switch:
        - more:
            when: '.n < 30'
            then: count
`),
      evaluator,
      { maxEvents: 20 },
    );
    const first = r.receive(started({ n: 0 }));
    expect(first.yielded).toBe(true);
    expect(first.events.length).toBeLessThanOrEqual(20);
    expect(first.state.status).toBe('running');
    let decisions = 1;
    while (r.state.status === 'running') {
      r.decide();
      decisions++;
    }
    expect(r.state.output).toEqual({ n: 30 });
    expect(decisions).toBeGreaterThan(5);
  });
});
