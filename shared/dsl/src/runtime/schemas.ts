import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { DslFault, configurationFault } from './errors';

/*
 * `input.schema` and `output.schema` of the workflow and of tasks, and a task's `export.schema`
 * (dsl.md, "Data flow"): a raw input is validated before `input.from`, a transformed output after
 * `output.as`, an exported context after `export.as`. A value that does
 * not conform raises the validation error. Only inline schemas (`schema.document`) are checked:
 * fetching an external one would be I/O inside the decider.
 */

// One compiler for the process; `strict: false` because workflow authors write schemas with
// keywords and formats Ajv does not know, and those must not fail a running workflow.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });

// Compiled once per schema object: the worker caches parsed documents, so their schemas are stable.
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Checks `value` against a workflow's or task's schema, if one is set.
 * @throws DslFault validation error when it does not conform; configuration error when the schema
 *   is external or does not compile
 */
export function validated(
  schema: Specification.Schema | undefined,
  value: JsonValue,
  what: 'input' | 'output' | 'context',
  instance?: string,
): void {
  if (schema === undefined) return;
  if (!('document' in schema) || schema.document === null || typeof schema.document !== 'object') {
    throw configurationFault(`only inline schemas (${what}.schema.document) are supported`, instance);
  }
  const validate = validatorOf(schema.document, what, instance);
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
