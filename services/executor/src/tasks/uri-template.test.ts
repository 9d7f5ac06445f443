import { expandUriTemplate } from './uri-template';

describe('expandUriTemplate', () => {
  it('fills path and query expressions from top-level input values', () => {
    expect(expandUriTemplate('https://h/v2/pet/{petId}', { petId: 1 })).toBe('https://h/v2/pet/1');
    expect(expandUriTemplate('https://h/find?status={status}', { status: 'available' })).toBe(
      'https://h/find?status=available',
    );
  });

  it('percent-encodes reserved characters as level-1 expansion does', () => {
    expect(expandUriTemplate('https://h/{q}', { q: "a b/c?d&e'é" })).toBe('https://h/a%20b%2Fc%3Fd%26e%27%C3%A9');
  });

  it('expands a missing, null or structured value to nothing', () => {
    expect(expandUriTemplate('https://h/{a}/{b}/{c}', { b: null, c: { x: 1 } })).toBe('https://h///');
    expect(expandUriTemplate('https://h/{a}', 'not an object')).toBe('https://h/');
  });

  it('leaves a URI without expressions unchanged', () => {
    expect(expandUriTemplate('https://h/pets?limit=5', { limit: 1 })).toBe('https://h/pets?limit=5');
  });
});
