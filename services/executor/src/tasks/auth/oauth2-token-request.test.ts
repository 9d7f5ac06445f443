import type { JsonObject } from '@wormhole/interfaces';
import { readAuthenticationPolicy } from './authentication-policy';
import type { OAuth2Settings } from './authentication-policy';
import { discoveryUrl, tokenEndpoint, tokenRequestContent } from './oauth2-token-request';

const settings = (scheme: 'oauth2' | 'oidc', body: JsonObject): OAuth2Settings => {
  const policy = readAuthenticationPolicy({ [scheme]: body });
  if (policy.scheme !== scheme) throw new Error(`not ${scheme}`);
  return policy.settings;
};
const base = { authority: 'https://idp.example/realms/shop', grant: 'client_credentials', client: { id: 'app' } };

describe('token requests', () => {
  it('sends a token exchange with its subject and actor, and a signed client assertion', () => {
    const content = tokenRequestContent(
      settings('oauth2', {
        ...base,
        grant: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject: { token: 'subj', type: 'urn:ietf:params:oauth:token-type:access_token' },
        actor: { token: 'act', type: 'urn:ietf:params:oauth:token-type:jwt' },
        audiences: ['a', 'b'],
        client: { id: 'app', authentication: 'private_key_jwt', assertion: 'eyJ.signed.jwt' },
      }),
    );
    expect(content.authorization).toBeUndefined();
    expect([...new URLSearchParams(content.body)]).toEqual([
      ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      ['subject_token', 'subj'],
      ['subject_token_type', 'urn:ietf:params:oauth:token-type:access_token'],
      ['actor_token', 'act'],
      ['actor_token_type', 'urn:ietf:params:oauth:token-type:jwt'],
      ['audience', 'a'],
      ['audience', 'b'],
      ['client_id', 'app'],
      ['client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
      ['client_assertion', 'eyJ.signed.jwt'],
    ]);
  });

  it('form-encodes the client id and secret of client_secret_basic before joining them', () => {
    const content = tokenRequestContent(
      settings('oauth2', { ...base, client: { id: 'a:b', secret: 'p&s w', authentication: 'client_secret_basic' } }),
    );
    expect(Buffer.from(content.authorization!.slice('Basic '.length), 'base64').toString()).toBe('a%3Ab:p%26s+w');
    expect(content.body).toBe('grant_type=client_credentials');
  });

  it('puts repeated fields in a list when the request is JSON, and only the id with client authentication none', () => {
    const content = tokenRequestContent(
      settings('oauth2', {
        ...base,
        audiences: ['a', 'b'],
        scopes: ['x', 'y'],
        client: { id: 'app', authentication: 'none' },
        request: { encoding: 'application/json' },
      }),
    );
    expect(content.contentType).toBe('application/json');
    expect(JSON.parse(content.body)).toEqual({
      grant_type: 'client_credentials',
      scope: 'x y',
      audience: ['a', 'b'],
      client_id: 'app',
    });
  });

  it.each([
    [{}, 'https://idp.example/realms/shop/oauth2/token'],
    [{ endpoints: { token: 'protocol/token' } }, 'https://idp.example/realms/shop/protocol/token'],
    [{ authority: 'https://idp.example/', endpoints: { token: '/t' } }, 'https://idp.example/t'],
    [{ endpoints: { token: 'https://other.example/token' } }, 'https://other.example/token'],
  ])('sends the token request under the authority: %j', (overrides, expected) => {
    expect(tokenEndpoint(settings('oauth2', { ...base, ...overrides })).href).toBe(expected);
  });

  it('finds the OpenID configuration under the authority, or at the authority when it names it', () => {
    expect(discoveryUrl(settings('oidc', base)).href).toBe(
      'https://idp.example/realms/shop/.well-known/openid-configuration',
    );
    const named = { ...base, authority: 'https://idp.example/realms/shop/.well-known/openid-configuration' };
    expect(discoveryUrl(settings('oidc', named)).href).toBe(named.authority);
  });
});
