import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { configurationFault } from './errors';
import { declaredSecrets } from './secrets';

/**
 * Replaces every `authentication: {use: <name>}` inside a task's definition with the policy of
 * that name under `use.authentications`, before the task's expressions are evaluated, so an
 * executor only ever sees inline policies (`basic`, `bearer`, …) and a policy's expressions are
 * evaluated like the task's own. A name the document does not declare is a configuration error.
 *
 * A scheme whose properties come from a secret (`oauth2: {use: mySecret}`, the spec's
 * "authentication from a secret") becomes the expression `${ $secrets["mySecret"] }`: it
 * evaluates to the secret's placeholders, which the executor swaps for the values like any other
 * `$secrets` use, so the secret's value never reaches the history either.
 */
export function resolveAuthenticationReferences(document: WorkflowDocument, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => resolveAuthenticationReferences(document, item));
  if (value === null || typeof value !== 'object') return value;
  const resolved: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'authentication') {
      resolved[key] = resolveAuthenticationReferences(document, child);
      continue;
    }
    const policy = isReference(child) ? declaredPolicy(document, child.use) : child;
    resolved[key] = secretSchemes(document, policy);
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

/** The policy with each `<scheme>: {use: <secret>}` turned into that secret's `$secrets` expression. */
function secretSchemes(document: WorkflowDocument, policy: JsonValue): JsonValue {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return policy;
  const resolved: JsonObject = {};
  for (const [scheme, body] of Object.entries(policy)) {
    if (!isReference(body)) {
      resolved[scheme] = body;
      continue;
    }
    if (!declaredSecrets(document).includes(body.use)) {
      throw configurationFault(
        `authentication ${scheme} uses the secret '${body.use}', which use.secrets does not list`,
      );
    }
    resolved[scheme] = `\${ $secrets[${JSON.stringify(body.use)}] }`;
  }
  return resolved;
}
