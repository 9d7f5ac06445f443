import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { configurationFault } from './errors';

/**
 * Replaces every `authentication: {use: <name>}` inside a task's definition with the policy of
 * that name under `use.authentications`, before the task's expressions are evaluated, so an
 * executor only ever sees inline policies (`basic`, `bearer`, …) and a policy's expressions are
 * evaluated like the task's own. A name the document does not declare is a configuration error.
 */
export function resolveAuthenticationReferences(document: WorkflowDocument, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => resolveAuthenticationReferences(document, item));
  if (value === null || typeof value !== 'object') return value;
  const resolved: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    resolved[key] =
      key === 'authentication' && isReference(child)
        ? declaredPolicy(document, child.use)
        : resolveAuthenticationReferences(document, child);
  }
  return resolved;
}

function isReference(value: JsonValue): value is { use: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.use === 'string';
}

function declaredPolicy(document: WorkflowDocument, name: string): JsonValue {
  const declared = document.use?.authentications?.[name] as JsonValue | undefined;
  if (declared === undefined || declared === null) {
    throw configurationFault(`no authentication policy named '${name}' in use.authentications`);
  }
  return declared;
}
