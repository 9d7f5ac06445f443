import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: functions, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const FUNCTIONS = `
use:
  functions:
    getPetById:
      input:
        schema:
          document: { type: object, properties: { petId: { type: integer } }, required: [petId] }
      call: http
      with:
        method: get
        endpoint: https://petstore.example/v2/pet/{petId}
        headers:
          x-pet: \${ .petId | tostring }
    getPetTwice:
      call: getPetById
      with:
        petId: \${ .id * 2 }
`;

const ref = { task_path: '/do/0/getPet', task_name: 'getPet', task_type: 'call' };

describe('decide: calls of use.functions', () => {
  it("requests the function's task with the caller's `with` as its input; the caller's output.as applies", () => {
    const r = run(`${FUNCTIONS}
do:
  - getPet:
      call: getPetById
      with:
        petId: \${ .id }
      output:
        as: .name
`);
    r.receive(started({ id: 69 }));
    expect(r.last('io.wormhole.task.requested').data).toEqual({
      ...ref,
      input: { petId: 69 },
      attempt: 1,
      task: {
        call: 'http',
        with: { method: 'get', endpoint: 'https://petstore.example/v2/pet/{petId}', headers: { 'x-pet': '69' } },
      },
    });
    const done = r.receive(external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { name: 'rex' } }));
    expect(trace(done.events)).toEqual(['execution.completed']);
    expect(done.state.output).toBe('rex');
  });

  it('follows a function that calls another function', () => {
    const r = run(`${FUNCTIONS}
do:
  - getPet:
      call: getPetTwice
      with: { id: 21 }
`);
    r.receive(started({}));
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      input: { petId: 42 },
      task: { call: 'http', with: { headers: { 'x-pet': '42' } } },
    });
  });

  it("validates the function's input against its input.schema", () => {
    const r = run(`${FUNCTIONS}
do:
  - getPet:
      call: getPetById
      with: { petId: 'sixty-nine' }
`);
    expect(r.receive(started({})).state.error).toMatchObject({ type: DSL_ERROR_TYPES.validation.type });
  });

  it("checks the function's raw output against its output.schema, and refuses output.as on a function", () => {
    const declared = (output: string): string => `
use:
  functions:
    getPet:
      output: ${output}
      call: http
      with: { method: get, endpoint: https://petstore.example/v2/pet/1 }
do:
  - getPet:
      call: getPet
      output:
        as: .name
`;
    const schema = '{ schema: { document: { type: object, required: [name] } } }';
    const ok = run(declared(schema));
    ok.receive(started({}));
    const done = ok.receive(external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { name: 'rex' } }));
    expect(done.state.output).toBe('rex');
    const wrong = run(declared(schema));
    wrong.receive(started({}));
    const invalid = wrong.receive(external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { id: 1 } }));
    expect(invalid.state.error).toMatchObject({ type: DSL_ERROR_TYPES.validation.type, instance: '/do/0/getPet' });
    const transformed = run(declared('{ as: .name }')).receive(started({}));
    expect(transformed.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: expect.stringContaining('output.as and export on a function are not supported'),
    });
  });

  it('faults with a configuration error for an undeclared function and for a function of an undeclared catalog', () => {
    const undeclared = run(`
do:
  - getPet:
      call: getPetByName
`).receive(started({}));
    expect(undeclared.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: expect.stringContaining("no function named 'getPetByName' in use.functions"),
    });
    const catalog = run(`
do:
  - log:
      call: log:1.0.0@default
`).receive(started({}));
    expect(catalog.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: expect.stringContaining("no catalog named 'default' in use.catalogs"),
    });
  });
});
