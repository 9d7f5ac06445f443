import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

/** Resource id prefixes. Ids are a prefix and a ULID: unique and sortable by creation time. */
export const ID_PREFIX = {
  workflow: 'wf',
  execution: 'ex',
  stepRun: 'st',
  event: 'ev',
  log: 'lg',
  apiKey: 'ak',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

/**
 * Random bytes drawn from the OS in blocks: ulid's own generator asks webcrypto once per character
 * (16 calls per id), which the benchmark profile showed as 11% of the engine's CPU time.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** A uniform fraction in [0, 1) with 8 random bits: ulid keeps 5 of them per character. */
function pooledRandom(): number {
  if (poolAt >= pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]! / 256;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${ulid(undefined, pooledRandom)}`;
}

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isValidTenantId(value: string): boolean {
  return TENANT_ID_PATTERN.test(value);
}
