import type { DslError } from '@wormhole/interfaces';
import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { initialState, pendingWork } from './state';
import { NOW, Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: try, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const CALL_PATH = '/do/0/tryGetPet/try/0/getPet';
const callRef = { task_path: CALL_PATH, task_name: 'getPet', task_type: 'call' };
const tryRef = { task_path: '/do/0/tryGetPet', task_name: 'tryGetPet', task_type: 'try' };

function communication(status: number): DslError {
  return { type: DSL_ERROR_TYPES.communication.type, status, title: 'Upstream said no', instance: CALL_PATH };
}

/** A try around one http call, with the given catch. */
function guardedCall(catchYaml: string): string {
  return `
do:
  - tryGetPet:
      try:
        - getPet:
            call: http
            with:
              method: get
              endpoint: https://petstore.example/pet/1
      catch:
${catchYaml}
`;
}

function failCall(r: Run, attempt: number, error: DslError = communication(503), at: Date = NOW) {
  return r.receive(external('io.wormhole.task.failed', { ...callRef, attempt, error, retryable: true }), at);
}

function fire(r: Run, timerId: string, at: Date) {
  return r.receive(external('io.wormhole.timer.fired', { ...tryRef, timer_id: timerId }), at);
}

const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);

describe('decide: try/catch', () => {
  it('catches an executor error matching errors.with, binds it under catch.as and runs catch.do (ctk: try handle caught error)', () => {
    const r = run(
      guardedCall(`
        errors:
          with:
            type: https://serverlessworkflow.io/dsl/errors/types/communication
            status: 404
        as: err
        do:
          - setError:
              set:
                error: \${ $err }
`),
    );
    expect(trace(r.receive(started({ petName: 'Milou' })).events)).toEqual([
      'task.started tryGetPet',
      'task.started getPet',
      'task.requested getPet',
    ]);
    const decision = failCall(r, 1, communication(404));
    expect(trace(decision.events)).toEqual([
      'task.started tryGetPet',
      'task.started setError',
      'task.completed setError',
      'task.completed tryGetPet',
      'execution.completed',
    ]);
    // The spec's two URIs for the standard types are one type.
    expect(decision.state.output).toEqual({ error: communication(404) });
  });

  it('lets an error that does not match rise, with the inner task as its instance (ctk: try raise uncaught error)', () => {
    const r = run(
      guardedCall(`
        errors:
          with:
            status: 404
        do:
          - recover:
              set: { recovered: true }
`),
    );
    r.receive(started({}));
    const decision = failCall(r, 1, communication(503));
    expect(trace(decision.events)).toEqual(['task.failed tryGetPet', 'execution.faulted']);
    expect(decision.state.error).toEqual(communication(503));
  });

  it('matches every property errors.with sets (type, status, instance, title, detail)', () => {
    const raising = (filter: string) =>
      run(`
do:
  - guard:
      try:
        - boom:
            raise:
              error:
                type: https://example.com/errors/out-of-stock
                status: 409
                title: Out of stock
                detail: '\${ "no " + .item }'
      catch:
        errors:
          with:
${filter}
`);
    const outcome = (filter: string) => raising(filter).receive(started({ item: 'bones' })).state.status;
    expect(outcome('            type: https://example.com/errors/out-of-stock')).toBe('completed');
    expect(outcome('            status: 409\n            title: Out of stock')).toBe('completed');
    expect(outcome('            instance: /do/0/guard/try/0/boom')).toBe('completed');
    expect(outcome('            detail: no bones')).toBe('completed');
    expect(outcome('            status: 409\n            detail: no cookies')).toBe('faulted');
    expect(outcome('            instance: /do/0/guard')).toBe('faulted');
    expect(outcome('            type: https://example.com/errors/other')).toBe('faulted');
  });

  it('catches with a swallowing catch (no do) and continues with the try’s input', () => {
    const r = run(`
do:
  - guard:
      try:
        - boom:
            raise:
              error: { type: https://example.com/e, status: 400 }
      catch: {}
  - after:
      set: '\${ . + { after: true } }'
`);
    const decision = r.receive(started({ n: 1 }));
    expect(decision.state.status).toBe('completed');
    expect(decision.state.output).toEqual({ n: 1, after: true });
  });

  it('catches expression errors of inline tasks', () => {
    const r = run(`
do:
  - guard:
      try:
        - bad:
            set: '\${ .a.b + 1 }'
      catch:
        errors:
          with:
            type: ${DSL_ERROR_TYPES.expression.type}
        do:
          - recover:
              set: '\${ { recovered: $error.type, at: $error.instance } }'
`);
    const decision = r.receive(started({ a: { b: 'x' } }));
    expect(decision.state.output).toEqual({ recovered: DSL_ERROR_TYPES.expression.type, at: '/do/0/guard/try/0/bad' });
  });

  it('honours catch.when and catch.exceptWhen, with the error bound for them', () => {
    const policy = (condition: string) =>
      run(`
do:
  - guard:
      try:
        - boom:
            raise:
              error: { type: https://example.com/e, status: 418 }
      catch:
        ${condition}
`);
    expect(policy("when: '${ $error.status == 418 }'").receive(started({})).state.status).toBe('completed');
    expect(policy("when: '${ $error.status == 500 }'").receive(started({})).state.status).toBe('faulted');
    expect(policy("exceptWhen: '${ .keep }'").receive(started({ keep: true })).state.status).toBe('faulted');
    expect(policy("exceptWhen: '${ .keep }'").receive(started({ keep: false })).state.status).toBe('completed');
  });

  it('does not catch errors raised by its own catch.do: they rise past the try', () => {
    const r = run(`
do:
  - guard:
      try:
        - boom:
            raise:
              error: { type: https://example.com/first, status: 400 }
      catch:
        do:
          - again:
              raise:
                error: { type: https://example.com/second, status: 500 }
`);
    const decision = r.receive(started({}));
    expect(decision.state.status).toBe('faulted');
    expect(decision.state.error).toMatchObject({
      type: 'https://example.com/second',
      instance: '/do/0/guard/catch/do/0/again',
    });
  });

  it('faults the try with a configuration error when catch.as is not a variable name', () => {
    const r = run(`
do:
  - guard:
      try:
        - boom:
            raise:
              error: { type: https://example.com/e, status: 400 }
      catch:
        as: not-a-name
`);
    expect(r.receive(started({})).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      instance: '/do/0/guard',
    });
  });
});

describe('decide: catch.retry', () => {
  const RETRY = guardedCall(`
        errors:
          with:
            status: 503
        retry:
          delay:
            seconds: 3
          backoff:
            exponential: {}
          limit:
            attempt:
              count: 2
`);

  it('retries through a durable timer; every task inside is a new attempt; gives up after limit.attempt.count retries', () => {
    const r = run(RETRY);
    r.receive(started({}));

    const first = failCall(r, 1);
    expect(trace(first.events)).toEqual(['task.retrying tryGetPet', 'timer.scheduled tryGetPet']);
    expect(r.last('io.wormhole.task.retrying').data).toEqual({
      ...tryRef,
      attempt: 1,
      delay_ms: 3000,
      error: communication(503),
    });
    const timer = r.last('io.wormhole.timer.scheduled');
    expect(timer.data).toEqual({ ...tryRef, timer_id: timer.id, due_at: seconds(3).toISOString(), kind: 'retry' });
    expect(first.state.status).toBe('waiting');
    expect(pendingWork(first.state)).toEqual({ tasks: [], timers: [{ path: '/do/0/tryGetPet', timerId: timer.id }] });

    const second = fire(r, timer.id, seconds(3));
    expect(trace(second.events)).toEqual(['task.started tryGetPet', 'task.started getPet', 'task.requested getPet']);
    expect(second.events.map((e) => (e.data as { attempt: number }).attempt)).toEqual([2, 2, 2]);

    // A late failure of the first attempt changes nothing.
    expect(failCall(r, 1).events).toEqual([]);

    failCall(r, 2, communication(503), seconds(4));
    // Exponential: the second retry waits twice the delay.
    expect(r.last('io.wormhole.task.retrying').data.delay_ms).toBe(6000);
    const third = fire(r, r.last('io.wormhole.timer.scheduled').id, seconds(10));
    expect(third.events.map((e) => (e.data as { attempt: number }).attempt)).toEqual([3, 3, 3]);

    const exhausted = failCall(r, 3, communication(503), seconds(11));
    expect(trace(exhausted.events)).toEqual(['task.failed tryGetPet', 'execution.faulted']);
    expect(exhausted.state.error).toEqual(communication(503));
  });

  it('completes when a retried attempt succeeds', () => {
    const r = run(RETRY);
    r.receive(started({ id: 1 }));
    failCall(r, 1);
    fire(r, r.last('io.wormhole.timer.scheduled').id, seconds(3));
    const done = r.receive(external('io.wormhole.task.completed', { ...callRef, attempt: 2, output: { name: 'rex' } }));
    expect(trace(done.events)).toEqual(['task.completed tryGetPet', 'execution.completed']);
    expect(done.state.output).toEqual({ name: 'rex' });
  });

  it('survives a restart: the history alone rebuilds the waiting state, and the timer still resumes it', () => {
    const r = run(RETRY);
    r.receive(started({}));
    failCall(r, 1);
    const timerId = r.last('io.wormhole.timer.scheduled').data.timer_id;
    const restarted = new Run(r.document, evaluator);
    restarted.state = applyEvents(initialState(), r.history);
    expect(restarted.state).toEqual(r.state);
    expect(restarted.decide().events).toEqual([]);
    const resumed = fire(restarted, timerId, seconds(3));
    expect(trace(resumed.events)).toEqual(['task.started tryGetPet', 'task.started getPet', 'task.requested getPet']);
  });

  it('runs catch.do once retries are spent', () => {
    const r = run(
      guardedCall(`
        retry:
          limit:
            attempt:
              count: 1
        do:
          - fallback:
              set: { fallback: true }
`),
    );
    r.receive(started({}));
    const retry = failCall(r, 1);
    // No delay: the next attempt starts at once, without a timer.
    expect(trace(retry.events)).toEqual([
      'task.retrying tryGetPet',
      'task.started tryGetPet',
      'task.started getPet',
      'task.requested getPet',
    ]);
    const fallback = failCall(r, 2);
    expect(trace(fallback.events)).toEqual([
      'task.started tryGetPet',
      'task.started fallback',
      'task.completed fallback',
      'task.completed tryGetPet',
      'execution.completed',
    ]);
    expect(fallback.state.output).toEqual({ fallback: true });
    // The catch runs once: its tasks are first attempts, whatever attempt the try reached.
    expect(fallback.events.slice(0, 4).map((e) => (e.data as { attempt: number }).attempt)).toEqual([2, 1, 1, 2]);
  });

  it('uses a policy from use.retries, with linear backoff and a deterministic jitter', () => {
    const document = `
use:
  retries:
    patient:
      delay: PT10S
      backoff:
        linear: {}
      jitter:
        from: { seconds: 1 }
        to: { seconds: 2 }
${guardedCall(`        retry: patient`)}`;
    const delays = (r: Run): number[] => {
      r.receive(started({}));
      failCall(r, 1);
      const first = r.last('io.wormhole.task.retrying').data.delay_ms;
      fire(r, r.last('io.wormhole.timer.scheduled').id, seconds(20));
      failCall(r, 2, communication(503), seconds(21));
      return [first, r.last('io.wormhole.task.retrying').data.delay_ms];
    };
    const [first = NaN, second = NaN] = delays(run(document));
    expect(first).toBeGreaterThanOrEqual(11_000);
    expect(first).toBeLessThanOrEqual(12_000);
    expect(second).toBeGreaterThanOrEqual(21_000);
    expect(second).toBeLessThanOrEqual(22_000);
    // The jitter differs between attempts but repeats when the same execution decides again.
    expect(first - 10_000).not.toBe(second - 20_000);
    expect(delays(run(document))).toEqual([first, second]);
  });

  it('faults with a configuration error when catch.retry names no policy', () => {
    const r = run(guardedCall(`        retry: missing`));
    r.receive(started({}));
    expect(failCall(r, 1).state.error).toMatchObject({
      type: DSL_ERROR_TYPES.configuration.type,
      detail: "no retry policy named 'missing' in use.retries",
      instance: '/do/0/tryGetPet',
    });
  });

  it('stops retrying past limit.duration (counted from the first attempt)', () => {
    const r = run(
      guardedCall(`
        retry:
          delay: PT10S
          limit:
            duration: PT15S
`),
    );
    r.receive(started({}));
    failCall(r, 1, communication(503), seconds(2));
    expect(r.last('io.wormhole.task.retrying').data.attempt).toBe(1);
    fire(r, r.last('io.wormhole.timer.scheduled').id, seconds(12));
    // A second retry would start at 14 + 10 = 24 s > 15 s.
    const gaveUp = failCall(r, 2, communication(503), seconds(14));
    expect(trace(gaveUp.events)).toEqual(['task.failed tryGetPet', 'execution.faulted']);
  });

  it('does not retry an attempt that ran longer than limit.attempt.duration', () => {
    const r = run(
      guardedCall(`
        retry:
          limit:
            attempt:
              duration: PT5S
`),
    );
    r.receive(started({}));
    expect(trace(failCall(r, 1, communication(503), seconds(6)).events)).toEqual([
      'task.failed tryGetPet',
      'execution.faulted',
    ]);
  });

  it('honours the retry policy’s own when', () => {
    const r = run(
      guardedCall(`
        retry:
          when: '\${ $error.status >= 500 }'
          limit:
            attempt:
              count: 3
`),
    );
    r.receive(started({}));
    expect(trace(failCall(r, 1, communication(404)).events)).toEqual(['task.failed tryGetPet', 'execution.faulted']);
  });
});
