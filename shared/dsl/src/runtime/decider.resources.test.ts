import { DSL_ERROR_TYPES, dslError } from '@wormhole/interfaces';
import type { DslError, JsonObject } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { RESOURCES_PATH, catalogFunctionUri } from './resources';
import { initialState, pendingWork } from './state';
import { Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: resources, version: '1.0.0' }`;
const CATALOG = 'https://catalog.example/sw';
const GREET_URI = `${CATALOG}/functions/greet/1.0.0/function.yaml`;
const SCHEMA_URI = 'https://schemas.example/order.json';

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const CALLS_GREET = `
use:
  catalogs:
    shared:
      endpoint:
        uri: ${CATALOG}/
        authentication:
          basic: { username: user, password: '\${ .password }' }
do:
  - hello:
      call: greet:1.0.0@shared
      with:
        name: \${ .name }
      output:
        as: .greeting
`;

const GREET_FUNCTION: JsonObject = {
  input: { schema: { document: { type: 'object', required: ['name'] } } },
  output: { schema: { document: { type: 'object', required: ['greeting'] } } },
  call: 'http',
  with: { method: 'post', endpoint: 'https://greeter.example/greet', body: '${ { who: .name } }' },
};

const resources = { task_path: RESOURCES_PATH, task_name: 'resources', task_type: 'call' };
const hello = { task_path: '/do/0/hello', task_name: 'hello', task_type: 'call' };

/** A DslError as the JSON an executor's output carries. */
function json(error: DslError): JsonObject {
  return error as unknown as JsonObject;
}

function answered(attempt: number, output: JsonObject) {
  return external('io.wormhole.task.completed', { ...resources, attempt, output });
}

describe('decide: catalog functions and schema resources (fetched by the executor first)', () => {
  it('asks the executor for the catalog function before the first task, with the catalog authentication', () => {
    const r = run(CALLS_GREET);
    const first = r.receive(started({ name: 'ada', password: 's3cret' }));
    expect(trace(first.events)).toEqual(['task.requested resources']);
    expect(r.last('io.wormhole.task.requested').data).toEqual({
      ...resources,
      attempt: 1,
      input: null,
      task: {
        call: 'wormhole.resources',
        with: {
          resources: [
            {
              uri: GREET_URI,
              kind: 'function',
              endpoint: { uri: GREET_URI, authentication: { basic: { username: 'user', password: 's3cret' } } },
            },
          ],
        },
      },
    });
    expect(pendingWork(r.state).tasks).toEqual([{ path: RESOURCES_PATH, attempt: 1 }]);
    expect(r.decide().events).toEqual([]);
  });

  it("runs the fetched function like a use.functions one: the caller's `with` is its input, its output.schema holds", () => {
    const r = run(CALLS_GREET);
    r.receive(started({ name: 'ada' }));
    const next = r.receive(answered(1, { [GREET_URI]: { document: GREET_FUNCTION } }));
    expect(trace(next.events)).toEqual(['task.started hello', 'task.requested hello']);
    expect(r.last('io.wormhole.task.requested').data).toEqual({
      ...hello,
      attempt: 1,
      input: { name: 'ada' },
      task: { call: 'http', with: { method: 'post', endpoint: 'https://greeter.example/greet', body: { who: 'ada' } } },
    });
    const done = r.receive(
      external('io.wormhole.task.completed', { ...hello, attempt: 1, output: { greeting: 'hi' } }),
    );
    expect(done.state.output).toBe('hi');

    const wrong = run(CALLS_GREET);
    wrong.receive(started({ name: 'ada' }));
    wrong.receive(answered(1, { [GREET_URI]: { document: GREET_FUNCTION } }));
    const invalid = wrong.receive(
      external('io.wormhole.task.completed', { ...hello, attempt: 1, output: { nope: 1 } }),
    );
    expect(invalid.state.error).toMatchObject({ type: DSL_ERROR_TYPES.validation.type, instance: '/do/0/hello' });
  });

  it('replays to the same state from the history: the document comes from the history, not the catalog', () => {
    const r = run(CALLS_GREET);
    r.receive(started({ name: 'ada' }));
    r.receive(answered(1, { [GREET_URI]: { document: GREET_FUNCTION } }));
    const replayed = applyEvents(initialState(), r.history);
    expect(replayed).toEqual(r.state);
  });

  it('an unreachable catalog fails the calling task with the fetch error, which try catches', () => {
    const r = run(`
use:
  catalogs:
    shared: { endpoint: ${CATALOG} }
do:
  - guarded:
      try:
        - hello:
            call: greet:1.0.0@shared
      catch:
        as: failure
        do:
          - note:
              set: { caught: '\${ $failure.type }', detail: '\${ $failure.detail }', at: '\${ $failure.instance }' }
`);
    r.receive(started({}));
    const unreachable = dslError('communication', { detail: 'connect ECONNREFUSED', instance: RESOURCES_PATH });
    const done = r.receive(answered(1, { [GREET_URI]: { error: json(unreachable) } }));
    expect(done.state.status).toBe('completed');
    expect(done.state.output).toMatchObject({
      caught: DSL_ERROR_TYPES.communication.type,
      at: '/do/0/guarded/try/0/hello',
      detail: expect.stringContaining(`could not be fetched from ${GREET_URI}: connect ECONNREFUSED`),
    });
  });

  it('a function the catalog does not have (404) is a configuration error on the task', () => {
    const r = run(`
use:
  catalogs:
    shared: { endpoint: ${CATALOG} }
do:
  - hello:
      call: greet:1.0.0@shared
`);
    r.receive(started({}));
    const missing = dslError('communication', { status: 404, detail: 'GET … returned 404' });
    const done = r.receive(answered(1, { [GREET_URI]: { error: json(missing) } }));
    expect(done.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      instance: '/do/0/hello',
      detail: expect.stringContaining('does not exist (404)'),
    });
  });

  it('a failed fetch task is every asked document’s error', () => {
    const r = run(CALLS_GREET);
    r.receive(started({}));
    const error = dslError('configuration', {
      detail: "no executor is configured for tasks of kind 'call:wormhole.resources'",
    });
    const done = r.receive(external('io.wormhole.task.failed', { ...resources, attempt: 1, error, retryable: false }));
    expect(done.state.error).toMatchObject({ type: DSL_ERROR_TYPES.configuration.type, instance: '/do/0/hello' });
  });

  it('an undeclared catalog is a configuration error at the task, and nothing is fetched', () => {
    const r = run(`
do:
  - log:
      call: log:1.0.0@default
`);
    const done = r.receive(started({}));
    expect(trace(done.events)).toEqual(['task.started log', 'task.failed log', 'execution.faulted']);
    expect(done.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: expect.stringContaining("no catalog named 'default' in use.catalogs"),
    });
  });

  it('fetches what a fetched function needs in a further round (its schema resource)', () => {
    const r = run(CALLS_GREET);
    r.receive(started({ name: 'ada' }));
    const withSchema = { ...GREET_FUNCTION, input: { schema: { resource: { endpoint: SCHEMA_URI } } } };
    const second = r.receive(answered(1, { [GREET_URI]: { document: withSchema } }));
    expect(trace(second.events)).toEqual(['task.requested resources']);
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      attempt: 2,
      task: { with: { resources: [{ uri: SCHEMA_URI, kind: 'schema', endpoint: SCHEMA_URI }] } },
    });
    const refused = r.receive(answered(2, { [SCHEMA_URI]: { document: { type: 'object', required: ['age'] } } }));
    expect(refused.state.error).toMatchObject({ type: DSL_ERROR_TYPES.validation.type, title: 'Invalid input' });
  });

  it('validates the workflow input against a schema resource once it is fetched', () => {
    const r = run(`
input:
  schema:
    format: json
    resource:
      endpoint: { uri: ${SCHEMA_URI} }
do:
  - echo:
      set: '\${ . }'
`);
    r.receive(started({ id: 1 }));
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      task: { with: { resources: [{ uri: SCHEMA_URI, kind: 'schema', endpoint: { uri: SCHEMA_URI } }] } },
    });
    const schema = { type: 'object', required: ['id'] };
    expect(r.receive(answered(1, { [SCHEMA_URI]: { document: schema } })).state.output).toEqual({ id: 1 });

    const bad = run(`
input:
  schema:
    resource:
      endpoint: ${SCHEMA_URI}
do:
  - echo:
      set: '\${ . }'
`);
    bad.receive(started({ name: 'x' }));
    expect(bad.receive(answered(1, { [SCHEMA_URI]: { document: schema } })).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.validation.type,
      instance: '/input/schema',
    });
  });

  it('leaves documents named inside data (`with`, `set`) alone', () => {
    const r = run(`
do:
  - echo:
      set:
        call: log:1.0.0@default
        schema: { resource: { endpoint: ${SCHEMA_URI} } }
`);
    expect(trace(r.receive(started({})).events)).toEqual([
      'task.started echo',
      'task.completed echo',
      'execution.completed',
    ]);
  });

  it('a run cancelled while its documents are fetched waits for nothing more, and a late answer changes nothing', () => {
    const r = run(CALLS_GREET);
    r.receive(started({}));
    const cancelled = r.receive(external('io.wormhole.execution.cancelled', { reason: 'no longer needed' }));
    expect(cancelled.state.status).toBe('cancelled');
    expect(pendingWork(r.state).tasks).toEqual([]);
    const late = r.receive(answered(1, { [GREET_URI]: { document: GREET_FUNCTION } }));
    expect(late.events).toEqual([]);
    expect(late.state.resources).toBeUndefined();
  });

  it('a workflow that names no external document starts at once, with no fetch', () => {
    const r = run(`
do:
  - echo:
      set: { ok: true }
`);
    const done = r.receive(started({}));
    expect(trace(done.events)).toEqual(['task.started echo', 'task.completed echo', 'execution.completed']);
    expect(done.state.resources).toBeUndefined();
  });

  it('reads GitHub and GitLab catalogs from their raw content', () => {
    const log = { name: 'log', version: '1.0.0', catalog: 'global' };
    expect(catalogFunctionUri('https://github.com/serverlessworkflow/catalog/tree/main', log)).toBe(
      'https://raw.githubusercontent.com/serverlessworkflow/catalog/refs/heads/main/functions/log/1.0.0/function.yaml',
    );
    expect(catalogFunctionUri('https://github.com/serverlessworkflow/catalog', log)).toBe(
      'https://raw.githubusercontent.com/serverlessworkflow/catalog/refs/heads/main/functions/log/1.0.0/function.yaml',
    );
    expect(catalogFunctionUri('https://gitlab.com/acme/catalog/-/tree/v2', log)).toBe(
      'https://gitlab.com/acme/catalog/-/raw/v2/functions/log/1.0.0/function.yaml',
    );
  });
});
