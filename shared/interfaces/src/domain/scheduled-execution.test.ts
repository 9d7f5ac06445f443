import { childIdempotencyKey, parentOfKey } from './child-execution';
import {
  isReservedIdempotencyKey,
  isScheduleIdempotencyKey,
  scheduleEventIdempotencyKey,
  scheduleTickIdempotencyKey,
} from './scheduled-execution';

describe('scheduled execution keys', () => {
  const tick = new Date('2026-11-25T04:00:00.000Z');

  it('names the workflow and the tick: one key per (workflow, tick)', () => {
    expect(scheduleTickIdempotencyKey('wf_1', tick)).toBe('wormhole-schedule wf_1 2026-11-25T04:00:00.000Z');
    expect(scheduleTickIdempotencyKey('wf_1', new Date(tick.getTime()))).toBe(scheduleTickIdempotencyKey('wf_1', tick));
    expect(scheduleTickIdempotencyKey('wf_1', new Date(tick.getTime() + 1000))).not.toBe(
      scheduleTickIdempotencyKey('wf_1', tick),
    );
    expect(scheduleTickIdempotencyKey('wf_2', tick)).not.toBe(scheduleTickIdempotencyKey('wf_1', tick));
  });

  it('derives an event key from (source, id) only', () => {
    const key = scheduleEventIdempotencyKey('wf_1', { source: 'shop', id: 'e-1' });
    expect(key).toBe(scheduleEventIdempotencyKey('wf_1', { source: 'shop', id: 'e-1' }));
    expect(key).not.toBe(scheduleEventIdempotencyKey('wf_1', { source: 'shop', id: 'e-2' }));
    expect(key).not.toBe(scheduleEventIdempotencyKey('wf_1', { source: 'shop2', id: 'e-1' }));
    expect(key.length).toBeLessThan(255);
  });

  it('reserves its form and the child form, and names no parent', () => {
    const key = scheduleTickIdempotencyKey('wf_1', tick);
    expect(isScheduleIdempotencyKey(key)).toBe(true);
    expect(isReservedIdempotencyKey(key)).toBe(true);
    expect(parentOfKey(key)).toBeUndefined();
    const child = childIdempotencyKey({
      workflow_id: 'wf',
      execution_id: 'ex',
      task_path: '/do/0/a',
      attempt: 1,
      awaited: true,
    });
    expect(isReservedIdempotencyKey(child)).toBe(true);
    expect(isReservedIdempotencyKey('order-12')).toBe(false);
    expect(isReservedIdempotencyKey('wormhole-scheduled')).toBe(false);
  });
});
