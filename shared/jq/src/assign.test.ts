import { jq } from './__tests__/helpers';

describe('assignment', () => {
  it('= sets every path, once per right-hand output', () => {
    expect(jq('.a = (1, 2)', {})).toEqual([{ a: 1 }, { a: 2 }]);
    expect(jq('.[] = 0', [1, 2])).toEqual([[0, 0]]);
    expect(jq('.a.b = 1', null)).toEqual([{ a: { b: 1 } }]);
  });

  it('|= uses the first output and deletes paths where the update is empty', () => {
    expect(jq('.[] |= (. * 2, . * 3)', [1, 2])).toEqual([[2, 4]]);
    expect(jq('.[] |= empty', [1, 2, 3])).toEqual([[]]);
    expect(jq('(.[] | select(. > 1)) |= empty', [1, 2, 3, 1])).toEqual([[1, 1]]);
  });

  it('arithmetic updates evaluate the right side against the original input', () => {
    expect(jq('.a += .b', { a: 1, b: 2 })).toEqual([{ a: 3, b: 2 }]);
    expect(jq('.[] *= 2', [1, 2])).toEqual([[2, 4]]);
    expect(jq('.a //= 5', { a: null })).toEqual([{ a: 5 }]);
    expect(jq('.a //= 5', { a: false })).toEqual([{ a: 5 }]);
    expect(jq('.a //= 5', { a: 0 })).toEqual([{ a: 0 }]);
  });

  it('updates slices', () => {
    expect(jq('.[1:] = ["x"]', [1, 2, 3])).toEqual([[1, 'x']]);
  });
});
