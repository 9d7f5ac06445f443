import { ValidationError, isValidTenantId } from '@wormhole/interfaces';

/** Blob keys are the lower-case hex SHA-256 of the content, in every store. */
const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Whether a name is a blob key (a listing skips anything else, e.g. temporary files). */
export function isBlobKey(name: string): boolean {
  return KEY_PATTERN.test(name);
}

/** Keys and tenant ids become file names and object keys: anything else is refused before any I/O. */
export function checkBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError(`invalid blob key '${key.slice(0, 80)}'`, [
      { path: 'key', message: 'must be 64 lower-case hex digits' },
    ]);
  }
}

export function checkTenant(tenantId: string): void {
  if (!isValidTenantId(tenantId)) {
    throw new ValidationError(`invalid tenant id '${tenantId.slice(0, 80)}'`, [
      { path: 'tenant_id', message: 'must match ^[a-z0-9][a-z0-9_-]{0,62}$' },
    ]);
  }
}
