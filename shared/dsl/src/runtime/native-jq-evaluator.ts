import type { JsonValue } from '@wormhole/interfaces';
import type { JqProgram } from '@wormhole/jq';
import { compileJq, DEFAULT_MAX_OUTPUT_SIZE, DEFAULT_MAX_STEPS } from '@wormhole/jq';
import { ExpressionError } from './errors';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import { EXPRESSION_ARGUMENT_NAMES, isVariableName } from './expressions';
import { collapseOutputs } from './jq-wasm-evaluator';

export interface NativeJqOptions {
  /** Evaluation steps one expression may take before it fails (a runaway `def f: f; f`). */
  readonly maxSteps?: number;
  /** Longest string or array one expression may build. */
  readonly maxOutputSize?: number;
  /** Compiled programs kept, least recently used dropped first. */
  readonly cacheSize?: number;
}

/**
 * The in-house jq engine (@wormhole/jq): synchronous, in-process, and bounded. A runaway program
 * fails with an ExpressionError once it exceeds its step or output budget, instead of blocking
 * the thread, so no worker thread or time box is needed around it.
 */
export class NativeJqEvaluator implements ExpressionEvaluator {
  private readonly programs = new Map<string, JqProgram>();
  private readonly maxSteps: number;
  private readonly maxOutputSize: number;
  private readonly cacheSize: number;

  constructor(options: NativeJqOptions = {}) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.maxOutputSize = options.maxOutputSize ?? DEFAULT_MAX_OUTPUT_SIZE;
    this.cacheSize = options.cacheSize ?? 1000;
  }

  evaluate(expression: string, input: JsonValue, args: ExpressionArguments): JsonValue {
    const vars: Record<string, JsonValue> = {};
    for (const name of EXPRESSION_ARGUMENT_NAMES) vars[name] = args[name] ?? null;
    // Task variables ($item, $index, $error, …) bound by for, catch and the like.
    const extra: string[] = [];
    for (const [name, value] of Object.entries(args.variables ?? {})) {
      if (name in vars || !isVariableName(name)) continue;
      vars[name] = value;
      extra.push(name);
    }
    const program = this.program(expression, extra);
    try {
      const outputs = program.all(input, { vars, maxSteps: this.maxSteps, maxOutputSize: this.maxOutputSize });
      return collapseOutputs(outputs);
    } catch (e) {
      throw new ExpressionError(expression, e instanceof Error ? e.message : String(e), { cause: e });
    }
  }

  private program(expression: string, extra: readonly string[]): JqProgram {
    // The variables in scope are part of what was compiled: `$item` resolves only where bound.
    const key = extra.length === 0 ? expression : `${[...extra].sort().join(',')}\n${expression}`;
    const cached = this.programs.get(key);
    if (cached !== undefined) {
      // Re-inserting keeps the Map in least-recently-used order.
      this.programs.delete(key);
      this.programs.set(key, cached);
      return cached;
    }
    let program: JqProgram;
    try {
      // Only the variables in scope exist: any other `$name` is a compile error, as with jq itself.
      program = compileJq(expression, { variables: [...EXPRESSION_ARGUMENT_NAMES, ...extra] });
    } catch (e) {
      throw new ExpressionError(expression, e instanceof Error ? e.message : String(e), { cause: e });
    }
    this.programs.set(key, program);
    if (this.programs.size > this.cacheSize) {
      const oldest = this.programs.keys().next();
      if (oldest.done !== true) this.programs.delete(oldest.value);
    }
    return program;
  }
}
