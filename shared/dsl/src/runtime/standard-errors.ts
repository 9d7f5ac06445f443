import type { DslErrorKind } from '@wormhole/interfaces';
import { DSL_ERROR_TYPES } from '@wormhole/interfaces';

// The spec has published its standard types under more than one base (`/spec/1.0.0/errors/…`,
// `/dsl/errors/types/…` in the CTK, even `serverlessworkflow.io.io` in one example).
const STANDARD_TYPE = /^https?:\/\/serverlessworkflow\.io(?:\.io)?\/.*\/([a-z]+)$/;

/** The standard error kind a type URI names, whichever of the spec's bases it uses. */
export function standardErrorKind(type: string): DslErrorKind | undefined {
  const name = STANDARD_TYPE.exec(type)?.[1];
  return name !== undefined && name in DSL_ERROR_TYPES ? (name as DslErrorKind) : undefined;
}

/** True when two error types are the same: equal, or the same standard type under two bases. */
export function sameErrorType(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  const kind = standardErrorKind(expected);
  return kind !== undefined && kind === standardErrorKind(actual);
}
