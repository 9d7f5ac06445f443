import { codepointLength, compare, dumpTruncated, equals, formatNumber, getKey, setKey, toJson } from './value';
import type { Json, JsonObject } from './value';

describe('value', () => {
  it('orders values the way jq sorts them', () => {
    const sorted: Json[] = [{}, [], 'a', 1, true, false, null].sort(compare);
    expect(sorted).toEqual([null, false, true, 1, 'a', [], {}]);
  });

  it('compares objects by their sorted keys first, then values', () => {
    expect(compare({ b: 1 }, { a: 2 })).toBe(1);
    expect(compare({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(0);
  });

  it('never finds nan equal to itself', () => {
    expect(equals(NaN, NaN)).toBe(false);
    expect(equals([1, { a: 2 }], [1, { a: 2 }])).toBe(true);
  });

  it('counts string length in codepoints', () => {
    expect(codepointLength('a😀b')).toBe(3);
  });

  it('treats inherited members and __proto__ as absent keys', () => {
    const o: JsonObject = {};
    expect(getKey(o, 'toString')).toBeUndefined();
    setKey(o, '__proto__', 1);
    expect(getKey(o, '__proto__')).toBe(1);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
  });

  it('prints like jq', () => {
    expect(toJson({ a: [1, 'x', null] })).toBe('{"a":[1,"x",null]}');
    expect(formatNumber(1e-7)).toBe('1e-07');
    expect([1e15, 1e16, 12345678901234567, 0.0001, 1e-5, -1.5e300, -0].map(formatNumber)).toEqual([
      '1000000000000000',
      '1e+16',
      '12345678901234568',
      '0.0001',
      '1e-05',
      '-1.5e+300',
      '-0',
    ]);
    expect(formatNumber(Infinity)).toBe('1.7976931348623157e+308');
    expect(toJson(NaN)).toBe('null');
  });

  it('truncates values in error messages to jq 30-byte buffer', () => {
    expect(dumpTruncated({ a: 'x'.repeat(60) })).toBe('{"a":"xxxxxxxxxxxxxxxxxxx...}');
  });

  it('prints values nested 10000 deep, and skips deeper ones like jq', () => {
    let v: Json = [];
    for (let i = 0; i < 10000; i++) v = [v];
    expect(toJson(v)).toBe('['.repeat(10001) + ']'.repeat(10001));
    expect(toJson([v])).toContain('<skipped: too deep>');
  });
});
