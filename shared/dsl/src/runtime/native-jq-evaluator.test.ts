import { JqBudgetError, JqRuntimeError, JqSyntaxError } from '@wormhole/jq';
import { ExpressionError } from './errors';
import { JqWasmEvaluator } from './jq-wasm-evaluator';
import { NativeJqEvaluator } from './native-jq-evaluator';

describe('NativeJqEvaluator', () => {
  const jq = new NativeJqEvaluator();

  it('evaluates over any JSON input, strings included', () => {
    expect(jq.evaluate('.', '42', {})).toBe('42');
    expect(jq.evaluate('. + 1', 41, {})).toBe(42);
    expect(jq.evaluate('map(. * 2)', [1, 2], {})).toEqual([2, 4]);
  });

  it('collapses outputs: none is null, one is the value, several an array', () => {
    expect(jq.evaluate('empty', null, {})).toBeNull();
    expect(jq.evaluate('false', null, {})).toBe(false);
    expect(jq.evaluate('1, 2', null, {})).toEqual([1, 2]);
  });

  it('binds the runtime arguments as $name, absent ones as null', () => {
    const args = { input: { x: 1 }, context: { y: 2 }, workflow: { z: [1, 2, 3] } };
    expect(jq.evaluate('$input.x + $context.y * ($workflow.z | length)', null, args)).toBe(7);
    expect(jq.evaluate('$secrets', null, {})).toBeNull();
  });

  it('binds task variables ($item, $index, $error) only where they are in scope', () => {
    expect(jq.evaluate('$item * 10 + $index', null, { variables: { item: 4, index: 2 } })).toBe(42);
    expect(jq.evaluate('$error.status', null, { variables: { error: { status: 503 } } })).toBe(503);
    // The same text without the variable in scope is a compile error, not a stale cached program.
    expect(() => jq.evaluate('$item * 10 + $index', null, {})).toThrow(ExpressionError);
    // A variable never shadows a runtime argument.
    expect(jq.evaluate('$input', null, { input: 1, variables: { input: 2 } })).toBe(1);
  });

  it('reports a syntax error, with its position, as an ExpressionError', () => {
    expect(() => jq.evaluate('.a |', null, {})).toThrow(ExpressionError);
    try {
      jq.evaluate('.a |', null, {});
    } catch (e) {
      expect((e as ExpressionError).error.detail).toMatch(/line 1, column 5/);
      expect((e as ExpressionError).cause).toBeInstanceOf(JqSyntaxError);
    }
    expect(() => jq.evaluate('$nope', null, {})).toThrow(/\$nope is not defined/);
  });

  it("reports jq's runtime error message", () => {
    try {
      jq.evaluate('.a', 1, {});
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionError);
      expect((e as ExpressionError).error.detail).toBe('Cannot index number with string ("a")');
      expect((e as ExpressionError).cause).toBeInstanceOf(JqRuntimeError);
    }
  });

  it('turns a runaway program into an ExpressionError instead of blocking', () => {
    const bounded = new NativeJqEvaluator({ maxSteps: 10_000 });
    for (const program of ['def f: f; f', '[range(1e9)]', '[repeat(.)]']) {
      try {
        bounded.evaluate(program, null, {});
        throw new Error('expected a failure');
      } catch (e) {
        expect(e).toBeInstanceOf(ExpressionError);
        expect((e as ExpressionError).cause).toBeInstanceOf(JqBudgetError);
      }
    }
  });

  it('keeps at most cacheSize compiled programs and still evaluates evicted ones', () => {
    const small = new NativeJqEvaluator({ cacheSize: 2 });
    expect(small.evaluate('.a', { a: 1 }, {})).toBe(1);
    expect(small.evaluate('.b', { b: 2 }, {})).toBe(2);
    expect(small.evaluate('.c', { c: 3 }, {})).toBe(3);
    expect(small.evaluate('.a', { a: 4 }, {})).toBe(4);
  });

  it('agrees with the jq-wasm evaluator on typical workflow expressions', async () => {
    const wasm = await JqWasmEvaluator.create();
    const input = {
      pets: [
        { name: 'a', age: 3 },
        { name: 'b', age: 1 },
      ],
      ok: true,
    };
    const args = { context: { n: 2 }, input: { x: 'y' } };
    for (const program of [
      '.pets | map(select(.age > 2) | .name)',
      '{total: (.pets | length), names: [.pets[].name]}',
      'if .ok then $context.n * 10 else null end',
      '.pets | sort_by(.age) | first.name',
      '"\\($input.x)-\\(.pets | length)"',
      '[.pets[] | .age] | add / length',
      '.missing // "default"',
      'to_entries | map(.key)',
    ]) {
      expect(jq.evaluate(program, input, args)).toEqual(wasm.evaluate(program, input, args));
    }
  });
});
