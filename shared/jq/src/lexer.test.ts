import { JqSyntaxError } from './errors';
import { Lexer } from './lexer';

const kinds = (src: string): string[] => Lexer.tokenize(src).map((t) => t.kind);

describe('Lexer', () => {
  it('tells fields, variables, formats, keywords and identifiers apart', () => {
    expect(kinds('.a $x @base64 if map')).toEqual(['field', 'var', 'format', 'keyword', 'ident', 'eof']);
  });

  it('prefers the longest operator', () => {
    const ops = Lexer.tokenize('//= // ?// |= .. .').map((t) => (t.kind === 'op' ? t.text : t.kind));
    expect(ops).toEqual(['//=', '//', '?//', '|=', '..', '.', 'eof']);
  });

  it('reads numbers, including a leading dot and exponents', () => {
    const values = Lexer.tokenize('1 .5 2.5e3 1E-2').flatMap((t) => (t.kind === 'num' ? [t.value] : []));
    expect(values).toEqual([1, 0.5, 2500, 0.01]);
  });

  it('splits a string into text and interpolation tokens', () => {
    const [str] = Lexer.tokenize('"a\\(.b)c\\n\\u00e9"');
    expect(str?.kind).toBe('str');
    if (str?.kind !== 'str') return;
    expect(str.parts[0]).toBe('a');
    expect(Array.isArray(str.parts[1])).toBe(true);
    expect(str.parts[2]).toBe('c\né');
  });

  it('skips comments and tracks lines and columns', () => {
    const tokens = Lexer.tokenize('# comment\n  .a');
    expect(tokens[0]?.pos).toEqual({ line: 2, column: 3 });
  });

  it('reports where an invalid escape is', () => {
    expect(() => Lexer.tokenize('"a\\qb"')).toThrow(JqSyntaxError);
    expect(() => Lexer.tokenize('\n  "abc')).toThrow(/line 2/);
  });
});
