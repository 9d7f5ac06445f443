import type { DslError } from './execution';

/** The DSL's standard error types and their default statuses (dsl-reference.md, "Standard error types"). */
export const DSL_ERROR_TYPES = {
  configuration: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration', status: 400 },
  validation: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation', status: 400 },
  expression: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/expression', status: 400 },
  authentication: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authentication', status: 401 },
  authorization: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authorization', status: 403 },
  timeout: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout', status: 408 },
  communication: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 500 },
  runtime: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', status: 500 },
} as const;

export type DslErrorKind = keyof typeof DSL_ERROR_TYPES;

/** Builds a standard DSL error; `status` overrides the kind's default (e.g. an HTTP status). */
export function dslError(
  kind: DslErrorKind,
  fields: { status?: number; title?: string; detail?: string; instance?: string } = {},
): DslError {
  const standard = DSL_ERROR_TYPES[kind];
  return {
    type: standard.type,
    status: fields.status ?? standard.status,
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
    ...(fields.instance !== undefined ? { instance: fields.instance } : {}),
  };
}
