import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { configurationFault } from './errors';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import { evaluateField, evaluateValue } from './expressions';
import type { ResolvedResources } from './resources';
import { catalogFunction, catalogReference, functionAt, isFunctionUri } from './resources';
import { validated } from './schemas';

/** Call kinds the DSL defines; any other `call: <name>` names a function of `use.functions`. */
const BUILT_IN_CALLS: ReadonlySet<string> = new Set(['http', 'openapi', 'grpc', 'asyncapi', 'a2a', 'mcp']);

/** A function may call another; deeper than this is taken for a cycle. */
const MAX_DEPTH = 10;

/** What a `call` of a custom function hands to the executor: the function's task and its input. */
export interface FunctionCall {
  /** The function's definition (its own `input` transform already applied; `input`, `output`, `export` removed). */
  readonly definition: JsonObject;
  /** The function's input: the caller's evaluated `with`, after the function's `input.from`. */
  readonly input: JsonValue;
}

/**
 * Resolves `call: <name>` to the task `use.functions` declares under that name, or `call:
 * <name>:<version>@<catalog>` to the function document of that catalog (fetched before the run
 * started, in `resources`), called with the caller's `with` as its input (dsl-reference.md,
 * "Call": a function is a task). A function that calls another is followed. Only `call` and `run`
 * functions (the executor's tasks) are supported; a function's `input.from` and `input.schema`
 * apply to its input and its `output.schema` to its output (`functionOutputSchemas`), while
 * `output.as`/`export` on a function are refused rather than ignored. Returns undefined for the
 * built-in call kinds.
 * @throws DslFault (configuration) for an undeclared function or catalog, or an unsupported
 *   function; the fetch's error for a catalog function that could not be read
 */
export function resolveFunctionCall(
  document: WorkflowDocument,
  caller: JsonObject,
  evaluator: ExpressionEvaluator,
  callerInput: JsonValue,
  args: ExpressionArguments,
  resources: ResolvedResources = {},
): FunctionCall | undefined {
  let definition = caller;
  let input = callerInput;
  for (let depth = 0; ; depth++) {
    const name = definition.call;
    if (typeof name !== 'string' || BUILT_IN_CALLS.has(name)) return depth === 0 ? undefined : { definition, input };
    if (depth >= MAX_DEPTH) throw configurationFault(`function '${name}' calls functions more than ${MAX_DEPTH} deep`);
    const declared = declaredFunction(document, name, resources);
    const functionInput = evaluateValue(evaluator, definition.with ?? {}, input, { ...args, input });
    ({ definition, input } = prepared(declared, name, evaluator, functionInput, args, resources));
  }
}

/**
 * The `output.schema` of each function a `call` goes through (outermost first), which its raw
 * output must match: what the function promises to return (a catalog function documents it).
 * Empty for the built-in call kinds. Nothing is evaluated, so a task's completion can ask again.
 * @throws DslFault as `resolveFunctionCall`
 */
export function functionOutputSchemas(
  document: WorkflowDocument,
  caller: JsonObject,
  resources: ResolvedResources = {},
): Specification.Schema[] {
  const schemas: Specification.Schema[] = [];
  let name = caller.call;
  for (let depth = 0; typeof name === 'string' && !BUILT_IN_CALLS.has(name) && depth < MAX_DEPTH; depth++) {
    const declared = declaredFunction(document, name, resources);
    const output = declared.output as Specification.Output | undefined;
    if (output?.schema !== undefined) schemas.push(output.schema);
    name = declared.call;
  }
  return schemas;
}

function prepared(
  declared: JsonObject,
  name: string,
  evaluator: ExpressionEvaluator,
  functionInput: JsonValue,
  args: ExpressionArguments,
  resources: ResolvedResources,
): FunctionCall {
  if (typeof declared.call !== 'string' && !isProcessRun(declared.run)) {
    throw configurationFault(`function '${name}' must be a call or run task (shell, script or container)`);
  }
  const outputConfig = declared.output;
  const onlySchema =
    outputConfig === undefined ||
    (outputConfig !== null &&
      typeof outputConfig === 'object' &&
      Object.keys(outputConfig).every((k) => k === 'schema'));
  if (!onlySchema || declared.export !== undefined) {
    throw configurationFault(`function '${name}': output.as and export on a function are not supported`);
  }
  const { input: inputConfig, output: _checkedOnCompletion, ...definition } = declared;
  const config = inputConfig as Specification.Input | undefined;
  const input = config?.from === undefined ? functionInput : evaluateField(evaluator, config.from, functionInput, args);
  validated(config?.schema, input, 'input', undefined, resources);
  return { definition, input };
}

function declaredFunction(document: WorkflowDocument, name: string, resources: ResolvedResources): JsonObject {
  if (catalogReference(name) !== undefined) return catalogFunction(document, name, resources);
  if (isFunctionUri(name)) return functionAt(name, resources);
  const declared = (document.use?.functions as Record<string, unknown> | undefined)?.[name];
  if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) {
    throw configurationFault(`no function named '${name}' in use.functions`);
  }
  return declared as JsonObject;
}

function isProcessRun(run: JsonValue | undefined): boolean {
  return run !== null && typeof run === 'object' && !Array.isArray(run) && !('workflow' in run);
}
