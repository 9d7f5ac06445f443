import type { JsonValue } from '@wormhole/interfaces';
import { asObject, HttpArgumentsError, httpUrl, scalarText } from '../http-arguments';

/** How a token is requested from an OAuth2 / OpenID Connect authority (DSL `oauth2`, `oidc`). */
export interface OAuth2Settings {
  readonly authority: string;
  /** `endpoints.token`; only `oauth2` uses it (`oidc` reads it from the discovery document). */
  readonly tokenPath: string;
  readonly grant: OAuth2Grant;
  readonly client: {
    readonly id?: string;
    readonly secret?: string;
    readonly assertion?: string;
    readonly authentication: ClientAuthentication;
  };
  readonly encoding: 'application/x-www-form-urlencoded' | 'application/json';
  readonly scopes: readonly string[];
  readonly audiences: readonly string[];
  readonly issuers: readonly string[];
  readonly username?: string;
  readonly password?: string;
  readonly subject?: OAuth2Token;
  readonly actor?: OAuth2Token;
}

export interface OAuth2Token {
  readonly token: string;
  readonly type: string;
}

export type OAuth2Grant = 'client_credentials' | 'password' | typeof TOKEN_EXCHANGE;
export type ClientAuthentication =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'client_secret_jwt' | 'none';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * An inline authentication policy, read: basic and bearer are already an `Authorization` header;
 * digest needs the server's challenge first and oauth2/oidc a token from the authority, so the
 * exchange finishes those when it sends the request.
 */
export type AuthenticationPolicy =
  | { readonly scheme: 'header'; readonly authorization: string }
  | { readonly scheme: 'digest'; readonly username: string; readonly password: string }
  | { readonly scheme: 'oauth2' | 'oidc'; readonly settings: OAuth2Settings };

const GRANTS: ReadonlySet<string> = new Set<OAuth2Grant>(['client_credentials', 'password', TOKEN_EXCHANGE]);
const CLIENT_AUTHENTICATIONS: ReadonlySet<string> = new Set<ClientAuthentication>([
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'client_secret_jwt',
  'none',
]);

/** Reads an inline policy (`{use: …}` was resolved by the worker); unusable ones are configuration errors. */
export function readAuthenticationPolicy(policy: Record<string, JsonValue | undefined>): AuthenticationPolicy {
  if (policy.basic !== undefined) {
    const basic = asObject(policy.basic, 'authentication.basic');
    const user = scalarText(basic.username ?? '');
    const password = scalarText(basic.password ?? '');
    return { scheme: 'header', authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  }
  if (policy.bearer !== undefined) {
    const token = asObject(policy.bearer, 'authentication.bearer').token;
    if (typeof token !== 'string' || token === '') {
      throw new HttpArgumentsError('authentication', 'bearer token is missing');
    }
    return { scheme: 'header', authorization: `Bearer ${token}` };
  }
  if (policy.digest !== undefined) {
    const digest = asObject(policy.digest, 'authentication.digest');
    return {
      scheme: 'digest',
      username: requiredText(digest.username, 'authentication.digest.username'),
      password: requiredText(digest.password, 'authentication.digest.password'),
    };
  }
  if (policy.oauth2 !== undefined) return { scheme: 'oauth2', settings: readOAuth2(policy.oauth2, 'oauth2') };
  if (policy.oidc !== undefined) return { scheme: 'oidc', settings: readOAuth2(policy.oidc, 'oidc') };
  if (policy.use !== undefined) {
    throw new HttpArgumentsError('configuration', `authentication policy '${scalarText(policy.use)}' was not resolved`);
  }
  const scheme = Object.keys(policy)[0] ?? 'unknown';
  throw new HttpArgumentsError('configuration', `authentication scheme '${scheme}' is not supported for call: http`);
}

function readOAuth2(value: JsonValue, scheme: 'oauth2' | 'oidc'): OAuth2Settings {
  const config = asObject(value, `authentication.${scheme}`);
  const what = (name: string): string => `authentication.${scheme}.${name}`;
  const grant = requiredText(config.grant, what('grant'));
  if (!GRANTS.has(grant)) {
    throw new HttpArgumentsError(
      'configuration',
      `${what('grant')} '${grant}' is not supported (client_credentials, password, ${TOKEN_EXCHANGE})`,
    );
  }
  const client = asObject(config.client ?? {}, what('client'));
  const authentication = optionalText(client.authentication, what('client.authentication')) ?? 'client_secret_post';
  if (!CLIENT_AUTHENTICATIONS.has(authentication)) {
    throw new HttpArgumentsError('configuration', `${what('client.authentication')} '${authentication}' is unknown`);
  }
  const id = optionalText(client.id, what('client.id'));
  if (id === undefined && authentication !== 'none') {
    throw new HttpArgumentsError(
      'configuration',
      `${what('client.id')} is required unless client.authentication is none`,
    );
  }
  const assertion = optionalText(client.assertion, what('client.assertion'));
  if ((authentication === 'private_key_jwt' || authentication === 'client_secret_jwt') && assertion === undefined) {
    // Wormhole does not sign assertions itself: the workflow supplies the signed JWT.
    throw new HttpArgumentsError('configuration', `${what('client.assertion')} is required with ${authentication}`);
  }
  const request = asObject(config.request ?? {}, what('request'));
  const encoding = optionalText(request.encoding, what('request.encoding')) ?? 'application/x-www-form-urlencoded';
  if (encoding !== 'application/x-www-form-urlencoded' && encoding !== 'application/json') {
    throw new HttpArgumentsError('configuration', `${what('request.encoding')} '${encoding}' is not supported`);
  }
  const endpoints = asObject(config.endpoints ?? {}, what('endpoints'));
  const settings: OAuth2Settings = {
    authority: requiredText(config.authority, what('authority')),
    tokenPath: optionalText(endpoints.token, what('endpoints.token')) ?? '/oauth2/token',
    grant: grant as OAuth2Grant,
    client: {
      authentication: authentication as ClientAuthentication,
      ...(id !== undefined && { id }),
      ...(client.secret !== undefined && client.secret !== null && { secret: scalarText(client.secret) }),
      ...(assertion !== undefined && { assertion }),
    },
    encoding,
    scopes: textList(config.scopes, what('scopes')),
    audiences: textList(config.audiences, what('audiences')),
    issuers: textList(config.issuers, what('issuers')),
    ...(config.username !== undefined && config.username !== null && { username: scalarText(config.username) }),
    ...(config.password !== undefined && config.password !== null && { password: scalarText(config.password) }),
    ...(config.subject !== undefined && { subject: readToken(config.subject, what('subject')) }),
    ...(config.actor !== undefined && { actor: readToken(config.actor, what('actor')) }),
  };
  httpUrl(settings.authority, 'authority');
  if (/^https?:\/\//i.test(settings.tokenPath)) httpUrl(settings.tokenPath, 'endpoints.token');
  if (settings.grant === 'password' && (settings.username === undefined || settings.password === undefined)) {
    throw new HttpArgumentsError('configuration', `${what('username')} and password are required with grant password`);
  }
  if (settings.grant === TOKEN_EXCHANGE && settings.subject === undefined) {
    throw new HttpArgumentsError('configuration', `${what('subject')} is required with grant ${TOKEN_EXCHANGE}`);
  }
  return settings;
}

function readToken(value: JsonValue | undefined, what: string): OAuth2Token {
  const token = asObject(value, what);
  return { token: requiredText(token.token, `${what}.token`), type: requiredText(token.type, `${what}.type`) };
}

function requiredText(value: JsonValue | undefined, what: string): string {
  const text = optionalText(value, what);
  if (text === undefined || text === '') throw new HttpArgumentsError('configuration', `${what} is required`);
  return text;
}

function optionalText(value: JsonValue | undefined, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpArgumentsError('configuration', `${what} must be a string`);
  return value;
}

function textList(value: JsonValue | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new HttpArgumentsError('configuration', `${what} must be a list of strings`);
  return value.map((item) => scalarText(item));
}
