import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue, SecretStore } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';

/*
 * `$secrets` without persisting secrets. The decider never sees a secret's value: `$secrets` is
 * bound to *placeholders* of the same shape (`{username: "@@wormhole-secret/creds/username/…@@"}`),
 * so whatever it writes to the history (a task.requested's evaluated definition, a step's input)
 * holds placeholders. The executor swaps them for the values just before a task runs
 * (`revealSecrets`) and swaps any value that comes back in the task's output or error for its
 * placeholder again (`concealSecrets`). An expression that only moves a secret or joins it into
 * a string (`"Bearer " + $secrets.token`) works; one that computes on it (`$secrets.pin | length`)
 * sees the placeholder, not the value.
 *
 * A placeholder carries a token, a hash of the execution id, the secret's path and its value: it
 * is only revealed in the execution it was made for, and cannot be forged (say, in a workflow's
 * input, to have a secret sent elsewhere) without already knowing the value.
 */

const PLACEHOLDER = /@@wormhole-secret((?:\/[^/@\s]+)+)\/([0-9a-f]{24})@@/g;
const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER.source}$`);
/** Every placeholder starts so: a string without it is returned as it is, unscanned. */
const MARKER = '@@wormhole-secret/';

/** `$secrets` for the decider: placeholders for the secrets `use.secrets` lists (others are absent). */
export function secretPlaceholders(document: WorkflowDocument, store: SecretStore, executionId: string): JsonObject {
  const placeholders: JsonObject = {};
  for (const name of declaredSecrets(document)) {
    const value = store.get(name);
    if (value !== undefined) placeholders[name] = placeholdersOf(value, [name], executionId);
  }
  return placeholders;
}

/** The names `use.secrets` lists. */
export function declaredSecrets(document: WorkflowDocument): string[] {
  const declared: unknown = document.use?.secrets;
  return Array.isArray(declared) ? declared.filter((name): name is string => typeof name === 'string') : [];
}

/** What `revealSecrets` replaced: secret text → the placeholder it came from. */
export type RevealedSecrets = ReadonlyMap<string, string>;

/**
 * `value` with every placeholder of this execution replaced by its secret. A string that is one
 * placeholder becomes the secret itself (an object secret stays an object); a placeholder inside
 * a longer string is replaced by the secret's text.
 */
export function revealSecrets(
  value: JsonValue,
  store: SecretStore,
  executionId: string,
): { value: JsonValue; revealed: RevealedSecrets } {
  const revealed = new Map<string, string>();
  const walk = (item: JsonValue): JsonValue => {
    if (typeof item === 'string') return revealString(item, store, executionId, revealed);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, child]) => [key, walk(child)]));
    }
    return item;
  };
  return { value: walk(value), revealed };
}

/** `value` with every revealed secret text replaced by its placeholder again (keys and strings). */
export function concealSecrets<T extends JsonValue>(value: T, revealed: RevealedSecrets): T {
  if (revealed.size === 0) return value;
  // Longest first, so a secret that contains another is concealed whole.
  const secrets = [...revealed.entries()].sort(([a], [b]) => b.length - a.length);
  const conceal = (text: string): string =>
    secrets.reduce((result, [secret, placeholder]) => result.split(secret).join(placeholder), text);
  const walk = (item: JsonValue): JsonValue => {
    if (typeof item === 'string') return conceal(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, child]) => [conceal(key), walk(child)]));
    }
    return item;
  };
  return walk(value) as T;
}

function placeholdersOf(value: JsonValue, path: string[], executionId: string): JsonValue {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, placeholdersOf(child, [...path, key], executionId)]),
    );
  }
  return placeholder(path, value, executionId);
}

function placeholder(path: readonly string[], value: JsonValue, executionId: string): string {
  const encoded = path.map((key) => `/${encodeURIComponent(key)}`).join('');
  return `@@wormhole-secret${encoded}/${token(executionId, encoded, value)}@@`;
}

function token(executionId: string, encodedPath: string, value: JsonValue): string {
  return createHash('sha256')
    .update(`${executionId}\n${encodedPath}\n${JSON.stringify(value)}`)
    .digest('hex')
    .slice(0, 24);
}

function revealString(text: string, store: SecretStore, executionId: string, revealed: Map<string, string>): JsonValue {
  // Every string of every task passes here (executor profile: 0.07 ms per call task building a
  // RegExp per string); almost none holds a placeholder.
  if (!text.includes(MARKER)) return text;
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole !== null) {
    const found = lookup(whole[1]!, whole[2]!, store, executionId);
    if (found === undefined) return text;
    noteRevealed(found.value, found.path, executionId, revealed);
    return found.value;
  }
  return text.replace(PLACEHOLDER, (match: string, encodedPath: string, tokenText: string) => {
    const found = lookup(encodedPath, tokenText, store, executionId);
    if (found === undefined) return match;
    noteRevealed(found.value, found.path, executionId, revealed);
    const secretText = typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
    revealed.set(secretText, match);
    return secretText;
  });
}

/** Records every leaf of a revealed secret with its own placeholder, for concealSecrets. */
function noteRevealed(
  value: JsonValue,
  path: readonly string[],
  executionId: string,
  revealed: Map<string, string>,
): void {
  if (value === null) return;
  if (typeof value === 'object') {
    if (Array.isArray(value)) return void revealed.set(JSON.stringify(value), placeholder(path, value, executionId));
    for (const [key, child] of Object.entries(value)) noteRevealed(child, [...path, key], executionId, revealed);
    return;
  }
  const text = String(value);
  if (text !== '') revealed.set(text, placeholder(path, value, executionId));
}

/** The secret at `encodedPath` if `tokenText` is this execution's token for it. */
function lookup(
  encodedPath: string,
  tokenText: string,
  store: SecretStore,
  executionId: string,
): { value: JsonValue; path: string[] } | undefined {
  const path = encodedPath.slice(1).split('/').map(decodeURIComponent);
  const [name, ...rest] = path;
  let value: JsonValue | undefined = name === undefined ? undefined : store.get(name);
  for (const key of rest) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  if (value === undefined || token(executionId, encodedPath, value) !== tokenText) return undefined;
  return { value, path };
}
