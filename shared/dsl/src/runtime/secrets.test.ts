import type { JsonObject, JsonValue, SecretStore } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { concealSecrets, revealSecrets, secretPlaceholders } from './secrets';

const store: SecretStore = {
  get: (name) => ({ creds: { username: 'alice', password: 's3cr3t-pw' }, token: 'tok-123456', other: 'nope-9' })[name],
  names: () => ['creds', 'other', 'token'],
};
const doc = (secrets: string[]): WorkflowDocument => ({
  document: { dsl: '1.0.0', namespace: 'n', name: 'w', version: '1' },
  use: { secrets },
  do: [],
});

describe('secrets', () => {
  it('gives the decider placeholders of the same shape, only for the secrets use.secrets lists', () => {
    const placeholders = secretPlaceholders(doc(['creds', 'token', 'missing']), store, 'x1');
    expect(Object.keys(placeholders).sort()).toEqual(['creds', 'token']);
    const creds = placeholders.creds as JsonObject;
    expect(creds.username).toMatch(/^@@wormhole-secret\/creds\/username\/[0-9a-f]{24}@@$/);
    expect(JSON.stringify(placeholders)).not.toContain('s3cr3t-pw');
    expect(JSON.stringify(placeholders)).not.toContain('tok-123456');
  });

  it('reveals whole and embedded placeholders of its own execution, and conceals them again', () => {
    const p = secretPlaceholders(doc(['creds', 'token']), store, 'x1');
    const creds = p.creds as JsonObject;
    const task: JsonValue = {
      auth: { basic: { username: creds.username!, password: creds.password! } },
      header: `Bearer ${p.token as string}`,
      whole: p.creds!,
    };
    const { value, revealed } = revealSecrets(task, store, 'x1');
    expect(value).toEqual({
      auth: { basic: { username: 'alice', password: 's3cr3t-pw' } },
      header: 'Bearer tok-123456',
      whole: { username: 'alice', password: 's3cr3t-pw' },
    });
    const echoed = concealSecrets({ body: 'pw=s3cr3t-pw token tok-123456', 's3cr3t-pw': 1 }, revealed);
    expect(JSON.stringify(echoed)).not.toMatch(/s3cr3t-pw|tok-123456/);
    expect(echoed.body).toBe(`pw=${creds.password as string} token ${p.token as string}`);
  });

  it('leaves placeholders of another execution, or with a forged token, unrevealed', () => {
    const p = secretPlaceholders(doc(['token']), store, 'x1');
    const forged = (p.token as string).replace(/[0-9a-f]{24}/, '0'.repeat(24));
    const { value, revealed } = revealSecrets({ a: p.token!, b: forged }, store, 'x2');
    expect(value).toEqual({ a: p.token, b: forged });
    expect(revealed.size).toBe(0);
  });
});
