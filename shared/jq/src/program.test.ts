import { clearJqCache, compileJq, JqBudgetError, JqError, JqRuntimeError, JqSyntaxError } from './index';

describe('JqProgram', () => {
  it('runs as a generator, and gives first and all', () => {
    const p = compileJq('.[] | . * 2');
    expect([...p.run([1, 2])]).toEqual([2, 4]);
    expect(p.first([1, 2])).toBe(2);
    expect(p.first([])).toBeUndefined();
    expect(p.all([3])).toEqual([6]);
  });

  it('binds host variables, null when not supplied', () => {
    const p = compileJq('$input.x + $context.y', { variables: ['input', 'context'] });
    expect(p.all(null, { vars: { input: { x: 1 }, context: { y: 2 } } })).toEqual([3]);
    expect(compileJq('$input', { variables: ['input'] }).all(null)).toEqual([null]);
  });

  it('reads the clock the host gives', () => {
    expect(compileJq('now | todate').all(null, { now: () => 1425599507 })).toEqual(['2015-03-05T23:51:47Z']);
  });

  it('exposes only the environment the host gives', () => {
    expect(compileJq('$ENV, env').all(null)).toEqual([{}, {}]);
    expect(compileJq('$ENV.A').all(null, { env: { A: 'b' } })).toEqual(['b']);
  });

  it('caches compilations by program text and options', () => {
    clearJqCache();
    expect(compileJq('.a')).toBe(compileJq('.a'));
    expect(compileJq('.a', { variables: ['x'] })).not.toBe(compileJq('.a'));
  });

  it('throws jq errors as JqRuntimeError with the error value', () => {
    expect(() => compileJq('error({a: 1})').all(null)).toThrow(JqRuntimeError);
    try {
      compileJq('error({a: 1})').all(null);
    } catch (e) {
      expect(e).toMatchObject({ code: 'runtime', value: { a: 1 } });
    }
    expect(() => compileJq('error(null)').all(null)).toThrow('null (null) not a string');
  });

  it('throws JqSyntaxError for programs that do not parse', () => {
    expect(() => compileJq('.a |')).toThrow(JqSyntaxError);
    expect(() => compileJq('.a |')).toThrow(JqError);
  });

  it.each([
    ['def f: f; f', 'depth'],
    ['[range(1e9)]', 'steps'],
    ['[repeat(.)]', 'steps'],
    ['last(range(1e9))', 'steps'],
    ['"x" | until(length > 1e9; . + .)', 'output'],
    ['[limit(1e8; repeat(1))] | length', 'steps'],
  ])('stops the runaway program %s with a %s budget error', (program, kind) => {
    const run = (): unknown => compileJq(program).all(null, { maxSteps: 100_000, maxOutputSize: 1_000_000 });
    expect(run).toThrow(JqBudgetError);
    expect(run).toThrow(kind);
  });

  it('never lets the program catch a budget error', () => {
    expect(() => compileJq('try [range(1e9)] catch "caught"').all(null, { maxSteps: 1000 })).toThrow(JqBudgetError);
  });

  it('stops at the first output without running the rest', () => {
    expect(compileJq('range(1e12)').first(null, { maxSteps: 100 })).toBe(0);
  });
});
