import { jq, jqError } from './__tests__/helpers';
import { compileJq, JqSyntaxError } from './index';

describe('destructuring patterns', () => {
  it('binds nested arrays and objects, missing parts as null', () => {
    expect(jq('. as [$a, [$b]] | [$a, $b]', [1])).toEqual([[1, null]]);
    expect(jq('. as {a: {b: $x}} | $x', { a: { b: 3 } })).toEqual([3]);
  });

  it('evaluates key expressions, which may see earlier variables', () => {
    expect(jq('. as {k: $k, ($k): $v} | $v', { k: 'z', z: 9 })).toEqual([9]);
    expect(jq('[. as {("a", "b"): $v} | $v]', { a: 1, b: 2 })).toEqual([[1, 2]]);
  });

  it('binds array elements last first, as jq does (the error names the last index)', () => {
    expect(jqError('. as [$a, $b] | $a', 5)).toBe('Cannot index number with number (1)');
  });

  it('tries the next ?// alternative on an error, with unbound variables null', () => {
    expect(jq('. as {a: $a} ?// [$b] | [$a, $b]', [7])).toEqual([[null, 7]]);
    expect(jqError('. as [$a] ?// [$b] | $a', {})).toBe('Cannot index object with number (0)');
  });

  it('rejects constant non-string keys at compile time', () => {
    expect(() => compileJq('. as {(1): $x} | $x')).toThrow(JqSyntaxError);
  });
});
