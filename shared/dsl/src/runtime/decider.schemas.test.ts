import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { Run, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: schemas, version: '1.0.0' }`;
const VALIDATION = DSL_ERROR_TYPES.validation.type;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const ORDER_SCHEMA = `
    schema:
      format: json
      document:
        type: object
        required: [ orderId ]
        properties:
          orderId: { type: string }`;

describe('decide: input.schema and output.schema', () => {
  it('validates the workflow’s raw input before input.from', () => {
    const document = `
input:${ORDER_SCHEMA.replace(/\n {2}/g, '\n')}
  from: '\${ { id: .orderId } }'
do:
  - echo:
      set: '\${ . }'
`;
    expect(run(document).receive(started({ orderId: 'o-1' })).state.output).toEqual({ id: 'o-1' });
    const bad = run(document).receive(started({ orderId: 42 }));
    expect(trace(bad.events)).toEqual(['execution.faulted']);
    expect(bad.state.error).toMatchObject({ type: VALIDATION, status: 400, instance: '/input/schema' });
    expect(bad.state.error?.detail).toContain('/orderId');
  });

  it('validates the workflow’s output after output.as', () => {
    const document = (as: string) => `
output:
  as: '${as}'
  schema:
    document:
      type: array
do:
  - echo:
      set: { a: 1 }
`;
    expect(run(document('${ [ .a ] }')).receive(started({})).state.output).toEqual([1]);
    expect(run(document('${ .a }')).receive(started({})).state.error).toMatchObject({
      type: VALIDATION,
      instance: '/output/schema',
    });
  });

  it('validates a task’s raw input and transformed output, as errors of the task that a try can catch', () => {
    const document = (payload: string) => `
do:
  - guard:
      try:
        - place:
            input:${ORDER_SCHEMA.replace(/\n {4}/g, '\n              ')}
            set: ${payload}
            output:
              schema:
                document:
                  type: object
                  required: [ placed ]
      catch:
        errors:
          with:
            type: ${VALIDATION}
        do:
          - report:
              set: '\${ { invalid: $error.instance } }'
`;
    expect(run(document('{ placed: true }')).receive(started({ orderId: 'o-1' })).state.output).toEqual({
      placed: true,
    });
    expect(run(document('{ placed: true }')).receive(started({ orderId: 1 })).state.output).toEqual({
      invalid: '/do/0/guard/try/0/place',
    });
    expect(run(document('{ other: true }')).receive(started({ orderId: 'o-1' })).state.output).toEqual({
      invalid: '/do/0/guard/try/0/place',
    });
  });

  it('validates the context a task exports against export.schema', () => {
    const document = (exported: string) => `
do:
  - remember:
      set: { seen: 1 }
      export:
        as: '${exported}'
        schema:
          document:
            type: object
            required: [ seen ]
  - recall:
      set: '\${ $context }'
`;
    expect(run(document('${ $context + { seen: .seen } }')).receive(started({})).state.output).toEqual({ seen: 1 });
    expect(run(document('${ { other: true } }')).receive(started({})).state.error).toMatchObject({
      type: VALIDATION,
      title: 'Invalid context',
      instance: '/do/0/remember',
    });
  });

  it('asks the executor for an external schema before the first task (decider.resources.test.ts follows it)', () => {
    const r = run(`
input:
  schema:
    resource:
      endpoint: https://example.com/schema.json
do:
  - echo:
      set: {}
`);
    const first = r.receive(started({}));
    expect(first.state.error).toBeUndefined();
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({ task_path: '/@resources' });
  });

  it('refuses a schema resource whose endpoint is an expression with a configuration error (not resolved before the run)', () => {
    const r = run(`
input:
  schema:
    resource:
      endpoint: '\${ "https://example.com/" + .name }'
do:
  - echo:
      set: {}
`);
    expect(r.receive(started({})).state.error).toMatchObject({ type: DSL_ERROR_TYPES.configuration.type });
  });
});
