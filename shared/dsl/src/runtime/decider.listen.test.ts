import type { CloudEvent, EngineEventOf, JsonObject } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { matchingFilters } from './event-filter';
import { waitingListens } from './listen';
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
      filters: matchingFilters(listen.data.filters, event),
    },
    id,
  );
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

  it.each([
    [
      'correlate',
      '      to:\n        one:\n          with: { type: a }\n          correlate: { order: { from: ".data.id" } }',
    ],
    ['foreach', '      to:\n        one:\n          with: { type: a }\n      foreach: { do: [] }'],
    ['until', '      to:\n        any:\n          - with: { type: a }\n        until: "x"'],
  ])('faults with a not-implemented runtime error (501) for %s', (_name, listen) => {
    const r = run(`
do:
  - c:
      listen:
  ${listen.replace(/\n/g, '\n  ')}
`);
    expect(r.receive(started({})).state.error).toMatchObject({ status: 501, instance: '/do/0/c' });
  });
});

describe('event filters', () => {
  const event = ev('1', 'com.x', { orderId: 'o-1', nested: { a: 1, b: 2 } }, { subject: 's' });
  it('match on attributes and on data by subset', () => {
    expect(matchingFilters([{ type: 'com.x' }], event)).toEqual([0]);
    expect(matchingFilters([{ type: 'com.y' }, { type: 'com.x', subject: 's' }], event)).toEqual([1]);
    expect(matchingFilters([{ data: { nested: { a: 1 } } }], event)).toEqual([0]);
    expect(matchingFilters([{ data: { nested: { a: 2 } } }], event)).toEqual([]);
    expect(matchingFilters([{ source: 'https://shop.example', data: { orderId: 'o-2' } }], event)).toEqual([]);
    expect(matchingFilters([], event)).toEqual([0]);
  });
});
