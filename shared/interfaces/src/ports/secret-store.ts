import type { JsonValue } from '../json';

/**
 * Where `$secrets` come from: the operator's secrets, by name. A workflow only ever sees the ones
 * its `use.secrets` lists, and only the executor reads their values, at call time (see
 * shared/dsl/src/runtime/secrets.ts), so they are never written to history, steps or logs.
 */
export interface SecretStore {
  /** The secret called `name` (a string, or an object such as `{username, password}`), if any. */
  get(name: string): JsonValue | undefined;
  /** Names of every secret the store holds (for start-up logs: names only, never values). */
  names(): readonly string[];
}
