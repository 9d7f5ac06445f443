import { jq, jqError } from '../__tests__/helpers';

describe('collection builtins', () => {
  it('sort_by is stable and takes several keys', () => {
    const input = [
      { a: 2, b: 1, i: 0 },
      { a: 1, b: 2, i: 1 },
      { a: 2, b: 0, i: 2 },
      { a: 1, b: 2, i: 3 },
    ];
    expect(jq('sort_by(.a) | map(.i)', input)).toEqual([[1, 3, 0, 2]]);
    expect(jq('sort_by(.a, .b) | map(.i)', input)).toEqual([[1, 3, 2, 0]]);
  });

  it('groups, uniques and finds extremes by key', () => {
    expect(jq('group_by(. % 2)', [1, 2, 3, 4])).toEqual([
      [
        [2, 4],
        [1, 3],
      ],
    ]);
    expect(jq('unique_by(length)', ['a', 'bb', 'c'])).toEqual([['a', 'bb']]);
    expect(jq('[min_by(.x), max_by(.x)]', [{ x: 2 }, { x: 1 }, { x: 2 }])).toEqual([[{ x: 1 }, { x: 2 }]]);
    expect(jq('[min, max]', [])).toEqual([[null, null]]);
  });

  it('flattens, reverses, transposes and joins', () => {
    expect(jq('flatten(1)', [1, [2, [3]]])).toEqual([[1, 2, [3]]]);
    expect(jqError('flatten(-1)', [])).toBe('flatten depth must not be negative');
    expect(jq('reverse', [1, 2])).toEqual([[2, 1]]);
    expect(jq('transpose', [[1], [2, 3]])).toEqual([
      [
        [1, 2],
        [null, 3],
      ],
    ]);
    expect(jq('join("-")', ['a', 1, null, true])).toEqual(['a-1--true']);
  });

  it('finds indices in arrays and strings', () => {
    expect(jq('indices(", ")', 'a, b, c')).toEqual([[1, 4]]);
    expect(jq('indices([1, 2])', [0, 1, 2, 1, 2])).toEqual([[1, 3]]);
    expect(jq('[index("b"), rindex("b")]', 'abcb')).toEqual([[1, 3]]);
  });

  it('generates ranges and binary-searches', () => {
    expect(jq('[range(3)], [range(0; 10; 4)], [range(5; 0; -2)]')).toEqual([
      [0, 1, 2],
      [0, 4, 8],
      [5, 3, 1],
    ]);
    expect(jq('[bsearch(2), bsearch(4)]', [1, 2, 3])).toEqual([[1, -4]]);
  });

  it('SQL-style INDEX and IN', () => {
    expect(jq('INDEX(.id)', [{ id: 1 }, { id: 2 }])).toEqual([{ '1': { id: 1 }, '2': { id: 2 } }]);
    expect(jq('[.[] | IN(2, 3)]', [1, 2])).toEqual([[false, true]]);
  });
});
