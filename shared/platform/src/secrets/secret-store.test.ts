import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@wormhole/interfaces';
import { loadSecretsConfig, openSecretStore } from './secret-store';

const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
const file = (name: string, text: string): string => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

describe('secret store', () => {
  it('reads a YAML or JSON file and prefixed environment variables (which win), JSON objects as objects', () => {
    const env = {
      SECRETS_FILE: file('s.yaml', 'db:\n  password: from-file\ntoken: file-token\n'),
      SECRETS_ENV_PREFIX: 'APP_SECRET_',
      APP_SECRET_token: 'env-token',
      APP_SECRET_creds: '{"username":"u","password":"p"}',
      APP_SECRET_plain: '{not json',
      OTHER: 'x',
    };
    const store = openSecretStore(loadSecretsConfig(env), env);
    expect(store.names()).toEqual(['creds', 'db', 'plain', 'token']);
    expect(store.get('db')).toEqual({ password: 'from-file' });
    expect(store.get('token')).toBe('env-token');
    expect(store.get('creds')).toEqual({ username: 'u', password: 'p' });
    expect(store.get('plain')).toBe('{not json');
    expect(store.get('OTHER')).toBeUndefined();
    const json = { SECRETS_FILE: file('s.json', '{"k": "v"}') };
    expect(openSecretStore(loadSecretsConfig(json), json).get('k')).toBe('v');
  });

  it('holds nothing unless configured', () => {
    expect(openSecretStore(loadSecretsConfig({}), { X: 'y' }).names()).toEqual([]);
  });

  it('stops start-up naming the variable, never quoting a value', () => {
    const missing = { SECRETS_FILE: path.join(dir, 'absent.json') };
    expect(() => openSecretStore(loadSecretsConfig(missing), missing)).toThrow(ConfigurationError);
    const list = { SECRETS_FILE: file('list.json', '["hunter2"]') };
    expect(() => openSecretStore(loadSecretsConfig(list), list)).toThrow(/SECRETS_FILE/);
    expect(() => openSecretStore(loadSecretsConfig(list), list)).not.toThrow(/hunter2/);
    const broken = { SECRETS_FILE: file('broken.yaml', 'a: [hunter2\n') };
    expect(() => openSecretStore(loadSecretsConfig(broken), broken)).not.toThrow(/hunter2/);
    expect(() => loadSecretsConfig({ SECRETS_ENV_PREFIX: 'no spaces' })).toThrow(/SECRETS_ENV_PREFIX/);
  });
});
