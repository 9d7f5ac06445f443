import { ExpressionError } from './errors';
import { ThreadedJqWasmEvaluator } from './threaded-jq-evaluator';

describe('ThreadedJqWasmEvaluator', () => {
  let jq: ThreadedJqWasmEvaluator;
  beforeAll(async () => {
    jq = await ThreadedJqWasmEvaluator.create({ timeoutMs: 300 });
  });
  afterAll(async () => {
    await jq.close();
  });

  it('evaluates synchronously with arguments', () => {
    expect(jq.evaluate('.a + $context.b', { a: 1 }, { context: { b: 2 } })).toBe(3);
    expect(jq.evaluate('.', 'text', {})).toBe('text');
  });

  it('reports jq errors as expression errors', () => {
    expect(() => jq.evaluate('error("boom")', null, {})).toThrow(ExpressionError);
    expect(() => jq.evaluate('.a |', null, {})).toThrow(/syntax error/);
  });

  it('stops a runaway program at the time box, then keeps working on a fresh thread', () => {
    const started = Date.now();
    expect(() => jq.evaluate('reduce range(1e15) as $i (0; . + 1)', null, {})).toThrow(/exceeded 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(jq.evaluate('. * 2', 21, {})).toBe(42);
  });

  it('serves many calls in order', () => {
    for (let i = 0; i < 200; i++) expect(jq.evaluate('. + 1', i, {})).toBe(i + 1);
  });
});
