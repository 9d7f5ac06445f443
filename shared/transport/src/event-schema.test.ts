import { parseEngineEvent, serializeEngineEvent, validateEngineEvent } from './event-schema';
import { newScope, startedEvent, taskCompletedEvent, taskRequestedEvent } from './__tests__/sample-events';

describe('parseEngineEvent', () => {
  const scope = newScope();

  it('round-trips every sample event', () => {
    for (const event of [startedEvent(scope), taskRequestedEvent(scope), taskCompletedEvent(scope)]) {
      expect(parseEngineEvent(serializeEngineEvent(event))).toEqual({ ok: true, event });
    }
  });

  it('accepts null as a JSON payload value', () => {
    expect(parseEngineEvent(JSON.stringify(startedEvent(scope, null))).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"specversion"', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['a wrong specversion', JSON.stringify({ ...startedEvent(scope), specversion: '0.3' }), /specversion/],
    ['an unknown type', JSON.stringify({ ...startedEvent(scope), type: 'io.wormhole.nope' }), /unknown event type/],
    ['no id', JSON.stringify({ ...startedEvent(scope), id: '' }), /'id'/],
    ['no tenantid', JSON.stringify({ ...startedEvent(scope), tenantid: undefined }), /'tenantid'/],
    ['no executionid', JSON.stringify({ ...startedEvent(scope), executionid: 7 }), /'executionid'/],
    ['a non-string time', JSON.stringify({ ...startedEvent(scope), time: 5 }), /'time'/],
    ['no data', JSON.stringify({ ...startedEvent(scope), data: undefined }), /'data' must be an object/],
    [
      'a payload missing a field',
      JSON.stringify({ ...taskRequestedEvent(scope), data: { task_path: '/do/0', task_name: 'x', task_type: 'call' } }),
      /missing data.input/,
    ],
    [
      'a payload field of the wrong kind',
      JSON.stringify({ ...taskCompletedEvent(scope), data: { ...taskCompletedEvent(scope).data, attempt: '1' } }),
      /data.attempt must be a number/,
    ],
  ])('rejects %s', (_name, raw, message) => {
    const result = parseEngineEvent(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('validates decoded values too', () => {
    expect(validateEngineEvent(null)).toEqual({ ok: false, error: 'event is not a JSON object' });
  });
});
