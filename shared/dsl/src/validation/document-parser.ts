import { parse } from 'yaml';
import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';

/** Deeper documents are refused: no workflow needs this, and recursion on them is a risk. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * Reads a workflow document sent as YAML (or JSON, which YAML includes). Only plain JSON values
 * come out: the YAML core schema (no dates, no custom tags), few aliases (no "billion laughs"),
 * no `__proto__`/`constructor`/`prototype` keys.
 * @throws ValidationError naming the line and column of a syntax error
 */
export function parseWorkflowText(text: string): JsonObject {
  let value: unknown;
  try {
    value = parse(text, { schema: 'core', maxAliasCount: 50, uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    const error = e as Error & { linePos?: { line: number; col: number }[] };
    const at = error.linePos?.[0];
    const where = at ? ` (line ${at.line}, column ${at.col})` : '';
    throw new ValidationError(`the document is not valid YAML${where}: ${firstLine(error.message)}`, [
      { path: '', message: firstLine(error.message) },
    ]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('the document must be a YAML or JSON object', [{ path: '', message: 'not an object' }]);
  }
  assertPlainJson(value, '', 0);
  return value as JsonObject;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks that a value received from a client is plain JSON of bounded depth with no keys that
 * could reach an object's prototype when merged elsewhere.
 * @throws ValidationError with the JSON pointer of the offending value
 */
export function assertPlainJson(value: unknown, path: string, depth: number): asserts value is JsonValue {
  if (depth > MAX_DOCUMENT_DEPTH) {
    throw new ValidationError(`the document is nested deeper than ${MAX_DOCUMENT_DEPTH} levels`, [
      { path, message: 'too deep' },
    ]);
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new ValidationError('numbers must be finite', [{ path, message: 'not a finite number' }]);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}/${i}`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const child = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ValidationError(`the key '${key}' is not allowed`, [{ path: child, message: 'forbidden key' }]);
      }
      assertPlainJson((value as Record<string, unknown>)[key], child, depth + 1);
    }
    return;
  }
  throw new ValidationError(`unsupported value of type ${typeof value}`, [{ path, message: 'not a JSON value' }]);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
