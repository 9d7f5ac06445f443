import type { Database, JsonObject } from '@wormhole/interfaces';

/** Gives each test a database handle and fresh tenants. */
export interface ContractContext {
  db(): Database;
  tenant(): string;
}

/** A small valid DSL document, distinct per `name`. */
export function sampleDefinition(name: string, extra: JsonObject = {}): JsonObject {
  return {
    document: { dsl: '1.0.0', namespace: 'contract', name, version: '1.0.0' },
    do: [{ greet: { set: { message: `hello from ${name}` } } }],
    ...extra,
  };
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
