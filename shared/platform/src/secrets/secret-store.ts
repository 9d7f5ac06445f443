import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue, SecretStore } from '@wormhole/interfaces';
import { ConfigurationError } from '@wormhole/interfaces';
import type { Env } from '../config/env';
import { EnvReader } from '../config/env';

export interface SecretsConfig {
  /** Environment variables named `<prefix><NAME>` are the secret `NAME`; undefined: none. */
  readonly envPrefix: string | undefined;
  /** A JSON or YAML file holding one object: secret name → value; undefined: none. */
  readonly file: string | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Reads SECRETS_ENV_PREFIX and SECRETS_FILE (names only: the values are read by openSecretStore). */
export function loadSecretsConfig(env: Env): SecretsConfig {
  const r = new EnvReader(env);
  const envPrefix = r.raw('SECRETS_ENV_PREFIX');
  if (envPrefix !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(envPrefix)) {
    throw new ConfigurationError('SECRETS_ENV_PREFIX', 'must be a variable-name prefix such as WORMHOLE_SECRET_');
  }
  return { envPrefix, file: r.raw('SECRETS_FILE') };
}

/**
 * Reads every secret once, at start: from the file, then from the prefixed environment variables
 * (which win on a clash). An environment value that is a JSON object is that object (so
 * `$secrets.db.password` works from the environment too); anything else is the string. An
 * unreadable file or a bad name stops start-up naming the variable, never quoting a value.
 */
export function openSecretStore(config: SecretsConfig, env: Env): SecretStore {
  const secrets = new Map<string, JsonValue>();
  if (config.file !== undefined) {
    for (const [name, value] of Object.entries(readSecretsFile(config.file))) {
      if (!NAME.test(name)) throw new ConfigurationError('SECRETS_FILE', `secret name '${name}' is not an identifier`);
      secrets.set(name, value);
    }
  }
  const prefix = config.envPrefix;
  if (prefix !== undefined) {
    for (const [variable, value] of Object.entries(env)) {
      if (!variable.startsWith(prefix) || value === undefined || variable === prefix) continue;
      secrets.set(variable.slice(prefix.length), environmentValue(value));
    }
  }
  return new MapSecretStore(secrets);
}

/** A fixed set of secrets (also what tests use). */
export class MapSecretStore implements SecretStore {
  private readonly secrets: ReadonlyMap<string, JsonValue>;

  constructor(secrets: ReadonlyMap<string, JsonValue> | Readonly<Record<string, JsonValue>>) {
    this.secrets = secrets instanceof Map ? secrets : new Map(Object.entries(secrets));
  }

  get(name: string): JsonValue | undefined {
    return this.secrets.get(name);
  }

  names(): readonly string[] {
    return [...this.secrets.keys()].sort();
  }
}

function readSecretsFile(path: string): JsonObject {
  let parsed: unknown;
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both.
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'not valid JSON or YAML';
    throw new ConfigurationError('SECRETS_FILE', `cannot read secrets file ${path}: ${reason}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError('SECRETS_FILE', `secrets file ${path} must hold one object of name → value`);
  }
  return parsed as JsonObject;
}

function environmentValue(text: string): JsonValue {
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as JsonObject;
    } catch {
      // Not JSON: the text itself is the secret.
    }
  }
  return text;
}
