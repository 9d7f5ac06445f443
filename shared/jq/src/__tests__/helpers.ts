import type { RunOptions } from '../index';
import { compileJq } from '../index';
import type { Json } from '../value';

/** All outputs of `program` on `input`. */
export function jq(program: string, input: Json = null, options: RunOptions = {}): Json[] {
  return compileJq(program).all(input, options);
}

/** The message of the error `program` raises, as `try … catch .` would see it. */
export function jqError(program: string, input: Json = null): Json {
  const [caught] = compileJq(`try (${program}) catch .`).all(input);
  return caught ?? null;
}
