import { ValidationError } from '@wormhole/interfaces';
import { parseWorkflowText } from './document-parser';
import { validateWorkflowDocument } from './workflow-validator';

const doc = (tasks: unknown[], dsl = '1.0.0'): Record<string, unknown> => ({
  document: { dsl, namespace: 'demo', name: 'sample', version: '1.0.0' },
  do: tasks,
});

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('validateWorkflowDocument', () => {
  it.each(['1.0.0', '1.0.1', '1.0.2', '1.0.3'])('accepts DSL %s and reports its version', (dsl) => {
    expect(validateWorkflowDocument(doc([{ greet: { set: { message: 'hi' } } }], dsl))).toMatchObject({
      spec_version: dsl,
      namespace: 'demo',
      name: 'sample',
      version: '1.0.0',
    });
  });

  it('accepts every task type', () => {
    const tasks = [
      { a: { set: { x: 1 } } },
      { b: { call: 'http', with: { method: 'get', endpoint: 'https://example.com/pets' } } },
      { c: { switch: [{ big: { when: '${ .x > 1 }', then: 'end' } }, { other: { then: 'continue' } }] } },
      { d: { wait: { seconds: 1 } } },
      { e: { for: { each: 'item', in: '${ .items }' }, do: [{ f: { set: { y: '${ $item }' } } }] } },
      { g: { fork: { branches: [{ h: { set: { z: 1 } } }] } } },
      { i: { try: [{ j: { set: { w: 1 } } }], catch: { errors: { with: { status: 500 } } } } },
      { k: { emit: { event: { with: { source: 'https://x', type: 'com.example.done' } } } } },
      { l: { listen: { to: { one: { with: { type: 'com.example.go' } } } } } },
      { m: { raise: { error: { type: 'https://x/err', status: 400 } } } },
      { n: { run: { shell: { command: 'echo hi' } } } },
      { o: { do: [{ p: { set: { v: 1 } } }] } },
    ];
    expect(() => validateWorkflowDocument(doc(tasks))).not.toThrow();
  });

  it('validates a 1.0.1–1.0.3 document against the 1.0.3 schema, which takes what 1.0.0 did not', () => {
    const widened = [
      { whole: { set: '${ $workflow.input[0] }' } },
      {
        search: {
          call: 'http',
          with: { method: 'get', endpoint: 'https://example.com/people', headers: '${ .headers }' },
        },
      },
      { greet: { run: { shell: { command: 'echo "$1"', arguments: ['hello'] } } } },
      { build: { run: { container: { image: 'alpine:3', pullPolicy: 'always' } } } },
    ];
    for (const dsl of ['1.0.1', '1.0.2', '1.0.3']) {
      expect(() => validateWorkflowDocument(doc(widened, dsl))).not.toThrow();
    }
    const error = errorOf(() => validateWorkflowDocument(doc(widened, '1.0.0')));
    expect(error.details.map((d) => d.path)).toContain('/do/0/whole/set');
  });

  it('reports a 1.0.3 document’s problems against the 1.0.3 schema, folded like 1.0.0’s', () => {
    const error = errorOf(() => validateWorkflowDocument(doc([{ greet: { sett: { message: 'hi' } } }], '1.0.3')));
    const line = error.details.find((d) => d.path === '/do/0/greet' && d.message.startsWith('must have one of'));
    expect(line?.message).toContain('set');
    expect(error.message).toContain('/do/0/greet');
  });

  it('refuses an expression language other than jq and loose evaluation, naming the setting', () => {
    const evaluating = (evaluate: unknown): Record<string, unknown> => ({
      ...doc([{ a: { set: { x: '.y' } } }], '1.0.3'),
      evaluate,
    });
    expect(() => validateWorkflowDocument(evaluating({ language: 'jq', mode: 'strict' }))).not.toThrow();
    const language = errorOf(() => validateWorkflowDocument(evaluating({ language: 'javascript', mode: 'strict' })));
    expect(language.details).toEqual([
      { path: '/evaluate/language', message: expect.stringContaining('"javascript"') as string },
    ]);
    const loose = errorOf(() => validateWorkflowDocument(evaluating({ language: 'jq', mode: 'loose' })));
    expect(loose.message).toContain('/evaluate/mode');
    expect(loose.details).toEqual([{ path: '/evaluate/mode', message: expect.stringContaining('"loose"') as string }]);
  });

  it('accepts calls of declared catalogs and refuses an undeclared catalog or an expression endpoint, at their path', () => {
    const catalogued = (catalogs: unknown, call: string, dsl = '1.0.0'): Record<string, unknown> => ({
      ...doc([{ log: { call, with: { message: 'hi', note: { call: 'x:1@nowhere' } } } }], dsl),
      use: { catalogs },
    });
    const declared = {
      global: { endpoint: { uri: 'https://catalog.example', authentication: { bearer: { token: 't' } } } },
    };
    for (const dsl of ['1.0.0', '1.0.3']) {
      expect(() => validateWorkflowDocument(catalogued(declared, 'log:1.0.0@global', dsl))).not.toThrow();
    }
    const undeclared = errorOf(() => validateWorkflowDocument(catalogued(declared, 'log:1.0.0@other')));
    expect(undeclared.details).toEqual([
      {
        path: '/do/0/log/call',
        message: "calls 'log:1.0.0@other' from catalog 'other', which use.catalogs does not declare",
      },
    ]);
    const fallback = errorOf(() => validateWorkflowDocument(catalogued({}, 'log:1.0.0@default')));
    expect(fallback.details[0]?.message).toContain('declare it under use.catalogs.default');
    const computed = errorOf(() =>
      validateWorkflowDocument(catalogued({ global: { endpoint: '${ .catalog }' } }, 'log:1.0.0@global')),
    );
    expect(computed.details).toEqual([
      { path: '/use/catalogs/global/endpoint', message: expect.stringContaining('literal URI') as string },
    ]);
  });

  it('accepts the schedules Wormhole runs and refuses an empty schedule.on.all and an invalid cron, at their path', () => {
    const scheduled = (schedule: unknown): Record<string, unknown> => ({
      ...doc([{ a: { set: { x: 1 } } }]),
      schedule,
    });
    expect(() => validateWorkflowDocument(scheduled({ every: { seconds: 1 } }))).not.toThrow();
    expect(() => validateWorkflowDocument(scheduled({ on: { one: { with: { type: 'a' } } } }))).not.toThrow();
    expect(() => validateWorkflowDocument(scheduled({ on: { all: [{ with: { type: 'a' } }] } }))).not.toThrow();
    const all = errorOf(() => validateWorkflowDocument(scheduled({ on: { all: [] } })));
    expect(all.details).toEqual([
      { path: '/schedule/on/all', message: expect.stringContaining('at least one') as string },
    ]);
    const cron = errorOf(() => validateWorkflowDocument(scheduled({ cron: 'every day' })));
    expect(cron.details).toEqual([{ path: '/schedule/cron', message: expect.stringContaining('cron') as string }]);
  });

  it('rejects an unknown DSL version with a clear message', () => {
    const error = errorOf(() => validateWorkflowDocument(doc([{ a: { set: {} } }], '0.8')));
    expect(error.message).toContain('unsupported DSL version "0.8"');
    expect(error.details).toEqual([{ path: '/document/dsl', message: expect.stringContaining('1.0.3') as string }]);
  });

  it('names the offending task and folds the schema alternatives into one line', () => {
    const error = errorOf(() => validateWorkflowDocument(doc([{ greet: { sett: { message: 'hi' } } }])));
    const paths = error.details.map((d) => d.path);
    expect(paths).toContain('/do/0/greet');
    const line = error.details.find((d) => d.path === '/do/0/greet' && d.message.startsWith('must have one of'));
    expect(line?.message).toContain('set');
    expect(error.details.length).toBeLessThanOrEqual(25);
  });

  it('points at a missing required argument deep in a task', () => {
    const error = errorOf(() => validateWorkflowDocument(doc([{ c: { call: 'http', with: { method: 'get' } } }])));
    expect(error.details[0]).toEqual({ path: '/do/0/c/with', message: "must have required property 'endpoint'" });
  });

  it.each([
    [null, 'must be a JSON object'],
    [[], 'must be a JSON object'],
    [{ do: [] }, 'no `document` section'],
    [
      { document: { dsl: '1.0.0', namespace: 'Bad Name', name: 'x', version: '1' }, do: [] },
      'invalid workflow definition',
    ],
  ])('rejects %j', (value, message) => {
    expect(errorOf(() => validateWorkflowDocument(value)).message).toContain(message);
  });
});

describe('parseWorkflowText', () => {
  it('reads YAML and JSON documents', () => {
    const yaml =
      'document:\n  dsl: 1.0.0\n  namespace: demo\n  name: y\n  version: 1.0.0\ndo:\n  - a:\n      set:\n        n: 1\n';
    expect(parseWorkflowText(yaml)).toEqual({
      document: { dsl: '1.0.0', namespace: 'demo', name: 'y', version: '1.0.0' },
      do: [{ a: { set: { n: 1 } } }],
    });
    expect(parseWorkflowText('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
  });

  it('keeps dates as strings (core schema)', () => {
    expect(parseWorkflowText('at: 2026-01-01')).toEqual({ at: '2026-01-01' });
  });

  it.each([
    ['a: [1, 2', 'not valid YAML (line'],
    ['- 1\n- 2', 'must be a YAML or JSON object'],
    ['a: 1\na: 2', 'not valid YAML'],
    ['__proto__: {polluted: true}', "the key '__proto__' is not allowed"],
    [
      `a: &a [x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]`,
      'not valid YAML',
    ],
    [`${'['.repeat(100)}${']'.repeat(100)}`, 'must be a YAML or JSON object'],
    [`a: ${'['.repeat(100)}${']'.repeat(100)}`, 'nested deeper than 64'],
  ])('rejects %j', (text, message) => {
    expect(errorOf(() => parseWorkflowText(text)).message).toContain(message);
  });
});
