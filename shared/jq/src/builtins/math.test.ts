import { jq, jqError } from '../__tests__/helpers';

describe('math builtins', () => {
  it('has the libm functions of one argument', () => {
    expect(jq('[.[] | floor, ceil, round, fabs, trunc]', [-1.5])).toEqual([[-2, -1, -2, 1.5, -1]]);
    expect(jq('[sqrt, log10, exp10, cbrt]', 100)).toEqual([[10, 2, 1e100, Math.cbrt(100)]]);
    expect(jq('[significand, logb]', 8)).toEqual([[1, 3]]);
    expect(jq('frexp', 8)).toEqual([[0.5, 4]]);
    expect(jq('[modf]', 3.5)).toEqual([[[0.5, 3]]]);
    expect(jq('[rint, nearbyint]', 2.5)).toEqual([[2, 2]]);
  });

  it('takes the operands of two- and three-argument functions as arguments', () => {
    expect(jq('[pow(2; 10), atan2(0; 1), fmin(1; 2), ldexp(1; 3), fma(2; 3; 4)]')).toEqual([[1024, 0, 1, 8, 10]]);
  });

  it('requires numbers', () => {
    expect(jqError('floor', 'a')).toBe('string ("a") number required');
  });
});
