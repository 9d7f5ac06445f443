import type { JsonValue } from '@wormhole/interfaces';
import type { Jq } from 'jq-wasm';
import { ExpressionError } from './errors';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import { EXPRESSION_ARGUMENT_NAMES, isVariableName } from './expressions';

const STANDARD: ReadonlySet<string> = new Set(EXPRESSION_ARGUMENT_NAMES);

/**
 * jq command-line flags binding the runtime arguments as `$name`. Only the arguments the program
 * mentions are passed: `$workflow` carries the whole document and `$context` can be large, and
 * serialising them for every `.a + 1` would dominate the cost of evaluation.
 */
export function jqArgumentFlags(expression: string, args: ExpressionArguments): string[] {
  const flags: string[] = [];
  for (const name of EXPRESSION_ARGUMENT_NAMES) {
    if (expression.includes(`$${name}`)) flags.push('--argjson', name, JSON.stringify(args[name] ?? null));
  }
  for (const [name, value] of Object.entries(args.variables ?? {})) {
    if (STANDARD.has(name) || !isVariableName(name) || !expression.includes(`$${name}`)) continue;
    flags.push('--argjson', name, JSON.stringify(value));
  }
  return flags;
}

/** Maps jq's stream of outputs to one value (see `ExpressionEvaluator`). */
export function collapseOutputs(values: readonly JsonValue[]): JsonValue {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0] ?? null;
  return [...values];
}

/** jq's stderr without the CLI decoration ("jq: error (at /dev/stdin:0): "). */
export function jqErrorDetail(stderr: string): string {
  const text = stderr
    .replace(/^jq: error \(at [^)]*\): /gm, '')
    .replace(/^jq: (error: )?/gm, '')
    .trim();
  return text === '' ? 'expression evaluation failed' : text;
}

function isJqError(e: unknown): e is Error & { stderr: string } {
  return e instanceof Error && e.name === 'JqError' && typeof (e as { stderr?: unknown }).stderr === 'string';
}

/** Runs one program on a loaded jq handle, mapping every failure to an ExpressionError. */
export function evaluateWithJq(jq: Jq, expression: string, input: JsonValue, args: ExpressionArguments): JsonValue {
  try {
    // jq-wasm passes a string input through as JSON text, so every input is serialised here.
    const values = jq.json<JsonValue>(JSON.stringify(input), expression, jqArgumentFlags(expression, args));
    return collapseOutputs(values);
  } catch (e) {
    if (isJqError(e)) throw new ExpressionError(expression, jqErrorDetail(e.stderr), { cause: e });
    throw new ExpressionError(expression, e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/**
 * jq 1.8 compiled to WebAssembly, run in-process. Each call is synchronous and cannot be
 * interrupted: a runaway program (`def f: f; f`, `[range(1e12)]`) blocks the calling thread until
 * it ends or exhausts wasm memory. Use it for trusted documents and tests; the worker should use
 * `ThreadedJqWasmEvaluator`, which enforces a time box.
 */
export class JqWasmEvaluator implements ExpressionEvaluator {
  private constructor(private readonly jq: Jq) {}

  static async create(): Promise<JqWasmEvaluator> {
    // Loaded here, not at import: the fold and the decider must not need jq-wasm to be installed.
    const { loadJq } = await import('jq-wasm');
    return new JqWasmEvaluator(await loadJq());
  }

  evaluate(expression: string, input: JsonValue, args: ExpressionArguments): JsonValue {
    return evaluateWithJq(this.jq, expression, input, args);
  }
}
