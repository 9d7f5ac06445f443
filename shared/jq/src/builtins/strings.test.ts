import { jq, jqError } from '../__tests__/helpers';

describe('string builtins', () => {
  it('trims prefixes, suffixes and whitespace', () => {
    expect(jq('[ltrimstr("a"), rtrimstr("c"), trimstr("a")]', 'abca')).toEqual([['bca', 'abca', 'bc']]);
    expect(jqError('ltrimstr(1)', 'a')).toBe('startswith() requires string inputs');
    expect(jq('[trim, ltrim, rtrim]', '  x \n')).toEqual([['x', 'x \n', '  x']]);
  });

  it('explodes to codepoints and implodes back', () => {
    expect(jq('explode', 'a😀')).toEqual([[97, 128512]]);
    expect(jq('implode', [97, 128512])).toEqual(['a😀']);
  });

  it('changes ASCII case only', () => {
    expect(jq('[ascii_downcase, ascii_upcase]', 'ÀbC')).toEqual([['Àbc', 'ÀBC']]);
  });

  it('splits and tests prefixes', () => {
    expect(jq('split(", ")', 'a, b')).toEqual([['a', 'b']]);
    expect(jq('[startswith("a"), endswith("z")]', 'abc')).toEqual([[true, false]]);
    expect(jq('utf8bytelength', 'é')).toEqual([2]);
  });
});
