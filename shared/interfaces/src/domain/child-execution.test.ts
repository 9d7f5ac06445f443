import { childIdempotencyKey, parentOfKey } from './child-execution';
import { executionStartedEvent } from './engine-events';

describe('child execution keys', () => {
  const parent = {
    workflow_id: 'wf_1',
    execution_id: 'ex_1',
    task_path: '/do/0/a b/do/1/child',
    attempt: 2,
    awaited: true,
  };

  it('round-trips the parent task, a task path with spaces included', () => {
    expect(parentOfKey(childIdempotencyKey(parent))).toEqual(parent);
    expect(parentOfKey(childIdempotencyKey({ ...parent, awaited: false }))).toEqual({ ...parent, awaited: false });
  });

  it('is the same key for the same attempt and another for the next one (one child per attempt)', () => {
    expect(childIdempotencyKey(parent)).toBe(childIdempotencyKey({ ...parent }));
    expect(childIdempotencyKey(parent)).not.toBe(childIdempotencyKey({ ...parent, attempt: 3 }));
  });

  it('gives each loop iteration of the task its own key, and keys outside loops stay as they were', () => {
    const inLoop = { ...parent, iteration: '1.0' };
    expect(childIdempotencyKey(inLoop)).not.toBe(childIdempotencyKey({ ...parent, iteration: '1.1' }));
    expect(childIdempotencyKey(inLoop)).not.toBe(childIdempotencyKey(parent));
    expect(parentOfKey(childIdempotencyKey(inLoop))).toEqual(inLoop);
    expect(childIdempotencyKey(parent)).toBe('wormhole-child wf_1 ex_1 2 await /do/0/a b/do/1/child');
  });

  it('reads no parent from a client key or from none', () => {
    expect(parentOfKey(undefined)).toBeUndefined();
    expect(parentOfKey('order-42')).toBeUndefined();
    expect(parentOfKey('wormhole-child wf_1 ex_1 x await /do/0/c')).toBeUndefined();
  });

  it('puts the parent on the start event of a child execution only', () => {
    const row = { id: 'ex_2', tenant_id: 't', workflow_id: 'wf_2', workflow_version: 1, input: {} };
    expect(executionStartedEvent(row, 's').data.parent).toBeUndefined();
    const child = executionStartedEvent({ ...row, idempotency_key: childIdempotencyKey(parent) }, 's');
    expect(child.data.parent).toEqual(parent);
  });
});
