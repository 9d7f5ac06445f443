import { jq, jqError } from './__tests__/helpers';
import { compileJq, JqSyntaxError } from './index';

describe('core semantics', () => {
  it('produces multiple outputs and backtracks through pipes and commas', () => {
    expect(jq('.[] | (., . * 10)', [1, 2])).toEqual([1, 10, 2, 20]);
    expect(jq('[(1, 2) + (10, 20)]')).toEqual([[11, 12, 21, 22]]);
  });

  it('builds objects as a cartesian product, first key slowest', () => {
    expect(jq('{a: (1, 2), b: (3, 4)}')).toEqual([
      { a: 1, b: 3 },
      { a: 1, b: 4 },
      { a: 2, b: 3 },
      { a: 2, b: 4 },
    ]);
  });

  it('propagates null through field access but fails on a number', () => {
    expect(jq('.a.b.c')).toEqual([null]);
    expect(jqError('.a', 1)).toBe('Cannot index number with string ("a")');
  });

  it('applies // to truthy outputs only, without swallowing errors', () => {
    expect(jq('[(null, false, 1, 2) // 3]')).toEqual([[1, 2]]);
    expect(jq('[(null, false) // 3]')).toEqual([[3]]);
    expect(jqError('error("x") // 1')).toBe('x');
  });

  it('catches errors of the body only, not of what follows', () => {
    expect(jq('try error("x") catch .')).toEqual(['x']);
    expect(jq('[.[] | try (if . == 2 then error("e") else . end)]', [1, 2, 3])).toEqual([[1, 3]]);
    expect(jqError('(try 1) | error("after")')).toBe('after');
    expect(jq('[try (1, error("x"), 3) catch .]')).toEqual([[1, 'x']]);
  });

  it('gives error(null) as null to catch', () => {
    expect(jq('try error(null) catch .')).toEqual([null]);
  });

  it('supports label/break, limit and first with early stop on infinite streams', () => {
    expect(jq('[label $out | 1, 2, break $out, 3]')).toEqual([[1, 2]]);
    expect(jq('[limit(3; repeat(1))]')).toEqual([[1, 1, 1]]);
    expect(jq('first(range(10; 1e9))')).toEqual([10]);
    expect(jq('[limit(0; 1, 2)]')).toEqual([[]]);
    expect(jq('[first(empty)]')).toEqual([[]]);
  });

  it('reduces and folds with foreach (2 and 3 arguments)', () => {
    expect(jq('reduce .[] as $x (0; . + $x)', [1, 2, 3])).toEqual([6]);
    expect(jq('[foreach .[] as $x (0; . + $x)]', [1, 2, 3])).toEqual([[1, 3, 6]]);
    expect(jq('[foreach .[] as $x (0; . + $x; [$x, .])]', [1, 2])).toEqual([
      [
        [1, 1],
        [2, 3],
      ],
    ]);
  });

  it('destructures, with ?// alternatives', () => {
    expect(jq('. as [$a, {b: $c}] | [$a, $c]', [1, { b: 2 }])).toEqual([[1, 2]]);
    expect(jq('. as {$a, b: [$c]} | [$a, $c]', { a: 1, b: [2] })).toEqual([[1, 2]]);
    expect(jq('[.[] as [$a] ?// $a | $a]', [[1], 2])).toEqual([[1, 2]]);
  });

  it('defines functions with closures, filter and $ parameters, and recursion', () => {
    expect(jq('def f(g): [g, g]; f(.a)', { a: 1 })).toEqual([[1, 1]]);
    expect(jq('def add($a; $b): $a + $b; add(1; 2)')).toEqual([3]);
    expect(jq('def fac: if . <= 1 then 1 else . * (. - 1 | fac) end; 5 | fac')).toEqual([120]);
    expect(jq('1 as $x | def f: $x; 2 as $x | f')).toEqual([1]);
  });

  it('interpolates strings and applies formats to interpolated values', () => {
    expect(jq('"a\\(1 + 1)b\\(.)"', 'x')).toEqual(['a2bx']);
    expect(jq('@base64 "v=\\(.)"', 'hi')).toEqual(['v=aGk=']);
    expect(jq('[.[] | "\\(.)"]', [1, 'a', null])).toEqual([['1', 'a', 'null']]);
  });

  it('slices with negative and fractional indices', () => {
    expect(jq('.[1.2:3.5]', [0, 1, 2, 3, 4, 5])).toEqual([[1, 2, 3]]);
    expect(jq('.[-2:]', 'abcd')).toEqual(['cd']);
    expect(jq('.[:-1]', [1, 2, 3])).toEqual([[1, 2]]);
  });

  it('optional access suppresses errors', () => {
    expect(jq('[.[]?]', 1)).toEqual([[]]);
    expect(jq('[.a?]', [1])).toEqual([[]]);
  });

  it('binds $__loc__ and rejects undefined names at compile time', () => {
    expect(jq('$__loc__')).toEqual([{ file: '<top-level>', line: 1 }]);
    expect(() => compileJq('nosuchfn')).toThrow(JqSyntaxError);
    expect(() => compileJq('$nope', { variables: ['input'] })).toThrow(/\$nope is not defined/);
    expect(() => compileJq('break $x')).toThrow(JqSyntaxError);
  });

  it('produces path expressions', () => {
    expect(jq('[path(..)]', { a: [1] })).toEqual([[[], ['a'], ['a', 0]]]);
    expect(jq('path(.a[1:2])')).toEqual([['a', { start: 1, end: 2 }]]);
    expect(jqError('path(1)')).toBe('Invalid path expression with result 1');
    expect(jqError('path(map(.) | .[0])', [1])).toBe('Invalid path expression near attempt to access element 0 of [1]');
    expect(jqError('(map(.) | .[]) = 1', [1])).toBe('Invalid path expression near attempt to iterate through [1]');
  });
});
