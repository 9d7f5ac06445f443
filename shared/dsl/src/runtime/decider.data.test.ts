import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { Run, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: data, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

describe('decide: data flow', () => {
  it('filters a task’s input with input.from (ctk: input filtering)', () => {
    const r = run(`
do:
  - setPlayerId:
      input:
        from: .user.claims.subject
      set:
        playerId: \${ . }
`);
    const decision = r.receive(started({ user: { claims: { subject: '6AsnRgGEB0q2O7ux9JXFAw' } } }));
    expect(decision.state.output).toEqual({ playerId: '6AsnRgGEB0q2O7ux9JXFAw' });
    // The started event carries both inputs: the fold cannot evaluate input.from itself.
    expect(r.last('io.wormhole.task.started').data).toMatchObject({
      input: '6AsnRgGEB0q2O7ux9JXFAw',
      raw_input: { user: { claims: { subject: '6AsnRgGEB0q2O7ux9JXFAw' } } },
    });
  });

  it('transforms a task’s output with output.as, which sees the transformed input as $input', () => {
    const r = run(`
do:
  - price:
      input:
        from: '\${ .order }'
      set:
        amount: '\${ .qty * .unit }'
      output:
        as: '\${ { order: $input.id, total: .amount } }'
`);
    expect(r.receive(started({ order: { id: 'o-1', qty: 3, unit: 5 } })).state.output).toEqual({
      order: 'o-1',
      total: 15,
    });
  });

  it('applies the workflow’s input.from before the first task and output.as after the last', () => {
    const r = run(`
input:
  from: '\${ .order }'
do:
  - total:
      set:
        sum: '\${ [.items[].price] | add }'
        raw: '\${ $workflow.input.customer }'
output:
  as: '\${ { total: .sum, customer: .raw } }'
`);
    const decision = r.receive(started({ customer: 'ana', order: { items: [{ price: 2 }, { price: 3 }] } }));
    expect(decision.state.output).toEqual({ total: 5, customer: 'ana' });
  });

  it('exports into $context with export.as, visible to later tasks and to the workflow output', () => {
    const r = run(`
do:
  - login:
      set:
        user: ana
        token: secret-token
      export:
        as: '\${ $context + { user: .user } }'
  - audit:
      set:
        step: audit
      export:
        as: '\${ $context + { audited: $output.step } }'
  - greet:
      set:
        greeting: '\${ "hi " + $context.user }'
output:
  as: '\${ . + { context: $context } }'
`);
    const decision = r.receive(started({}));
    expect(decision.state.context).toEqual({ user: 'ana', audited: 'audit' });
    expect(decision.state.output).toEqual({ greeting: 'hi ana', context: { user: 'ana', audited: 'audit' } });
    // The new context travels on the next event, only when it changed.
    const startedEvents = r.history.filter((e) => e.type === 'io.wormhole.task.started');
    expect(startedEvents.map((e) => (e.data as { context?: unknown }).context)).toEqual([
      undefined,
      { user: 'ana' },
      { user: 'ana', audited: 'audit' },
    ]);
  });

  it('describes the task and the workflow to expressions ($task, $workflow, $runtime)', () => {
    const r = run(`
do:
  - describe:
      set:
        name: '\${ $task.name }'
        reference: '\${ $task.reference }'
        started: '\${ $task.startedAt.iso8601 }'
        execution: '\${ $workflow.id }'
        workflow: '\${ $workflow.definition.document.name }'
        runtime: '\${ $runtime.name }'
`);
    expect(r.receive(started({})).state.output).toEqual({
      name: 'describe',
      reference: '/do/0/describe',
      started: '2026-01-01T00:00:00.000Z',
      execution: 'ex_1',
      workflow: 'data',
      runtime: 'wormhole',
    });
  });
});

describe('decide: errors', () => {
  it('raise faults the execution with the error object, instance defaulting to the task (ctk: raise)', () => {
    const r = run(`
do:
  - raiseError:
      raise:
        error:
          status: 400
          type: https://serverlessworkflow.io/errors/types/compliance
          title: Compliance Error
`);
    const decision = r.receive(started({}));
    expect(trace(decision.events)).toEqual(['task.started raiseError', 'task.failed raiseError', 'execution.faulted']);
    expect(decision.state.status).toBe('faulted');
    expect(decision.state.error).toEqual({
      status: 400,
      type: 'https://serverlessworkflow.io/errors/types/compliance',
      title: 'Compliance Error',
      instance: '/do/0/raiseError',
    });
  });

  it('raises a named error from use.errors with expressions in it, through the enclosing do', () => {
    const r = run(`
use:
  errors:
    rejected:
      type: https://example.com/errors/rejected
      status: 422
      detail: '\${ "order " + .id + " rejected" }'
do:
  - process:
      do:
        - reject:
            raise:
              error: rejected
  - never:
      set: {}
`);
    const decision = r.receive(started({ id: 'o-9' }));
    expect(trace(decision.events)).toEqual([
      'task.started process',
      'task.started reject',
      'task.failed reject',
      'task.failed process',
      'execution.faulted',
    ]);
    expect(decision.state.error).toEqual({
      type: 'https://example.com/errors/rejected',
      status: 422,
      detail: 'order o-9 rejected',
      instance: '/do/0/process/do/0/reject',
    });
  });

  it.each([
    ['a set expression', `set: { x: '\${ .a + 1 }' }`],
    ['an if condition', `if: '\${ .a + 1 }'\n      set: {}`],
    ['input.from', `input: { from: '.a + 1' }\n      set: {}`],
    ['output.as', `set: { a: x }\n      output: { as: '.a + 1' }`],
    ['export.as', `set: { a: x }\n      export: { as: '.a' }`],
  ])('an error in %s faults with the DSL error attributed to the task', (_, task) => {
    const r = run(`
do:
  - broken:
      ${task}
`);
    const decision = r.receive(started({ a: 'text' }));
    expect(decision.state.status).toBe('faulted');
    expect(decision.state.error).toMatchObject({ instance: '/do/0/broken', status: 400 });
    expect([DSL_ERROR_TYPES.expression.type, DSL_ERROR_TYPES.validation.type]).toContain(decision.state.error?.type);
    expect(r.last('io.wormhole.task.failed').data.task_path).toBe('/do/0/broken');
  });

  it('faults when the workflow’s input.from fails, before any task', () => {
    const r = run(`
input:
  from: '\${ .a.b.c + 1 }'
do:
  - never:
      set: {}
`);
    const decision = r.receive(started({ a: { b: { c: 'x' } } }));
    expect(trace(decision.events)).toEqual(['execution.faulted']);
    expect(decision.state.error).toMatchObject({ type: DSL_ERROR_TYPES.expression.type, instance: '/input/from' });
  });

  it('no longer refuses listen until (it was the last construct with a 501): the execution waits', () => {
    const r = run(`
do:
  - await:
      listen:
        to:
          any:
            - with:
                type: com.example.ready
          until: \${ true }
`);
    const decision = r.receive(started({ items: [1] }));
    expect(decision.state.error).toBeUndefined();
    expect(decision.state.status).toBe('waiting');
  });
});
