import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { NOW, Run, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: tasks, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

describe('decide: emit', () => {
  const EMIT = `
do:
  - announce:
      emit:
        event:
          with:
            source: https://petstore.example
            type: com.petstore.order.placed.v1
            data:
              client: '\${ .client }'
              items: [ { breed: dog } ]
`;

  it('records the evaluated CloudEvent as event.emitted and completes with it as output, inline', () => {
    const r = run(EMIT);
    const decision = r.receive(started({ client: 'ada' }));
    expect(trace(decision.events)).toEqual([
      'task.started announce',
      'event.emitted',
      'task.completed announce',
      'execution.completed',
    ]);
    const emitted = r.last('io.wormhole.event.emitted');
    expect(emitted.data.event).toEqual({
      specversion: '1.0',
      id: emitted.id,
      source: 'https://petstore.example',
      type: 'com.petstore.order.placed.v1',
      time: NOW.toISOString(),
      data: { client: 'ada', items: [{ breed: 'dog' }] },
    });
    expect(decision.state.output).toEqual(emitted.data.event);
  });

  it('emits the same event (same id) when the decision is made again', () => {
    const a = run(EMIT);
    const b = run(EMIT);
    a.receive(started({ client: 'ada' }));
    b.receive(a.history[0]!);
    expect(b.last('io.wormhole.event.emitted')).toEqual(a.last('io.wormhole.event.emitted'));
  });

  it('fails with a configuration error when the event has no type', () => {
    const r = run(`
do:
  - announce:
      emit:
        event:
          with:
            source: https://petstore.example
            type: '\${ .missing }'
`);
    expect(r.receive(started({})).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      instance: '/do/0/announce',
    });
  });
});

describe('decide: run and raise', () => {
  it('hands run: workflow to the executor with its input evaluated (the executor starts the child)', () => {
    const r = run(`
do:
  - child:
      run:
        workflow:
          namespace: test
          name: child
          version: '1.0.0'
          input:
            n: \${ .n + 1 }
`);
    const decision = r.receive(started({ n: 1 }));
    expect(trace(decision.events)).toEqual(['task.started child', 'task.requested child']);
    expect(decision.state.status).toBe('running');
    expect(r.last('io.wormhole.task.requested').data.task).toEqual({
      run: { workflow: { namespace: 'test', name: 'child', version: '1.0.0', input: { n: 2 } } },
    });
  });

  it('gives a raised standard error without a status its default status', () => {
    const errorOf = (type: string) =>
      run(`
do:
  - fail:
      raise:
        error:
          type: ${type}
          title: Nope
`).receive(started({})).state.error;
    expect(errorOf(DSL_ERROR_TYPES.timeout.type)).toMatchObject({ type: DSL_ERROR_TYPES.timeout.type, status: 408 });
    expect(errorOf(DSL_ERROR_TYPES.authorization.type)?.status).toBe(403);
    expect(errorOf('https://serverlessworkflow.io/dsl/errors/types/authentication')?.status).toBe(401);
    // A type of one's own has no default: the document must say.
    expect(errorOf('https://example.com/errors/custom')).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: 'the raised error needs a string type and a numeric status',
    });
  });
});
