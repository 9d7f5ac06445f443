import { jq } from '../__tests__/helpers';

describe('path builtins', () => {
  const doc = { a: { b: [1, { c: 2 }] } };

  it('lists paths, leaf paths and paths matching a filter', () => {
    expect(jq('[paths]', { a: [1] })).toEqual([[['a'], ['a', 0]]]);
    expect(jq('[leaf_paths]', doc)).toEqual([
      [
        ['a', 'b', 0],
        ['a', 'b', 1, 'c'],
      ],
    ]);
    expect(jq('[paths(type == "number")]', doc)).toEqual([
      [
        ['a', 'b', 0],
        ['a', 'b', 1, 'c'],
      ],
    ]);
  });

  it('reads, writes and deletes by path', () => {
    expect(jq('getpath(["a", "b", 1, "c"])', doc)).toEqual([2]);
    expect(jq('setpath(["a", "x"]; 1) | .a.x', doc)).toEqual([1]);
    expect(jq('delpaths([["a", "b"]])', doc)).toEqual([{ a: {} }]);
    expect(jq('del(.a.b[0])', doc)).toEqual([{ a: { b: [{ c: 2 }] } }]);
    expect(jq('pick(.a.b[1].c)', doc)).toEqual([{ a: { b: [null, { c: 2 }] } }]);
  });

  it('converts objects to entries and back', () => {
    expect(jq('to_entries', { a: 1, b: 2 })).toEqual([
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ],
    ]);
    expect(
      jq('from_entries', [
        { name: 'a', value: 1 },
        { key: 'b', Value: 2 },
      ]),
    ).toEqual([{ a: 1, b: 2 }]);
    expect(jq('with_entries(.value += 1)', { a: 1 })).toEqual([{ a: 2 }]);
  });

  it('walks, streams and rebuilds from streams', () => {
    expect(jq('walk(if type == "number" then . + 1 else . end)', [1, { a: 2 }])).toEqual([[2, { a: 3 }]]);
    expect(jq('[tostream]', { a: [1] })).toEqual([[[['a', 0], 1], [['a', 0]], [['a']]]]);
    expect(jq('fromstream(tostream)', doc)).toEqual([doc]);
    expect(jq('[1 | truncate_stream([[0], 1], [[1, 0], 2], [[1, 0]], [[1]])]')).toEqual([[[[0], 2], [[0]]]]);
  });

  it('limits, skips and takes first/last/nth, also as path expressions', () => {
    expect(jq('[limit(2; .[])]', [1, 2, 3])).toEqual([[1, 2]]);
    expect(jq('[skip(1; .[])]', [1, 2, 3])).toEqual([[2, 3]]);
    expect(jq('[first(.[]), last(.[]), nth(1; .[])]', [1, 2, 3])).toEqual([[1, 3, 2]]);
    expect(jq('first(.[]) = 9', [1, 2])).toEqual([[9, 2]]);
    expect(jq('[isempty(empty), isempty(1)]')).toEqual([[true, false]]);
  });
});
