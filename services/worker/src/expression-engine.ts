import type { ExpressionEvaluator } from '@wormhole/dsl';
import { NativeJqEvaluator, ThreadedJqWasmEvaluator } from '@wormhole/dsl';
import type { WorkerConfig } from './config';

/** The evaluator of runtime expressions chosen by EXPRESSION_ENGINE, and how to release it. */
export interface ExpressionEngine {
  readonly evaluator: ExpressionEvaluator;
  close(): Promise<void>;
}

/**
 * `native` (default): the in-house jq, in process, bounded by step and output budgets.
 * `wasm`: jq 1.8.2 compiled to WebAssembly, in a worker thread so a runaway program can be timed
 * out (about a hundred times slower; kept as the reference and as a fallback).
 */
export async function createExpressionEngine(
  config: Pick<WorkerConfig, 'expressionEngine' | 'expressionTimeoutMs'>,
): Promise<ExpressionEngine> {
  if (config.expressionEngine === 'native') {
    return { evaluator: new NativeJqEvaluator(), close: () => Promise.resolve() };
  }
  const threaded = await ThreadedJqWasmEvaluator.create({ timeoutMs: config.expressionTimeoutMs });
  return { evaluator: threaded, close: () => threaded.close() };
}
