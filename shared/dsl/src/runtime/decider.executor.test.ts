import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { currentTaskPath, initialState, pendingWork } from './state';
import { NOW, Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: side-effects, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const PETS = `
do:
  - getPetById1:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/{petId}
      output:
        as: .id
  - getPetById2:
      call: http
      with:
        method: post
        endpoint: https://petstore.swagger.io/v2/pet/2
        headers:
          x-request: '\${ "pet-" + ($input | tostring) }'
        body:
          previous: \${ . }
      output:
        as: '{ ids: [ $input, .id ] }'
`;

const ref = (path: string, name: string) => ({ task_path: path, task_name: name, task_type: 'call' });

describe('decide: tasks handed to the executor', () => {
  it('requests a call with its evaluated definition, waits, and continues when it completes (ctk: non-object output)', () => {
    const r = run(PETS);
    const first = r.receive(started({ petId: 1 }));
    expect(trace(first.events)).toEqual(['task.started getPetById1', 'task.requested getPetById1']);
    expect(first.state.status).toBe('running');
    expect(r.last('io.wormhole.task.requested').data).toEqual({
      ...ref('/do/0/getPetById1', 'getPetById1'),
      input: { petId: 1 },
      attempt: 1,
      // URI templates are the executor's to expand; flow fields (output) stay with the engine.
      task: { call: 'http', with: { method: 'get', endpoint: { uri: 'https://petstore.swagger.io/v2/pet/{petId}' } } },
    });
    expect(pendingWork(first.state)).toEqual({ tasks: [{ path: '/do/0/getPetById1', attempt: 1 }], timers: [] });
    expect(r.decide().events).toEqual([]);

    const second = r.receive(
      external('io.wormhole.task.completed', {
        ...ref('/do/0/getPetById1', 'getPetById1'),
        attempt: 1,
        output: { id: 1, name: 'rex' },
      }),
    );
    expect(trace(second.events)).toEqual(['task.started getPetById2', 'task.requested getPetById2']);
    expect(r.last('io.wormhole.task.requested').data).toMatchObject({
      input: 1,
      task: { with: { headers: { 'x-request': 'pet-1' }, body: { previous: 1 } } },
    });

    const third = r.receive(
      external('io.wormhole.task.completed', {
        ...ref('/do/1/getPetById2', 'getPetById2'),
        attempt: 1,
        output: { id: 2 },
      }),
    );
    expect(trace(third.events)).toEqual(['execution.completed']);
    expect(third.state.output).toEqual({ ids: [1, 2] });
  });

  it('accepts the outcome of a later attempt (the executor’s own retries) and ignores stale ones', () => {
    const r = run(PETS);
    r.receive(started({ petId: 1 }));
    const stale = r.receive(
      external('io.wormhole.task.completed', { ...ref('/do/0/getPetById1', 'getPetById1'), attempt: 0, output: {} }),
    );
    expect(stale.events).toEqual([]);
    r.receive(
      external('io.wormhole.task.retrying', { ...ref('/do/0/getPetById1', 'getPetById1'), attempt: 1, delay_ms: 100 }),
    );
    const later = r.receive(
      external('io.wormhole.task.completed', {
        ...ref('/do/0/getPetById1', 'getPetById1'),
        attempt: 2,
        output: { id: 7 },
      }),
    );
    expect(r.last('io.wormhole.task.requested').data.input).toBe(7);
    expect(trace(later.events)).toEqual(['task.started getPetById2', 'task.requested getPetById2']);
  });

  it('faults with the executor’s error when the task fails', () => {
    const r = run(PETS);
    r.receive(started({ petId: 1 }));
    const error = {
      type: DSL_ERROR_TYPES.communication.type,
      status: 503,
      title: 'Service Unavailable',
      instance: '/do/0/getPetById1',
    };
    const decision = r.receive(
      external('io.wormhole.task.failed', {
        ...ref('/do/0/getPetById1', 'getPetById1'),
        attempt: 1,
        error,
        retryable: true,
      }),
    );
    expect(trace(decision.events)).toEqual(['execution.faulted']);
    expect(decision.state.error).toEqual(error);
  });

  it('hands over a named authentication policy inline, its expressions evaluated', () => {
    const r = run(`
use:
  authentications:
    petstoreAuth:
      basic:
        username: \${ .user }
        password: admin
do:
  - login:
      call: openapi
      with:
        document: { endpoint: https://petstore.swagger.io/v2/swagger.json }
        operationId: loginUser
        authentication:
          use: petstoreAuth
`);
    r.receive(started({ user: 'alice' }));
    expect(r.last('io.wormhole.task.requested').data.task).toEqual({
      call: 'openapi',
      with: {
        document: { endpoint: 'https://petstore.swagger.io/v2/swagger.json' },
        operationId: 'loginUser',
        authentication: { basic: { username: 'alice', password: 'admin' } },
      },
    });
  });

  it("hands over a scheme whose properties come from a secret as that secret's placeholders", () => {
    const placeholders = { authority: '@@wormhole-secret/idp/authority/x@@', client: { id: '@@c@@' } };
    const r = new Run(
      workflow(`${HEADER}
use:
  secrets: [idp]
  authentications:
    fromSecret:
      oidc:
        use: idp
do:
  - call:
      call: http
      with:
        method: get
        endpoint: { uri: https://example.com/, authentication: { use: fromSecret } }
`),
      evaluator,
      { secrets: { idp: placeholders } },
    );
    r.receive(started({}));
    expect(r.last('io.wormhole.task.requested').data.task).toMatchObject({
      with: { endpoint: { authentication: { oidc: placeholders } } },
    });
  });

  it('faults with a configuration error when a scheme uses a secret that use.secrets does not list', () => {
    const r = run(`
do:
  - login:
      call: http
      with:
        method: get
        endpoint: { uri: https://example.com/, authentication: { oauth2: { use: idp } } }
`);
    r.receive(started({}));
    expect(r.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: "authentication oauth2 uses the secret 'idp', which use.secrets does not list",
    });
  });

  it('faults with a configuration error naming an authentication policy the document does not declare', () => {
    const r = run(`
do:
  - login:
      call: http
      with:
        method: get
        endpoint: { uri: https://example.com/, authentication: { use: missing } }
`);
    const decision = r.receive(started({}));
    expect(trace(decision.events)).toEqual(['task.started login', 'task.failed login', 'execution.faulted']);
    expect(decision.state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: "no authentication policy named 'missing' in use.authentications",
    });
  });

  it('ignores a task.started written by someone else (no runtime payload)', () => {
    const r = run(PETS);
    const before = r.receive(started({ petId: 1 })).state;
    const decision = r.receive(
      external('io.wormhole.task.started', { ...ref('/do/0/getPetById1', 'getPetById1'), attempt: 1 }),
    );
    expect(decision.events).toEqual([]);
    expect(decision.state.tasks).toEqual(before.tasks);
  });

  it('after execution.cancelled, decides nothing more, whatever arrives', () => {
    const r = run(PETS);
    r.receive(started({ petId: 1 }));
    const cancelled = r.receive(external('io.wormhole.execution.cancelled', { reason: 'user' }));
    expect(cancelled.events).toEqual([]);
    expect(cancelled.state.status).toBe('cancelled');
    // What was in flight stays visible, e.g. to cancel it.
    expect(pendingWork(cancelled.state).tasks).toHaveLength(1);
    const late = r.receive(
      external('io.wormhole.task.completed', {
        ...ref('/do/0/getPetById1', 'getPetById1'),
        attempt: 1,
        output: { id: 1 },
      }),
    );
    expect(late.events).toEqual([]);
    expect(late.state.status).toBe('cancelled');
  });
});

describe('decide: wait', () => {
  const WAIT = `
do:
  - prepare:
      set: { ready: true }
  - pause:
      wait:
        minutes: 1
        seconds: 30
  - finish:
      set: '\${ . + { finished: true } }'
`;

  it('schedules a timer, waits, and continues with the wait’s input when it fires', () => {
    const r = run(WAIT);
    const first = r.receive(started({}));
    expect(trace(first.events)).toEqual([
      'task.started prepare',
      'task.completed prepare',
      'task.started pause',
      'timer.scheduled pause',
    ]);
    expect(first.state.status).toBe('waiting');
    expect(currentTaskPath(first.state)).toBe('/do/1/pause');
    const scheduled = r.last('io.wormhole.timer.scheduled').data;
    expect(scheduled.due_at).toBe(new Date(NOW.getTime() + 90_000).toISOString());
    expect(pendingWork(first.state).timers).toEqual([{ path: '/do/1/pause', timerId: scheduled.timer_id }]);

    const pauseRef = { task_path: '/do/1/pause', task_name: 'pause', task_type: 'wait' };
    const wrong = r.receive(external('io.wormhole.timer.fired', { ...pauseRef, timer_id: 'someone-else' }));
    expect(wrong.events).toEqual([]);
    expect(wrong.state.status).toBe('waiting');

    const fired = r.receive(external('io.wormhole.timer.fired', { ...pauseRef, timer_id: scheduled.timer_id }));
    expect(trace(fired.events)).toEqual([
      'task.completed pause',
      'task.started finish',
      'task.completed finish',
      'execution.completed',
    ]);
    expect(fired.state.output).toEqual({ ready: true, finished: true });
  });

  it('reads an ISO 8601 duration from a runtime expression', () => {
    const r = run(`
do:
  - pause:
      wait: '\${ .delay }'
`);
    r.receive(started({ delay: 'PT2H' }));
    expect(r.last('io.wormhole.timer.scheduled').data.due_at).toBe('2026-01-01T02:00:00.000Z');
  });

  it('faults with a configuration error on a duration it cannot read', () => {
    const r = run(`
do:
  - pause:
      wait: P1M
`);
    expect(r.receive(started({})).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      instance: '/do/0/pause',
    });
  });
});

describe('decide: determinism', () => {
  it('decides the same events from the same state, and nothing once they are folded', () => {
    const r = run(PETS);
    const state = applyEvents(initialState(), [started({ petId: 1 })]);
    const a = new Run(r.document, evaluator);
    a.state = state;
    const b = new Run(r.document, evaluator);
    b.state = state;
    expect(a.decide().events).toEqual(b.decide().events);
    expect(a.decide().events).toEqual([]);
  });

  it('derives event ids from the causing event, not from a count that a stale redelivery could skew', () => {
    const r = run(PETS);
    const decided = r.receive(started({ petId: 1 })).events;
    expect(new Set(decided.map((e) => e.id)).size).toBe(decided.length);
    expect(decided.every((e) => /^ev_[0-9a-f]{26}$/.test(e.id))).toBe(true);
    // The same decision from a state whose count drifted (it folded an event the history never kept).
    const drifted = new Run(r.document, evaluator);
    drifted.state = { ...applyEvents(initialState(), [r.history[0]!]), eventCount: 40 };
    expect(drifted.decide().events.map((e) => e.id)).toEqual(decided.map((e) => e.id));
  });

  it('names a timer after its scheduling event', () => {
    const r = run(`
do:
  - pause:
      wait: PT1S
`);
    r.receive(started({}));
    const scheduled = r.last('io.wormhole.timer.scheduled');
    expect(scheduled.data.timer_id).toBe(scheduled.id);
  });

  it('rebuilds the decided state from the history alone', () => {
    const r = run(PETS);
    r.receive(started({ petId: 1 }));
    r.receive(
      external('io.wormhole.task.completed', {
        ...ref('/do/0/getPetById1', 'getPetById1'),
        attempt: 1,
        output: { id: 1 },
      }),
    );
    expect(applyEvents(initialState(), r.history)).toEqual(r.state);
  });

  it('decides nothing before execution.started', () => {
    const r = run(PETS);
    expect(r.decide()).toEqual({ events: [], state: initialState(), yielded: false });
  });
});
