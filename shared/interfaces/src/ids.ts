import { ulid } from 'ulid';

/** Resource id prefixes. Ids are a prefix and a ULID: unique and sortable by creation time. */
export const ID_PREFIX = {
  workflow: 'wf',
  execution: 'ex',
  stepRun: 'st',
  event: 'ev',
  log: 'lg',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${ulid()}`;
}

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isValidTenantId(value: string): boolean {
  return TENANT_ID_PATTERN.test(value);
}
