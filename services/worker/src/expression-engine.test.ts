import { NativeJqEvaluator } from '@wormhole/dsl';
import { loadWorkerConfig } from './config';
import { createExpressionEngine } from './expression-engine';

describe('createExpressionEngine', () => {
  it('uses the in-house jq unless EXPRESSION_ENGINE says otherwise', async () => {
    const engine = await createExpressionEngine(loadWorkerConfig({}));
    expect(engine.evaluator).toBeInstanceOf(NativeJqEvaluator);
    expect(engine.evaluator.evaluate('$input.a + 1', null, { input: { a: 41 } })).toBe(42);
    await engine.close();
  });

  it('runs jq-wasm in a worker thread when asked, with the same results', async () => {
    const engine = await createExpressionEngine(loadWorkerConfig({ EXPRESSION_ENGINE: 'wasm' }));
    try {
      expect(engine.evaluator).not.toBeInstanceOf(NativeJqEvaluator);
      expect(engine.evaluator.evaluate('$input.a + 1', null, { input: { a: 41 } })).toBe(42);
    } finally {
      await engine.close();
    }
  });

  it('refuses an unknown engine, naming the variable', () => {
    expect(() => loadWorkerConfig({ EXPRESSION_ENGINE: 'jq-web' })).toThrow(/EXPRESSION_ENGINE/);
  });
});
