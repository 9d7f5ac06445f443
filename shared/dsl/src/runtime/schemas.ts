import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { DslFault, configurationFault } from './errors';
import type { ResolvedResources } from './resources';
import { schemaResource } from './resources';

/*
 * `input.schema` and `output.schema` of the workflow and of tasks, and a task's `export.schema`
 * (dsl.md, "Data flow"): a raw input is validated before `input.from`, a transformed output after
 * `output.as`, an exported context after `export.as`. A value that does
 * not conform raises the validation error. A schema given as a `resource` is checked the same way
 * once the executor fetched it before the run's first task (`resources.ts`): fetching here would be
 * I/O inside the decider.
 */

// One compiler for the process; `strict: false` because workflow authors write schemas with
// keywords and formats Ajv does not know, and those must not fail a running workflow.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });

// Compiled once per schema object: the worker caches parsed documents, so their schemas are stable.
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Checks `value` against a workflow's or task's schema, if one is set.
 * `resources` are the run's fetched documents (`ExecutionState.resources`).
 * @throws DslFault validation error when it does not conform; configuration error when the schema
 *   does not compile or its resource is missing; the fetch's error when its resource could not be read
 */
export function validated(
  schema: Specification.Schema | undefined,
  value: JsonValue,
  what: 'input' | 'output' | 'context',
  instance?: string,
  resources?: ResolvedResources,
): void {
  if (schema === undefined) return;
  const validate = validatorOf(schemaDocument(schema, what, instance, resources), what, instance);
  if (validate(value)) return;
  const first = validate.errors?.[0];
  const where = first === undefined || first.instancePath === '' ? '' : ` at ${first.instancePath}`;
  throw new DslFault(
    dslError('validation', {
      title: `Invalid ${what}`,
      detail: `the ${what} does not match its schema${where}: ${first?.message ?? 'invalid'}`,
      ...(instance !== undefined && { instance }),
    }),
  );
}

function schemaDocument(
  schema: Specification.Schema,
  what: string,
  instance: string | undefined,
  resources: ResolvedResources | undefined,
): object {
  if ('document' in schema && schema.document !== null && typeof schema.document === 'object') return schema.document;
  try {
    return schemaResource(schema as unknown as JsonValue, resources ?? {}, what);
  } catch (e) {
    throw e instanceof DslFault && instance !== undefined ? e.at(instance) : e;
  }
}

function validatorOf(document: object, what: string, instance: string | undefined): ValidateFunction {
  const known = compiled.get(document);
  if (known !== undefined) return known;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(document);
  } catch (e) {
    throw configurationFault(
      `the ${what} schema does not compile: ${e instanceof Error ? e.message : String(e)}`,
      instance,
    );
  }
  compiled.set(document, validate);
  return validate;
}
