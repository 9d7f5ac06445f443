import type { CloudEvent, EngineEventOf, JsonObject } from '@wormhole/interfaces';
import { cloudEventKey } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { matchingFilters } from './event-filter';
import { subscriptionFilters, waitingListens } from './listen';
import type { RuntimePayload } from './events';
import { applyEvent, applyEvents } from './fold';
import { initialState } from './state';
import { Run, external, jq, started, trace, workflow } from './__tests__/harness';

const HEADER = `document: { dsl: '1.0.0', namespace: test, name: listen, version: '1.0.0' }`;

let evaluator: ExpressionEvaluator;
beforeAll(async () => {
  evaluator = await jq();
});

function run(body: string): Run {
  return new Run(workflow(`${HEADER}\n${body}`), evaluator);
}

const ev = (id: string, type: string, data: JsonObject, extra: Record<string, unknown> = {}): CloudEvent => ({
  specversion: '1.0',
  id,
  source: 'https://shop.example',
  type,
  data,
  ...extra,
});

/** What the worker's router would deliver for the listen `r` waits in. */
function deliver(r: Run, event: CloudEvent, id = `rx-${event.id}`): EngineEventOf<'io.wormhole.event.received'> {
  const listen = r.last('io.wormhole.listen.started');
  return external(
    'io.wormhole.event.received',
    {
      event,
      listen_id: listen.data.listen_id,
      task_path: listen.data.task_path,
      filters: matchingFilters(subscriptionFilters(listen.data), event, r.evaluator),
    },
    id,
  );
}

function pick(data: { task_path: string; task_name: string; task_type: string; iteration?: string }) {
  return {
    task_path: data.task_path,
    task_name: data.task_name,
    task_type: data.task_type,
    ...(data.iteration !== undefined && { iteration: data.iteration }),
  };
}

const ONE = `
do:
  - paid:
      listen:
        to:
          one:
            with:
              type: com.example.order.paid
              data:
                orderId: \${ .orderId }
  - after:
      set:
        got: \${ . }
`;

describe('decide: listen', () => {
  it('records what it waits for with the filter evaluated, and parks the execution', () => {
    const r = run(ONE);
    const first = r.receive(started({ orderId: 'o-1' }));
    expect(trace(first.events)).toEqual(['task.started paid', 'listen.started paid']);
    const listen = r.last('io.wormhole.listen.started');
    expect(listen.data).toMatchObject({
      listen_id: listen.id,
      mode: 'one',
      read: 'data',
      filters: [{ type: 'com.example.order.paid', data: { orderId: 'o-1' } }],
    });
    expect(first.state.status).toBe('waiting');
    expect(waitingListens(first.state)).toEqual([{ id: listen.id, path: '/do/0/paid' }]);
  });

  it('completes with the consumed events (read: data) and drops a duplicate and a late event', () => {
    const r = run(ONE);
    r.receive(started({ orderId: 'o-1' }));
    const event = ev('p1', 'com.example.order.paid', { orderId: 'o-1', amount: 5 });
    const done = r.receive(deliver(r, event));
    expect(trace(done.events)).toEqual([
      'task.completed paid',
      'task.started after',
      'task.completed after',
      'execution.completed',
    ]);
    expect(done.state.output).toEqual({ got: [{ orderId: 'o-1', amount: 5 }] });
    expect(waitingListens(done.state)).toEqual([]);
    expect(r.receive(deliver(r, event, 'rx-again')).events).toEqual([]);
  });

  it('ignores an event for another listen, and the same (source, id) twice while waiting', () => {
    const r = run(`
do:
  - both:
      listen:
        to:
          all:
            - with: { type: a }
            - with: { type: b }
        read: envelope
`);
    r.receive(started({}));
    const a = ev('1', 'a', {});
    const stray = external('io.wormhole.event.received', {
      event: a,
      listen_id: 'other',
      task_path: '/do/0/both',
      filters: [0],
    });
    expect(r.receive(stray).state.status).toBe('waiting');
    expect(r.receive(deliver(r, a)).events).toEqual([]);
    expect(r.receive(deliver(r, a, 'rx-dup')).state.tasks[0]!.listen!.received).toHaveLength(1);
    const b = ev('2', 'b', {});
    const done = r.receive(deliver(r, b));
    expect(done.state.status).toBe('completed');
    expect(done.state.output).toEqual([a, b]);
  });

  it('completes any on the first matching event', () => {
    const r = run(`
do:
  - either:
      listen:
        to:
          any:
            - with: { type: a }
            - with: { type: b, subject: s1 }
`);
    r.receive(started({}));
    const done = r.receive(deliver(r, ev('1', 'b', { x: 1 }, { subject: 's1' })));
    expect(done.state.output).toEqual([{ x: 1 }]);
  });

  it('faults with a configuration error when listen.to names no strategy', () => {
    const r = run(`
do:
  - c:
      listen:
        to: {}
`);
    expect(r.receive(started({})).state.error).toMatchObject({ status: 400, instance: '/do/0/c' });
  });
});

/** The fold alone, from the first event, reaches the state the decider reached: nothing is held elsewhere. */
function expectReplayable(r: Run): void {
  expect(applyEvents(initialState(), r.history)).toEqual(r.state);
}

describe('decide: listen until', () => {
  it('keeps consuming until the condition holds on the events consumed so far', () => {
    const r = run(`
do:
  - readings:
      listen:
        to:
          any:
            - with: { type: reading }
          until: ( . | length ) > 1
`);
    r.receive(started({}));
    expect(r.last('io.wormhole.listen.started').data).toMatchObject({ judged: true, mode: 'any' });
    const first = r.receive(deliver(r, ev('1', 'reading', { v: 1 })));
    expect(first.state.status).toBe('waiting');
    expect(waitingListens(first.state)).toHaveLength(1);
    const done = r.receive(deliver(r, ev('2', 'reading', { v: 2 })));
    expect(done.state.status).toBe('completed');
    expect(done.state.output).toEqual([{ v: 1 }, { v: 2 }]);
    expectReplayable(r);
  });

  it('ends when the until strategy is satisfied, without its events in the output', () => {
    const r = run(`
do:
  - readings:
      listen:
        to:
          any:
            - with: { type: reading }
          until:
            one:
              with: { type: done }
`);
    r.receive(started({}));
    const listen = r.last('io.wormhole.listen.started');
    expect(listen.data.until).toEqual({ mode: 'one', filters: [{ type: 'done' }] });
    expect(subscriptionFilters(listen.data)).toEqual([{ type: 'reading' }, { type: 'done' }]);
    r.receive(deliver(r, ev('1', 'reading', { v: 1 })));
    r.receive(deliver(r, ev('2', 'reading', { v: 2 })));
    expect(r.state.status).toBe('waiting');
    const done = r.receive(deliver(r, ev('3', 'done', { bye: true })));
    expect(done.state.output).toEqual([{ v: 1 }, { v: 2 }]);
    expect(r.receive(deliver(r, ev('4', 'reading', { v: 4 }))).events).toEqual([]);
    expectReplayable(r);
  });

  it('listens to every event with any: [] and an until strategy (the subscription holds no filter)', () => {
    const r = run(`
do:
  - all:
      listen:
        to:
          any: []
          until:
            one:
              with: { type: done }
`);
    r.receive(started({}));
    expect(subscriptionFilters(r.last('io.wormhole.listen.started').data)).toEqual([]);
    r.receive(deliver(r, ev('1', 'whatever', { v: 1 })));
    expect(r.receive(deliver(r, ev('2', 'done', {}))).state.output).toEqual([{ v: 1 }]);
  });
});

describe('fold: a judged listen', () => {
  it('queues a delivered event once, and ignores a verdict on an event it does not hold', () => {
    const r = run(`
do:
  - readings:
      listen:
        to:
          any:
            - with: { type: reading }
          until: \${ false }
`);
    r.receive(started({}));
    const e = ev('1', 'reading', { v: 1 });
    const queued = applyEvents(r.state, [deliver(r, e), deliver(r, e, 'rx-dup')]);
    expect(queued.tasks[0]!.listen!.queue).toHaveLength(1);
    expect(queued.tasks[0]!.phase).toBe('resumed');
    const verdict: RuntimePayload<'io.wormhole.task.started'> = {
      ...pick(r.last('io.wormhole.listen.started').data),
      attempt: 1,
      input: {},
      body: { kind: 'listen-event', key: 'https://shop.example 2', consumed: 'event', filters: [0] },
    };
    const stale = applyEvent(queued, external('io.wormhole.task.started', verdict));
    expect(stale.tasks).toBe(queued.tasks);
    const body = { kind: 'listen-event', key: cloudEventKey(e), consumed: 'event', filters: [0] } as const;
    const consumed: RuntimePayload<'io.wormhole.task.started'> = { ...verdict, body };
    const judged = applyEvent(queued, external('io.wormhole.task.started', consumed));
    expect(judged.tasks[0]).toMatchObject({ phase: 'waiting', listen: { queue: [], received: [{ event: e }] } });
  });
});

describe('decide: listen foreach', () => {
  const FOREACH = `
do:
  - orders:
      listen:
        to:
          any:
            - with: { type: order }
          until: \${ length == 2 }
      foreach:
        item: order
        at: i
        do:
          - pause:
              wait: PT1S
          - tag:
              set:
                n: \${ $order.n }
                i: \${ $i }
        output:
          as: \${ .n * 10 }
        export:
          as: '\${ $context + { sum: (($context.sum // 0) + .) } }'
  - total:
      set:
        outputs: \${ . }
        sum: \${ $context.sum }
`;

  function fire(r: Run): EngineEventOf<'io.wormhole.timer.fired'> {
    const timer = r.last('io.wormhole.timer.scheduled');
    return external('io.wormhole.timer.fired', { ...pick(timer.data), timer_id: timer.data.timer_id });
  }

  it('runs the tasks for each consumed event in arrival order, queueing events that come meanwhile', () => {
    const r = run(FOREACH);
    r.receive(started({}));
    const first = r.receive(deliver(r, ev('1', 'order', { n: 1 })));
    expect(trace(first.events)).toEqual(['task.started orders', 'task.started pause', 'timer.scheduled pause']);
    expect(first.state.status).toBe('waiting');
    // The second order arrives while the first one's tasks wait: it queues, and the listen still listens.
    const queued = r.receive(deliver(r, ev('2', 'order', { n: 2 })));
    expect(queued.events).toEqual([]);
    expect(waitingListens(queued.state)).toHaveLength(1);
    const second = r.receive(fire(r));
    expect(trace(second.events)).toEqual([
      'task.completed pause',
      'task.started tag',
      'task.completed tag',
      'task.started orders',
      'task.started orders',
      'task.started pause',
      'timer.scheduled pause',
    ]);
    expect(
      second.events.find((e) => e.type === 'io.wormhole.task.started' && e.data.task_name === 'pause'),
    ).toMatchObject({
      data: { iteration: '1', variables: { order: { n: 2 }, i: 1 } },
    });
    const done = r.receive(fire(r));
    expect(done.state.status).toBe('completed');
    expect(done.state.output).toEqual({ outputs: [10, 20], sum: 30 });
    expectReplayable(r);
  });

  it('runs a foreach written beside listen.to, and an error raised in it fails the listen and ends its listening', () => {
    const r = run(`
do:
  - l:
      listen:
        to:
          any:
            - with: { type: a }
          until: \${ false }
        foreach:
          do:
            - check:
                switch:
                  - bad:
                      when: \${ $item.bad }
                      then: refuse
                  - fine:
                      then: exit
            - refuse:
                raise:
                  error: { type: https://example.com/bad, status: 422 }
`);
    r.receive(started({}));
    expect(r.receive(deliver(r, ev('1', 'a', { bad: false }))).state.status).toBe('waiting');
    const done = r.receive(deliver(r, ev('2', 'a', { bad: true })));
    expect(trace(done.events)).toContain('task.failed l');
    expect(done.state.error).toMatchObject({ status: 422, instance: '/do/0/l/listen/foreach/do/1/refuse' });
    expect(waitingListens(done.state)).toEqual([]);
    expectReplayable(r);
  });

  it('faults with the expression error of foreach.output.as', () => {
    const r = run(`
do:
  - l:
      listen:
        to:
          one:
            with: { type: a }
      foreach:
        output:
          as: \${ .x.y.z[0] }
`);
    r.receive(started({}));
    const done = r.receive(deliver(r, ev('1', 'a', { x: 'text' })));
    expect(done.state.error).toMatchObject({ status: 400, instance: '/do/0/l' });
  });
});

describe('decide: listen correlate', () => {
  it('consumes only events that share the value the first one fixed', () => {
    const r = run(`
do:
  - room:
      listen:
        to:
          all:
            - with: { type: temperature }
              correlate:
                roomId: { from: .roomid }
            - with: { type: humidity }
              correlate:
                roomId: { from: .roomid }
        read: envelope
`);
    r.receive(started({}));
    const a = ev('1', 'temperature', { t: 20 }, { roomid: 'A' });
    const b = ev('2', 'humidity', { h: 50 }, { roomid: 'B' });
    const c = ev('3', 'humidity', { h: 40 }, { roomid: 'A' });
    r.receive(deliver(r, a));
    expect(r.state.tasks[0]!.listen!.correlation).toEqual({ roomId: 'A' });
    expect(r.receive(deliver(r, b)).state.status).toBe('waiting');
    const done = r.receive(deliver(r, c));
    expect(done.state.output).toEqual([a, c]);
    expect(
      r.history
        .filter((e) => e.type === 'io.wormhole.task.started')
        .map((e) => (e.data as { body?: { consumed?: string } }).body?.consumed),
    ).toEqual([undefined, 'event', 'none', 'event']);
    expectReplayable(r);
  });

  it('consumes only an event whose value equals expect, evaluated on the task input', () => {
    const r = run(`
do:
  - paid:
      listen:
        to:
          one:
            with: { type: paid }
            correlate:
              order: { from: .data.orderId, expect: '\${ .orderId }' }
`);
    r.receive(started({ orderId: 'o-2' }));
    expect(r.receive(deliver(r, ev('1', 'paid', { orderId: 'o-1' }))).state.status).toBe('waiting');
    const done = r.receive(deliver(r, ev('2', 'paid', { orderId: 'o-2' })));
    expect(done.state.output).toEqual([{ orderId: 'o-2' }]);
    expectReplayable(r);
  });

  it('compares a constant expect with the text of a number', () => {
    const r = run(`
do:
  - paid:
      listen:
        to:
          one:
            with: { type: paid }
            correlate:
              order: { from: .data.n, expect: '7' }
`);
    r.receive(started({}));
    expect(r.receive(deliver(r, ev('1', 'paid', { n: 8 }))).state.status).toBe('waiting');
    expect(r.receive(deliver(r, ev('2', 'paid', { n: 7 }))).state.status).toBe('completed');
  });
});

describe('event filters', () => {
  const event = ev('1', 'com.x', { orderId: 'o-1', nested: { a: 1, b: 2 } }, { subject: 's' });
  it('match on attributes and on data by subset', () => {
    expect(matchingFilters([{ type: 'com.x' }], event, evaluator)).toEqual([0]);
    expect(matchingFilters([{ type: 'com.y' }, { type: 'com.x', subject: 's' }], event, evaluator)).toEqual([1]);
    expect(matchingFilters([{ data: { nested: { a: 1 } } }], event, evaluator)).toEqual([0]);
    expect(matchingFilters([{ data: { nested: { a: 2 } } }], event, evaluator)).toEqual([]);
    expect(matchingFilters([{ source: 'https://shop.example', data: { orderId: 'o-2' } }], event, evaluator)).toEqual(
      [],
    );
    expect(matchingFilters([], event, evaluator)).toEqual([0]);
  });

  it('read a property that is a whole runtime expression as a predicate on the event (the spec examples)', () => {
    expect(matchingFilters([{ data: '${ .orderId == "o-1" }' }], event, evaluator)).toEqual([0]);
    expect(matchingFilters([{ data: '${ .nested.a > 1 }' }], event, evaluator)).toEqual([]);
    expect(matchingFilters([{ type: 'com.x', data: '${ .nested.b }' }], event, evaluator)).toEqual([0]);
    // An absent property, or a predicate that fails on the event, does not match.
    expect(matchingFilters([{ dataschema: '${ true }' }], event, evaluator)).toEqual([]);
    expect(matchingFilters([{ data: '${ .orderId | tonumber > 1 }' }], event, evaluator)).toEqual([]);
  });
});

describe('listen with a predicate filter', () => {
  it('keeps the predicate for each event while expressions inside values see the task input', () => {
    const r = new Run(
      workflow(`
document: {dsl: '1.0.3', namespace: t, name: vitals, version: '1.0.0'}
do:
  - callDoctor:
      listen:
        to:
          any:
            - with:
                type: com.fake-hospital.vitals.measurements.temperature
                data: \${ .temperature > 38 }
            - with:
                type: com.fake-hospital.vitals.measurements.bpm
                data:
                  patient: \${ .patient }
`),
      evaluator,
    );
    r.receive(started({ patient: 'p-1' }));
    const filters = subscriptionFilters(r.last('io.wormhole.listen.started').data);
    expect(filters).toEqual([
      { type: 'com.fake-hospital.vitals.measurements.temperature', data: '${ .temperature > 38 }' },
      { type: 'com.fake-hospital.vitals.measurements.bpm', data: { patient: 'p-1' } },
    ]);
    const cold = ev('1', 'com.fake-hospital.vitals.measurements.temperature', { temperature: 37 });
    const fever = ev('2', 'com.fake-hospital.vitals.measurements.temperature', { temperature: 39 });
    const other = ev('3', 'com.fake-hospital.vitals.measurements.bpm', { patient: 'p-2', bpm: 50 });
    expect(matchingFilters(filters, cold, evaluator)).toEqual([]);
    expect(matchingFilters(filters, other, evaluator)).toEqual([]);
    expect(r.receive(deliver(r, fever)).state.status).toBe('completed');
  });
});
