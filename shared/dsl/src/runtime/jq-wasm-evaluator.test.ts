import { collapseOutputs, JqWasmEvaluator, jqArgumentFlags, jqErrorDetail } from './jq-wasm-evaluator';

describe('JqWasmEvaluator', () => {
  let jq: JqWasmEvaluator;
  beforeAll(async () => {
    jq = await JqWasmEvaluator.create();
  });

  it('passes a JSON string input as a string, not as JSON text', () => {
    // jq-wasm reads a string input as raw JSON text: "42" would otherwise become the number 42.
    expect(jq.evaluate('.', '42', {})).toBe('42');
    expect(jq.evaluate('. + "!"', 'hi', {})).toBe('hi!');
  });

  it('evaluates over any JSON input', () => {
    expect(jq.evaluate('.', null, {})).toBeNull();
    expect(jq.evaluate('. + 1', 41, {})).toBe(42);
    expect(jq.evaluate('map(. * 2)', [1, 2], {})).toEqual([2, 4]);
  });

  it('binds arguments, including large ones, as $name', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ i }));
    expect(jq.evaluate('$context.items | length', null, { context: { items } })).toBe(5000);
  });
});

describe('jq helpers', () => {
  it('passes only the arguments a program mentions', () => {
    expect(jqArgumentFlags('.a + $input.b', { context: { big: true }, input: { b: 1 } })).toEqual([
      '--argjson',
      'input',
      '{"b":1}',
    ]);
    expect(jqArgumentFlags('$workflow.id', {})).toEqual(['--argjson', 'workflow', 'null']);
  });

  it('binds scope variables the program mentions, never over a standard argument nor with a bad name', () => {
    const variables = { item: 3, index: 0, input: 'shadow', 'not-a-name': 1 };
    expect(jqArgumentFlags('$item + $index', { variables })).toEqual([
      '--argjson',
      'item',
      '3',
      '--argjson',
      'index',
      '0',
    ]);
    expect(jqArgumentFlags('$input', { input: 1, variables })).toEqual(['--argjson', 'input', '1']);
    expect(jqArgumentFlags('.', { variables })).toEqual([]);
  });

  it('collapses jq output streams', () => {
    expect(collapseOutputs([])).toBeNull();
    expect(collapseOutputs([false])).toBe(false);
    expect(collapseOutputs([1, 2])).toEqual([1, 2]);
  });

  it('cleans jq error messages', () => {
    expect(jqErrorDetail('jq: error (at /dev/stdin:0): null (null) and number (1) cannot be added')).toBe(
      'null (null) and number (1) cannot be added',
    );
    expect(jqErrorDetail('jq: error: syntax error, unexpected end of file\njq: 1 compile error')).toBe(
      'syntax error, unexpected end of file\n1 compile error',
    );
    expect(jqErrorDetail('')).toBe('expression evaluation failed');
  });
});
