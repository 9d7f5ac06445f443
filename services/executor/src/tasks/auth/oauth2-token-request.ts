import { HttpArgumentsError, httpUrl } from '../http-arguments';
import type { OAuth2Settings } from './authentication-policy';
import { TOKEN_EXCHANGE } from './authentication-policy';

/** The parts of a token request that do not depend on where it is sent. */
export interface TokenRequestContent {
  readonly contentType: OAuth2Settings['encoding'];
  readonly body: string;
  /** `Basic …` with client_secret_basic. */
  readonly authorization?: string;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The body (and client `Authorization`) of the token request for `settings` (RFC 6749 §4.3, §4.4,
 * RFC 8693 for token exchange, RFC 7523 for client assertions). Form encoded unless
 * `request.encoding` asks for JSON.
 */
export function tokenRequestContent(settings: OAuth2Settings): TokenRequestContent {
  const fields: [string, string][] = [['grant_type', settings.grant]];
  if (settings.grant === 'password') {
    fields.push(['username', settings.username ?? ''], ['password', settings.password ?? '']);
  }
  if (settings.grant === TOKEN_EXCHANGE && settings.subject !== undefined) {
    fields.push(['subject_token', settings.subject.token], ['subject_token_type', settings.subject.type]);
    if (settings.actor !== undefined) {
      fields.push(['actor_token', settings.actor.token], ['actor_token_type', settings.actor.type]);
    }
  }
  if (settings.scopes.length > 0) fields.push(['scope', settings.scopes.join(' ')]);
  for (const audience of settings.audiences) fields.push(['audience', audience]);

  const { client } = settings;
  let authorization: string | undefined;
  switch (client.authentication) {
    case 'client_secret_basic':
      // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
      authorization = `Basic ${Buffer.from(`${formEncode(client.id ?? '')}:${formEncode(client.secret ?? '')}`).toString('base64')}`;
      break;
    case 'client_secret_post':
      fields.push(['client_id', client.id ?? '']);
      if (client.secret !== undefined) fields.push(['client_secret', client.secret]);
      break;
    case 'private_key_jwt':
    case 'client_secret_jwt':
      if (client.assertion === undefined) {
        throw new HttpArgumentsError('configuration', `client.assertion is required with ${client.authentication}`);
      }
      if (client.id !== undefined) fields.push(['client_id', client.id]);
      fields.push(['client_assertion_type', JWT_BEARER], ['client_assertion', client.assertion]);
      break;
    case 'none':
      if (client.id !== undefined) fields.push(['client_id', client.id]);
      break;
  }
  const body = settings.encoding === 'application/json' ? jsonBody(fields) : new URLSearchParams(fields).toString();
  return { contentType: settings.encoding, body, ...(authorization !== undefined && { authorization }) };
}

/** Where the token request goes: `endpoints.token` under the authority (or itself when absolute). */
export function tokenEndpoint(settings: OAuth2Settings): URL {
  const authority = httpUrl(settings.authority, 'authority');
  if (/^https?:\/\//i.test(settings.tokenPath)) return httpUrl(settings.tokenPath, 'endpoints.token');
  const base = authority.href.replace(/\/+$/, '');
  return httpUrl(`${base}/${settings.tokenPath.replace(/^\/+/, '')}`, 'endpoints.token');
}

/** The OpenID configuration document of an `oidc` authority (the authority itself if it names one). */
export function discoveryUrl(settings: OAuth2Settings): URL {
  const authority = httpUrl(settings.authority, 'authority');
  if (authority.pathname.endsWith('/.well-known/openid-configuration')) return authority;
  return new URL(`${authority.href.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}

function jsonBody(fields: readonly [string, string][]): string {
  const body: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    const existing = body[name];
    body[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return JSON.stringify(body);
}

function formEncode(text: string): string {
  return new URLSearchParams([['', text]]).toString().slice(1);
}
