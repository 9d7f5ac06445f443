import { JqSyntaxError } from './errors';
import { parse } from './parser';

describe('parse', () => {
  it('gives pipe the loosest precedence, then comma, then //', () => {
    expect(parse('a, b | c')).toMatchObject({ type: 'pipe', left: { type: 'comma' } });
    expect(parse('a // b, c')).toMatchObject({ type: 'comma', left: { type: 'alt' } });
  });

  it('binds arithmetic tighter than comparison, and * tighter than +', () => {
    expect(parse('1 + 2 * 3 == 7')).toMatchObject({
      type: 'binary',
      op: '==',
      left: { type: 'binary', op: '+', right: { type: 'binary', op: '*' } },
    });
  });

  it('makes `as` and `def` bodies extend to the end of the query', () => {
    expect(parse('. as $x | $x, 1')).toMatchObject({ type: 'as', body: { type: 'comma' } });
    expect(parse('def f: 1; f | f')).toMatchObject({ type: 'defs', body: { type: 'pipe' } });
  });

  it('parses postfix chains, slices and optional access', () => {
    expect(parse('.a[0].b?')).toMatchObject({ type: 'try', body: { type: 'index' } });
    expect(parse('.[1:]')).toMatchObject({ type: 'slice' });
    expect(parse('.[]?')).toMatchObject({ type: 'try', body: { type: 'iterate' } });
  });

  it('takes a postfix term as the body of try, as jq does', () => {
    expect(parse('try .a catch . + 1')).toMatchObject({ type: 'binary', left: { type: 'try' } });
  });

  it('parses if/elif/else, reduce, foreach and destructuring alternatives', () => {
    expect(parse('if . then 1 elif 2 then 3 end')).toMatchObject({ type: 'if', else: { type: 'if' } });
    expect(parse('reduce .[] as [$a] (0; . + $a)')).toMatchObject({ type: 'reduce' });
    expect(parse('foreach .[] as $x (0; 1; 2)')).toMatchObject({ type: 'foreach', extract: { type: 'literal' } });
    expect(parse('. as [$a] ?// $a | $a')).toMatchObject({
      type: 'as',
      patterns: [{ type: 'array' }, { type: 'var' }],
    });
  });

  it('expands object shorthands', () => {
    expect(parse('{a, $b, "c": 1, (.d): 2}')).toMatchObject({ type: 'object' });
  });

  it('reports line and column of a syntax error', () => {
    try {
      parse('.a |\n  ]');
      throw new Error('expected a syntax error');
    } catch (e) {
      expect(e).toBeInstanceOf(JqSyntaxError);
      expect(e).toMatchObject({ line: 2, column: 3 });
    }
  });

  it('rejects what jq rejects', () => {
    expect(() => parse('{1+2:3}')).toThrow(JqSyntaxError);
    expect(() => parse('.a?//1')).toThrow(JqSyntaxError);
    expect(() => parse('(1')).toThrow(/unexpected end of file/);
  });
});
