import { jq, jqError } from '../__tests__/helpers';

describe('regex builtins', () => {
  it('tests and matches with flags', () => {
    expect(jq('[test("B"), test("B"; "i"), test(["B", "i"])]', 'abc')).toEqual([[false, true, true]]);
    expect(jq('[match("a"; "g") | .offset]', 'banana')).toEqual([[1, 3, 5]]);
    expect(jq('test("a b"; "x")', 'ab')).toEqual([true]);
  });

  it('reports offsets in codepoints and unmatched groups as offset -1', () => {
    expect(jq('match("b(x)?")', '😀b')).toEqual([
      { offset: 1, length: 1, string: 'b', captures: [{ offset: -1, length: 0, string: null, name: null }] },
    ]);
  });

  it('captures named groups and scans', () => {
    expect(jq('capture("(?<y>\\\\d+)-(?<m>\\\\d+)")', '2024-05')).toEqual([{ y: '2024', m: '05' }]);
    expect(jq('[scan("c")], [scan("(a)(b)")]', 'abcabc')).toEqual([
      ['c', 'c'],
      [
        ['a', 'b'],
        ['a', 'b'],
      ],
    ]);
  });

  it('splits and substitutes, with captures in the replacement', () => {
    expect(jq('[splits(", *")]', 'a, b,c')).toEqual([['a', 'b', 'c']]);
    expect(jq('split(", *"; null)', 'a, b')).toEqual([['a', 'b']]);
    expect(jq('sub("(?<x>b)"; "[\\(.x)]")', 'abcb')).toEqual(['a[b]cb']);
    expect(jq('gsub("b"; "X")', 'abcb')).toEqual(['aXcX']);
    expect(jq('[gsub("(?<a>.)"; "\\(.a|ascii_upcase)", "\\(.a)!")]', 'ab')).toEqual([['AB', 'a!b!']]);
    expect(jq('gsub(""; "-")', 'ab')).toEqual(['-a-b-']);
  });

  it('rejects non-strings and bad flags', () => {
    expect(jqError('test("a")', 1)).toBe('number (1) cannot be matched, as it is not a string');
    expect(jqError('test("a"; "q")', 'a')).toBe('q is not a valid modifier string');
  });
});
