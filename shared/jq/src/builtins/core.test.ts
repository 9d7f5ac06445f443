import { jq, jqError } from '../__tests__/helpers';

describe('core builtins', () => {
  it('length counts codepoints, keys, elements and absolute values', () => {
    expect(jq('[.[] | length]', ['a😀', [1, 2], { a: 1 }, null, -3])).toEqual([[2, 2, 1, 0, 3]]);
    expect(jqError('length', true)).toBe('boolean (true) has no length');
  });

  it('contains uses substring semantics for strings, recursively', () => {
    expect(jq('contains("bar")', 'foobar')).toEqual([true]);
    expect(jq('contains({a: [1]})', { a: [1, 2], b: 3 })).toEqual([true]);
    expect(jq('contains(["baz"])', ['foobaz'])).toEqual([true]);
    expect(jqError('contains(1)', 'a')).toBe('string ("a") and number (1) cannot have their containment checked');
  });

  it('converts with tostring, tonumber, tojson, fromjson', () => {
    expect(jq('[.[] | tostring]', [1, 'a', [1]])).toEqual([['1', 'a', '[1]']]);
    expect(jq('[.[] | try tonumber catch "bad"]', ['1.5', '+2', ' 3', 'x'])).toEqual([[1.5, 2, 'bad', 'bad']]);
    expect(jq('tojson | fromjson', { a: [1] })).toEqual([{ a: [1] }]);
  });

  it('has the type predicates and special numbers', () => {
    expect(jq('[infinite, -infinite, nan] | map(isinfinite)')).toEqual([[true, true, false]]);
    expect(jq('[nan | isnan, (1 | isnormal), (0 | isnormal)]')).toEqual([[true, true, false]]);
    expect(jq('[.[] | type]', [null, true, 1, 's', [], {}])).toEqual([
      ['null', 'boolean', 'number', 'string', 'array', 'object'],
    ]);
  });

  it('add, any, all, abs, toboolean, error', () => {
    expect(jq('add', [1, 2, 3])).toEqual([6]);
    expect(jq('add', { a: 'x', b: 'y' })).toEqual(['xy']);
    expect(jq('[any, all]', [true, false])).toEqual([[true, false]]);
    expect(jq('any(range(1e9); . > 5)')).toEqual([true]);
    expect(jq('[.[] | abs]', [-1, 2, 'abc'])).toEqual([[1, 2, 'abc']]);
    expect(jq('map(toboolean)', ['true', false])).toEqual([[true, false]]);
    expect(jqError('error("boom")')).toBe('boom');
  });

  it('describes its builtins', () => {
    const [names] = jq('builtins');
    expect(names).toEqual(expect.arrayContaining(['map/1', 'length/0', 'sub/3']));
  });
});
