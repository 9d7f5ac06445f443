import { subscriptionEventTypes } from './event-subscription';

describe('subscriptionEventTypes', () => {
  it('gives the literal types of the filters, each once', () => {
    expect(subscriptionEventTypes([{ type: 'b' }, { type: 'a', data: { x: 1 } }, { type: 'b' }])).toEqual(['a', 'b']);
    // A predicate on another property keeps the literal type.
    expect(subscriptionEventTypes([{ type: 'a', data: '${ .x > 1 }' }])).toEqual(['a']);
  });

  it('is undefined when a filter may match any type', () => {
    expect(subscriptionEventTypes([])).toBeUndefined();
    expect(subscriptionEventTypes([{ type: 'a' }, { source: 'shop' }])).toBeUndefined();
    expect(subscriptionEventTypes([{ type: '${ startswith("com.") }' }])).toBeUndefined();
    expect(subscriptionEventTypes([{ type: ' ${ . == "a" } ' }])).toBeUndefined();
    expect(subscriptionEventTypes([{ type: 3 }])).toBeUndefined();
  });
});
