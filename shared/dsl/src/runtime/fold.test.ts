import { applyEvent, applyEvents } from './fold';
import { fromSnapshot, initialState, markPersisted, RECENT_EVENT_IDS, toSnapshot } from './state';
import { NOW, Run, SUBJECT, external, jq, started, workflow } from './__tests__/harness';

const stored = <E extends { id: string }>(event: E, sequence: number): E & { sequence: number } => ({
  ...event,
  sequence,
});

const HELLO = workflow(`
document: { dsl: '1.0.0', namespace: test, name: fold, version: '1.0.0' }
do:
  - fetch:
      call: http
      with: { method: get, endpoint: https://example.com }
`);
const FETCH = { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call' };

describe('applyEvent', () => {
  it('starts from a pending, empty state', () => {
    expect(initialState()).toMatchObject({ status: 'pending', context: {}, tasks: [], eventCount: 0, sequence: 0 });
  });

  it('takes identity, input and start time from execution.started', () => {
    const state = applyEvent(initialState(), started({ order: 1 }));
    expect(state).toMatchObject({
      status: 'running',
      identity: { tenantId: SUBJECT.tenantid, workflowId: 'wf_1', executionId: 'ex_1', workflowVersion: 1 },
      input: { order: 1 },
      startedAt: NOW.toISOString(),
      eventCount: 1,
    });
  });

  it('ignores an event id it has seen, and a stored event its sequence already covers', () => {
    const event = started({ a: 1 });
    const once = applyEvent(initialState(), stored(event, 1));
    expect(applyEvent(once, event)).toBe(once);
    expect(applyEvent(once, stored(started({ b: 2 }), 1))).toBe(once);
  });

  it('records the sequence of a stored copy of an event it already holds', () => {
    const event = started({ a: 1 });
    const unsequenced = applyEvent(initialState(), event);
    const stamped = applyEvent(unsequenced, stored(event, 7));
    expect(stamped).toEqual({ ...unsequenced, sequence: 7 });
    expect(markPersisted(unsequenced, 9).sequence).toBe(9);
    expect(markPersisted(stamped, 3)).toBe(stamped);
  });

  it('keeps terminal states final', () => {
    const done = applyEvents(initialState(), [
      started({}),
      external('io.wormhole.execution.completed', { output: { ok: true } }),
    ]);
    const after = applyEvents(done, [
      external('io.wormhole.execution.cancelled', {}),
      external('io.wormhole.execution.faulted', { error: { type: 'x', status: 500 } }),
    ]);
    expect(after.status).toBe('completed');
    expect(after.output).toEqual({ ok: true });
  });

  it('ignores task events that do not fit the state machine', () => {
    const running = applyEvent(initialState(), started({}));
    const unknownTask = applyEvent(
      running,
      external('io.wormhole.task.completed', { ...FETCH, attempt: 1, output: 1 }),
    );
    expect(unknownTask.tasks).toEqual([]);
    expect(unknownTask.status).toBe('running');
    const pending = applyEvent(initialState(), external('io.wormhole.timer.fired', { ...FETCH, timer_id: 't' }));
    expect(pending.status).toBe('pending');
  });

  it('remembers a bounded number of event ids', () => {
    let state = applyEvent(initialState(), started({}));
    for (let i = 0; i < RECENT_EVENT_IDS + 10; i++) {
      state = applyEvent(state, external('io.wormhole.task.retrying', { ...FETCH, attempt: 1, delay_ms: 1 }));
    }
    expect(state.recentEventIds).toHaveLength(RECENT_EVENT_IDS);
    expect(state.eventCount).toBe(RECENT_EVENT_IDS + 11);
  });
});

describe('snapshots', () => {
  it('round-trip through JSON and resume where the history left off', async () => {
    const r = new Run(HELLO, await jq());
    r.receive(stored(started({ id: 1 }), 1));
    const snapshot = JSON.parse(JSON.stringify(toSnapshot(markPersisted(r.state, 3)))) as ReturnType<typeof toSnapshot>;
    expect(snapshot.sequence).toBe(3);
    const restored = fromSnapshot(snapshot);
    expect(restored).toEqual(markPersisted(r.state, 3));

    const outcome = stored(external('io.wormhole.task.completed', { ...FETCH, attempt: 1, output: { ok: 1 } }), 4);
    const resumed = new Run(HELLO, await jq());
    resumed.state = restored!;
    expect(resumed.receive(outcome).state.output).toEqual({ ok: 1 });
    expect(resumed.state.sequence).toBe(4);
  });

  it('refuses a snapshot of another format', () => {
    expect(fromSnapshot({ sequence: 1, state: { format: 0 } })).toBeUndefined();
    expect(fromSnapshot({ sequence: 1, state: {} })).toBeUndefined();
  });

  it('ignores progress (a task.started with a body) of a composite task that is not running', () => {
    const loop = { task_path: '/do/0/loop', task_name: 'loop', task_type: 'for', input: null };
    const body = { kind: 'iteration', index: 1, input: null, items: [1, 2] };
    const running = applyEvent(initialState(), started({}));
    const progressOfAttempt1 = { ...loop, attempt: 1, body };
    expect(applyEvent(running, external('io.wormhole.task.started', progressOfAttempt1)).tasks).toEqual([]);
    const begun = applyEvent(running, external('io.wormhole.task.started', { ...loop, attempt: 2 }));
    // An older attempt's progress does not move the newer attempt either.
    const later = applyEvent(begun, external('io.wormhole.task.started', { ...progressOfAttempt1 }));
    expect(later.tasks).toEqual(begun.tasks);
  });
});
