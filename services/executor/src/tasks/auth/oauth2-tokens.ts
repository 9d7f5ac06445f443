import { createHash } from 'node:crypto';
import type { DslError, JsonValue, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import type { HttpRequestSpec } from '../http-request';
import type { OAuth2Settings } from './authentication-policy';
import type { TokenRequestContent } from './oauth2-token-request';
import { HttpArgumentsError, httpUrl } from '../http-arguments';
import { discoveryUrl, tokenEndpoint, tokenRequestContent } from './oauth2-token-request';

/** What the token source needs of the HTTP exchange (so requests go through its guarded pool). */
export interface TokenTransport {
  send(request: TaskRequest, spec: HttpRequestSpec, signal: AbortSignal): Promise<TaskOutcome>;
  fetchText(request: TaskRequest, url: URL, signal: AbortSignal): Promise<{ text: string } | { failed: TaskOutcome }>;
}

export interface OAuth2TokenSettings {
  /** Most tokens kept; the oldest fetched goes first. */
  readonly maxTokens: number;
  /** How long an OpenID configuration document read once is reused. */
  readonly discoveryTtlMs: number;
}

export type TokenPolicy = { readonly scheme: 'oauth2' | 'oidc'; readonly settings: OAuth2Settings };

/** A token for the request, with the cache key that `forget` takes; or the outcome that says why not. */
export type TokenResult = { readonly token: string; readonly key: string } | { readonly failed: TaskOutcome };

const DEFAULTS: OAuth2TokenSettings = { maxTokens: 1000, discoveryTtlMs: 60 * 60_000 };
/** A token is used until this long before it expires (at most a tenth of its lifetime). */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Access tokens of `oauth2` and `oidc` policies, fetched from the authority through the guarded
 * exchange and cached in memory per tenant and token request (authority, grant, client, scopes,
 * audiences and credentials: the key hashes them, so a different secret never gets another's
 * token) until shortly before `expires_in`. Concurrent steps needing the same token share one
 * request. Tokens and secrets never appear in an outcome: failures name the endpoint and status only.
 */
export class OAuth2Tokens {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<TokenResult>>();
  private readonly discovered = new Map<string, { tokenEndpoint: URL; issuer?: string; expiresAt: number }>();

  constructor(
    private readonly transport: TokenTransport,
    private readonly settings: OAuth2TokenSettings = DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  async token(request: TaskRequest, policy: TokenPolicy): Promise<TokenResult> {
    let result: TokenResult;
    try {
      result = await this.cachedOrFetched(request, policy);
    } catch (e) {
      // An unusable URL (say, a discovered token_endpoint) fails the step as the arguments would.
      if (!(e instanceof HttpArgumentsError)) throw e;
      return { failed: { kind: 'failed', error: dslError(e.kind, { detail: e.message, instance: request.taskPath }) } };
    }
    // A shared request's failure names the step that made it; each step reports its own path.
    return 'failed' in result ? { failed: withInstance(result.failed, request.taskPath) } : result;
  }

  private async cachedOrFetched(request: TaskRequest, policy: TokenPolicy): Promise<TokenResult> {
    const content = tokenRequestContent(policy.settings);
    const key = cacheKey(request.tenantId, policy, content.body, content.authorization);
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return { token: cached.token, key };
    let fetching = this.pending.get(key);
    if (fetching === undefined) {
      // Not tied to this step's signal: other steps may be waiting on the same request (the
      // exchange's own time limit still bounds it), and this step's abort still stops its call.
      fetching = this.fetch(request, policy, content, key, new AbortController().signal).finally(() =>
        this.pending.delete(key),
      );
      this.pending.set(key, fetching);
    }
    return fetching;
  }

  /** Drops a token the resource server refused (revoked early), so the next step fetches a new one. */
  forget(key: string): void {
    this.tokens.delete(key);
  }

  private async fetch(
    request: TaskRequest,
    policy: TokenPolicy,
    content: TokenRequestContent,
    key: string,
    signal: AbortSignal,
  ): Promise<TokenResult> {
    let url: URL;
    let issuer: string | undefined;
    if (policy.scheme === 'oidc') {
      const found = await this.discover(request, policy.settings, signal);
      if ('failed' in found) return found;
      ({ tokenEndpoint: url, issuer } = found);
    } else {
      url = tokenEndpoint(policy.settings);
    }
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: {
        accept: 'application/json',
        'content-type': content.contentType,
        ...(content.authorization !== undefined && { authorization: content.authorization }),
      },
      publicHeaders: {},
      body: content.body,
      output: 'content',
      followRedirects: false,
    };
    const where = `${url.origin}${url.pathname}`;
    const outcome = await this.transport.send(request, spec, signal);
    if (outcome.kind !== 'completed') return { failed: tokenFailure(outcome, `the token request to ${where}`) };
    const response = readTokenResponse(outcome.output);
    if (typeof response === 'string') return { failed: refused(request, `the token response of ${where} ${response}`) };
    const issuers = policy.settings.issuers;
    const tokenIssuer = jwtIssuer(response.token) ?? issuer;
    if (issuers.length > 0 && tokenIssuer !== undefined && !issuers.includes(tokenIssuer)) {
      return { failed: refused(request, `the token from ${where} was issued by '${tokenIssuer}', not one of issuers`) };
    }
    if (response.expiresInMs !== undefined) {
      const margin = Math.min(EXPIRY_MARGIN_MS, response.expiresInMs / 10);
      this.remember(key, response.token, this.now() + response.expiresInMs - margin);
    }
    return { token: response.token, key };
  }

  private remember(key: string, token: string, expiresAt: number): void {
    this.tokens.delete(key);
    this.tokens.set(key, { token, expiresAt });
    while (this.tokens.size > this.settings.maxTokens) this.tokens.delete(this.tokens.keys().next().value!);
  }

  /** The token endpoint from the authority's OpenID configuration (cached per document URL). */
  private async discover(
    request: TaskRequest,
    settings: OAuth2Settings,
    signal: AbortSignal,
  ): Promise<{ tokenEndpoint: URL; issuer?: string } | { failed: TaskOutcome }> {
    const url = discoveryUrl(settings);
    const cached = this.discovered.get(url.href);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached;
    const read = await this.transport.fetchText(request, url, signal);
    const what = `the OpenID configuration ${url.href}`;
    if ('failed' in read) return { failed: tokenFailure(read.failed, what) };
    let document: JsonValue;
    try {
      document = JSON.parse(read.text) as JsonValue;
    } catch {
      return { failed: refused(request, `${what} is not JSON`) };
    }
    const fields = document !== null && typeof document === 'object' && !Array.isArray(document) ? document : {};
    if (typeof fields.token_endpoint !== 'string') {
      return { failed: refused(request, `${what} has no token_endpoint`) };
    }
    const issuer = typeof fields.issuer === 'string' ? fields.issuer : undefined;
    if (settings.issuers.length > 0 && (issuer === undefined || !settings.issuers.includes(issuer))) {
      return { failed: refused(request, `${what} names issuer '${issuer ?? ''}', not one of issuers`) };
    }
    const found = {
      tokenEndpoint: httpUrl(fields.token_endpoint, 'token_endpoint'),
      ...(issuer !== undefined && { issuer }),
    };
    this.discovered.set(url.href, { ...found, expiresAt: this.now() + this.settings.discoveryTtlMs });
    return found;
  }
}

function cacheKey(tenantId: string, policy: TokenPolicy, body: string, authorization: string | undefined): string {
  const { authority, tokenPath } = policy.settings;
  return createHash('sha256')
    .update(JSON.stringify([tenantId, policy.scheme, authority, tokenPath, body, authorization ?? '']))
    .digest('hex');
}

/** The access token and lifetime of a token response, or what is wrong with it. */
function readTokenResponse(output: JsonValue): { token: string; expiresInMs?: number } | string {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return 'is not a JSON object';
  const token = output.access_token;
  if (typeof token !== 'string' || token === '') return 'has no access_token';
  const type = output.token_type;
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') return `has token_type '${type}', not Bearer`;
  const expiresIn = Number(output.expires_in);
  return Number.isFinite(expiresIn) && expiresIn > 0 ? { token, expiresInMs: expiresIn * 1000 } : { token };
}

/** The `iss` claim of a JWT access token; undefined for an opaque token. */
function jwtIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A failed token (or discovery) request. An answer that refuses it is the DSL's authentication
 * error; no answer at all stays retryable like any call; a blocked destination stays the network
 * policy's authorization error.
 */
function tokenFailure(outcome: TaskOutcome, what: string): TaskOutcome {
  if (outcome.kind === 'completed' || outcome.kind === 'deferred') return outcome;
  const cause = outcome.error.detail ?? outcome.error.title ?? '';
  if (outcome.kind === 'retryable' || outcome.error.type.endsWith('/authorization')) {
    return { ...outcome, error: { ...outcome.error, detail: `${what} failed: ${cause}` } };
  }
  return {
    kind: 'failed',
    error: dslError('authentication', {
      title: 'Authentication failed',
      detail: `${what} failed: ${cause}`,
      ...(outcome.error.instance !== undefined && { instance: outcome.error.instance }),
    }),
  };
}

function refused(request: TaskRequest, detail: string): TaskOutcome {
  return {
    kind: 'failed',
    error: dslError('authentication', { title: 'Authentication failed', detail, instance: request.taskPath }),
  };
}

function withInstance(outcome: TaskOutcome, instance: string): TaskOutcome {
  if (outcome.kind === 'completed' || outcome.kind === 'deferred') return outcome;
  const error: DslError = { ...outcome.error, instance };
  return { ...outcome, error };
}
