import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { initialState } from './state';
import { Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: loops, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

describe('decide: for', () => {
  it('iterates with $each and $index, each iteration’s output feeding the next (ctk: for task)', () => {
    const r = run(`
do:
  - loopColors:
      for:
        each: color
        in: '.colors'
      do:
        - markProcessed:
            set:
              processed: '\${ { colors: (.processed.colors + [ $color ]), indexes: (.processed.indexes + [ $index ])} }'
`);
    const decision = r.receive(started({ colors: ['red', 'green', 'blue'] }));
    expect(decision.state.status).toBe('completed');
    expect(decision.state.output).toEqual({ processed: { colors: ['red', 'green', 'blue'], indexes: [0, 1, 2] } });
    expect(trace(decision.events)).toEqual([
      'task.started loopColors',
      'task.started loopColors',
      'task.started markProcessed',
      'task.completed markProcessed',
      'task.started loopColors',
      'task.started markProcessed',
      'task.completed markProcessed',
      'task.started loopColors',
      'task.started markProcessed',
      'task.completed markProcessed',
      'task.completed loopColors',
      'execution.completed',
    ]);
    // Each run of the inner task says which iteration it belongs to.
    const iterations = decision.events.flatMap((e) =>
      e.type === 'io.wormhole.task.started' && e.data.task_name === 'markProcessed' ? [e.data.iteration] : [],
    );
    expect(iterations).toEqual(['0', '1', '2']);
  });

  it('defaults each/at to $item/$index and stops when while no longer holds', () => {
    const r = run(`
do:
  - sum:
      for:
        in: '\${ .numbers }'
      while: '\${ .total < 5 }'
      do:
        - add:
            set: '\${ { total: (.total + $item), last: $index } }'
`);
    const decision = r.receive(started({ numbers: [1, 2, 3, 4, 5], total: 0 }));
    // 1, +2 = 3, +3 = 6: the fourth iteration's while fails.
    expect(decision.state.output).toEqual({ total: 6, last: 2 });
  });

  it('completes with its input over an empty or null collection', () => {
    for (const items of [[], null]) {
      const r = run(`
do:
  - loop:
      for:
        in: .items
      do:
        - never:
            raise:
              error: { type: https://example.com/e, status: 500 }
`);
      expect(r.receive(started({ items })).state.output).toEqual({ items });
    }
  });

  it('faults with a validation error when for.in is not an array', () => {
    const r = run(`
do:
  - loop:
      for:
        in: .items
      do:
        - noop:
            set: {}
`);
    expect(r.receive(started({ items: { a: 1 } })).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.validation.type,
      instance: '/do/0/loop',
    });
  });

  it('faults with a configuration error when each or at would hide a runtime argument or is no identifier', () => {
    for (const naming of ['each: input', 'at: context', 'each: my-item']) {
      const r = run(`
do:
  - loop:
      for:
        ${naming}
        in: .items
      do:
        - noop:
            set: {}
`);
      expect(r.receive(started({ items: [1] })).state.error).toMatchObject({
        type: DSL_ERROR_TYPES.configuration.type,
        instance: '/do/0/loop',
      });
    }
  });

  it('waits inside an iteration for the executor and goes on where it was, also after a restart', () => {
    const r = run(`
do:
  - fetchAll:
      for:
        each: id
        in: .ids
      do:
        - fetch:
            call: http
            with:
              method: get
              endpoint: '\${ "https://example.com/pets/" + ($id | tostring) }'
            output:
              as: '\${ $input + { names: (($input.names // []) + [ .name ]) } }'
`);
    r.receive(started({ ids: [7, 8] }));
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      input: { ids: [7, 8] },
      task: { with: { endpoint: 'https://example.com/pets/7' } },
      iteration: '0',
    });
    const ref = { task_path: '/do/0/fetchAll/do/0/fetch', task_name: 'fetch', task_type: 'call' };
    r.receive(external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { name: 'rex' } }));
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      input: { ids: [7, 8], names: ['rex'] },
      task: { with: { endpoint: 'https://example.com/pets/8' } },
    });
    // The state holds the collection and the position: the history alone rebuilds it.
    const restarted = new Run(r.document, evaluator);
    restarted.state = applyEvents(initialState(), r.history);
    expect(restarted.state).toEqual(r.state);
    const done = restarted.receive(
      external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { name: 'fido' } }),
    );
    expect(trace(done.events)).toEqual(['task.completed fetchAll', 'execution.completed']);
    expect(done.state.output).toEqual({ ids: [7, 8], names: ['rex', 'fido'] });
  });

  it('nests loops, with inner and outer variables both in scope', () => {
    const r = run(`
do:
  - rows:
      for:
        each: row
        in: .rows
      do:
        - cols:
            for:
              each: col
              at: j
              in: .cols
            do:
              - cell:
                  set: '\${ . + { cells: (.cells + [ ($row | tostring) + ":" + $col + "@" + ($index | tostring) + ($j | tostring) ]) } }'
`);
    const decision = r.receive(started({ rows: [1, 2], cols: ['a', 'b'], cells: [] }));
    expect(decision.state.output).toMatchObject({ cells: ['1:a@00', '1:b@01', '2:a@10', '2:b@11'] });
    const iterations = decision.events.flatMap((e) =>
      e.type === 'io.wormhole.task.started' && e.data.task_name === 'cell' ? [e.data.iteration] : [],
    );
    expect(iterations).toEqual(['0.0', '0.1', '1.0', '1.1']);
  });
});

describe('decide: fork', () => {
  const FORK = (compete: boolean) => `
do:
  - alert:
      fork:
        compete: ${String(compete)}
        branches:
          - callNurse:
              call: http
              with:
                method: put
                endpoint: https://hospital.example/nurses
          - callDoctor:
              call: http
              with:
                method: put
                endpoint: https://hospital.example/doctor
`;
  const nurse = { task_path: '/do/0/alert/fork/branches/0/callNurse', task_name: 'callNurse', task_type: 'call' };
  const doctor = { task_path: '/do/0/alert/fork/branches/1/callDoctor', task_name: 'callDoctor', task_type: 'call' };

  it('starts every branch at once and completes with their outputs in declaration order', () => {
    const r = run(FORK(false));
    const first = r.receive(started({ room: 1 }));
    expect(trace(first.events)).toEqual([
      'task.started alert',
      'task.started callNurse',
      'task.started callDoctor',
      'task.requested callNurse',
      'task.requested callDoctor',
    ]);
    // The branch declared last answers first; the output keeps the declaration order.
    const one = r.receive(external('io.wormhole.task.completed', { ...doctor, attempt: 1, output: 'doctor' }));
    expect(trace(one.events)).toEqual(['task.started alert']);
    expect(one.state.status).toBe('running');
    const both = r.receive(external('io.wormhole.task.completed', { ...nurse, attempt: 1, output: 'nurse' }));
    expect(trace(both.events)).toEqual(['task.completed alert', 'execution.completed']);
    expect(both.state.output).toEqual(['nurse', 'doctor']);
    expect(applyEvents(initialState(), r.history)).toEqual(r.state);
  });

  it('with compete, completes with the first branch to finish and ignores the others', () => {
    const r = run(FORK(true));
    r.receive(started({}));
    const won = r.receive(external('io.wormhole.task.completed', { ...doctor, attempt: 1, output: 'doctor' }));
    expect(trace(won.events)).toEqual(['task.completed alert', 'execution.completed']);
    expect(won.state.output).toBe('doctor');
    const late = r.receive(external('io.wormhole.task.completed', { ...nurse, attempt: 1, output: 'nurse' }));
    expect(late.events).toEqual([]);
    expect(late.state.output).toBe('doctor');
  });

  it('races inline branches too: with compete, one output (ctk: fork with competing sub tasks)', () => {
    const r = run(`
do:
  - branchWithCompete:
      fork:
        compete: true
        branches:
          - setRed:
              set:
                colors: '\${ .colors + ["red"] }'
          - setGreen:
              set:
                colors: '\${ .colors + ["green"] }'
`);
    const decision = r.receive(started({ colors: [] }));
    expect(decision.state.status).toBe('completed');
    expect(decision.state.output).toEqual({ colors: ['red'] });
  });

  it('fails when a branch fails, and the error rises with the branch’s task as its instance', () => {
    const r = run(FORK(false));
    r.receive(started({}));
    const error = { type: DSL_ERROR_TYPES.communication.type, status: 502, instance: nurse.task_path };
    const failed = r.receive(external('io.wormhole.task.failed', { ...nurse, attempt: 1, error, retryable: false }));
    expect(trace(failed.events)).toEqual(['task.failed alert', 'execution.faulted']);
    expect(failed.state.error).toEqual(error);
  });

  it('gives a branch skipped by its if its input as output, and steps mixed branches in a fixed order', () => {
    const r = run(`
do:
  - mixed:
      fork:
        branches:
          - skipped:
              if: '\${ false }'
              set: { never: true }
          - pause:
              wait: PT1M
          - inline:
              set: { inline: true }
`);
    const first = r.receive(started({ n: 1 }));
    expect(trace(first.events)).toEqual([
      'task.started mixed',
      'task.started pause',
      'task.started inline',
      'task.started mixed',
      'timer.scheduled pause',
      'task.completed inline',
      'task.started mixed',
    ]);
    const timer = r.last('io.wormhole.timer.scheduled').data;
    const done = r.receive(external('io.wormhole.timer.fired', { ...timer, timer_id: timer.timer_id }));
    expect(trace(done.events)).toEqual(['task.completed pause', 'task.completed mixed', 'execution.completed']);
    expect(done.state.output).toEqual([{ n: 1 }, { n: 1 }, { inline: true }]);
  });
});
