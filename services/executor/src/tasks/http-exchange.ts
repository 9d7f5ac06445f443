import { STATUS_CODES } from 'node:http';
import { request as sendRequest } from 'undici';
import type { Dispatcher } from 'undici';
import type { JsonValue, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { dslError, ensureError } from '@wormhole/interfaces';
import { digestAuthorization } from './auth/digest';
import type { OAuth2TokenSettings } from './auth/oauth2-tokens';
import { OAuth2Tokens } from './auth/oauth2-tokens';
import { BlockedDestinationError, guardedDispatcher } from './guarded-dispatcher';
import type { HttpRequestSpec } from './http-request';
import { NetworkPolicy } from './network-policy';

export interface HttpCallSettings {
  /** Per-request time limit (the task's own timeout may be shorter). */
  readonly timeoutMs: number;
  /** Largest response body read; a larger one fails the step. */
  readonly maxResponseBytes: number;
  /** Delay before a network-level failure (no response at all) is tried again. */
  readonly retryDelayMs: number;
  /** Which addresses calls may reach; by default internal ranges are blocked (see NetworkPolicy). */
  readonly network?: NetworkPolicy;
  /** The `oauth2`/`oidc` token cache (defaults: 1,000 tokens, OpenID configurations kept an hour). */
  readonly oauth2?: OAuth2TokenSettings;
}

/**
 * Sends the requests of HTTP-based calls (`call: http`, `call: openapi`) through one guarded
 * connection pool and turns responses into task outcomes. Non-2xx responses (non-2xx/3xx with
 * `redirect: true`) become the DSL's communication error carrying the status; failures without any
 * response (connection refused, reset, timeout) are retryable, because the request may never have
 * reached the server.
 */
export class HttpExchange {
  private readonly dispatcher: Dispatcher;
  private readonly tokens: OAuth2Tokens;

  constructor(private readonly settings: HttpCallSettings) {
    this.dispatcher = guardedDispatcher(settings.network ?? new NetworkPolicy(), settings.timeoutMs);
    // Token requests go through this same exchange, so the network policy guards authorities too.
    this.tokens = new OAuth2Tokens(this, settings.oauth2);
  }

  /** Sends `spec` for the step `request` (finishing its authentication) and reads the outcome. */
  async send(request: TaskRequest, spec: HttpRequestSpec, signal: AbortSignal): Promise<TaskOutcome> {
    const received = await this.receiveAuthenticated(request, spec, signal);
    if ('failed' in received) return received.failed;
    const content = decodeBody(received.bytes, received.headers['content-type']);
    switch (spec.output) {
      case 'raw':
        return { kind: 'completed', output: Buffer.from(received.bytes).toString('base64') };
      case 'response':
        return {
          kind: 'completed',
          output: {
            request: { method: spec.method, uri: spec.url.toString(), headers: spec.publicHeaders },
            statusCode: received.status,
            headers: received.headers,
            content,
          },
        };
      case 'content':
        return { kind: 'completed', output: content };
    }
  }

  /**
   * GETs a document (an OpenAPI description) through the same guarded pool: its text, or the
   * failed outcome that says why it could not be read.
   */
  async fetchText(request: TaskRequest, url: URL, signal: AbortSignal): Promise<{ text: string } | Failed> {
    const spec: HttpRequestSpec = {
      method: 'GET',
      url,
      headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' },
      publicHeaders: {},
      output: 'raw',
      followRedirects: true,
    };
    const received = await this.receive(request, spec, signal);
    return 'failed' in received ? received : { text: Buffer.from(received.bytes).toString('utf8') };
  }

  /**
   * `receive` with the scheme the request builder left open: oauth2/oidc send the authority's
   * token as a bearer token (a token the server refuses with 401 is dropped from the cache, so the
   * next step fetches a new one); digest sends the request, and answers a 401's Digest challenge
   * by sending it once more with the computed `Authorization` (RFC 7616).
   */
  private async receiveAuthenticated(
    request: TaskRequest,
    spec: HttpRequestSpec,
    signal: AbortSignal,
  ): Promise<Received | Failed> {
    const auth = spec.authentication;
    if (auth === undefined) return this.receive(request, spec, signal);
    if (auth.scheme === 'digest') {
      const first = await this.receive(request, spec, signal);
      if (!('failed' in first) || first.challenge === undefined) return first;
      const authorization = digestAuthorization(first.challenge, auth, spec);
      if (authorization === undefined) return first;
      const second = await this.receive(request, withAuthorization(spec, authorization), signal);
      if ('failed' in second && second.challenge !== undefined) {
        return { failed: refusedCredentials(request, spec, 'digest') };
      }
      return second;
    }
    const token = await this.tokens.token(request, auth);
    if ('failed' in token) return token;
    const received = await this.receive(request, withAuthorization(spec, `Bearer ${token.token}`), signal);
    if ('failed' in received && received.challenge !== undefined) this.tokens.forget(token.key);
    return received;
  }

  /** The successful response to `spec` with its body read (within the size limit), or why not. */
  private async receive(request: TaskRequest, spec: HttpRequestSpec, signal: AbortSignal): Promise<Received | Failed> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      // undici's request rather than its fetch: the WHATWG Request/Response/stream objects cost the
      // executor about a fifth of its CPU per call (bench profile).
      response = await sendRequest(spec.url, {
        method: spec.method as Dispatcher.HttpMethod,
        headers: spec.headers,
        body: spec.body,
        maxRedirections: spec.followRedirects ? MAX_REDIRECTS : 0,
        signal: AbortSignal.any([signal, timeout]),
        dispatcher: this.dispatcher,
      });
    } catch (e) {
      if (signal.aborted) throw ensureError(e);
      return { failed: this.unanswered(request, spec, e, timeout.aborted) };
    }
    const headers = flatHeaders(response.headers);
    const status = response.statusCode;
    const bytes = await readLimited(response.body, headers['content-length'], this.settings.maxResponseBytes);
    if (bytes === undefined) {
      return {
        failed: {
          kind: 'failed',
          error: dslError('communication', {
            status,
            detail: `response body exceeds ${this.settings.maxResponseBytes} bytes`,
            instance: request.taskPath,
          }),
        },
      };
    }
    const okLimit = spec.followRedirects ? 400 : 300;
    if (status < 200 || status >= okLimit) {
      const challenge = status === 401 ? (headers['www-authenticate'] ?? '') : undefined;
      return {
        ...(challenge !== undefined && { challenge }),
        failed: {
          kind: 'failed',
          error: dslError('communication', {
            status,
            title: STATUS_CODES[status] ?? `HTTP ${status}`,
            detail: `${spec.method} ${spec.url.origin}${spec.url.pathname} returned ${status}`,
            instance: request.taskPath,
          }),
        },
      };
    }
    return { status, headers, bytes };
  }

  /** No response at all: blocked destinations fail for good, anything else may be tried again. */
  private unanswered(request: TaskRequest, spec: HttpRequestSpec, e: unknown, timedOut: boolean): TaskOutcome {
    const blocked = blockedCause(e);
    if (blocked) {
      // Not retried: the destination will not become allowed by waiting.
      return {
        kind: 'failed',
        error: dslError('authorization', {
          title: 'Destination not allowed',
          detail: `${spec.method} ${spec.url.origin}: ${blocked.message} (HTTP_CALL_BLOCKED_NETWORKS); an operator can allow it with HTTP_CALL_ALLOWED_NETWORKS`,
          instance: request.taskPath,
        }),
      };
    }
    const detail = timedOut
      ? `no response from ${spec.url.origin} within ${this.settings.timeoutMs} ms`
      : `${spec.method} ${spec.url.origin}${spec.url.pathname} failed: ${describeFetchError(e)}`;
    return {
      kind: 'retryable',
      error: dslError(timedOut ? 'timeout' : 'communication', { detail, instance: request.taskPath }),
      delayMs: this.settings.retryDelayMs,
    };
  }
}

interface Received {
  readonly status: number;
  /** Lower-case names; a repeated header's values joined with ", " (as fetch's Headers gives them). */
  readonly headers: Record<string, string>;
  readonly bytes: Uint8Array;
}

/** As many redirects as fetch follows. */
const MAX_REDIRECTS = 20;

function flatHeaders(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

interface Failed {
  readonly failed: TaskOutcome;
  /** A 401's `WWW-Authenticate` (empty when it sent none). */
  readonly challenge?: string;
}

function withAuthorization(spec: HttpRequestSpec, authorization: string): HttpRequestSpec {
  return { ...spec, headers: { ...spec.headers, authorization } };
}

/** The server refused credentials it had asked for: the DSL's authentication error. */
function refusedCredentials(request: TaskRequest, spec: HttpRequestSpec, scheme: string): TaskOutcome {
  return {
    kind: 'failed',
    error: dslError('authentication', {
      title: 'Authentication failed',
      detail: `${spec.method} ${spec.url.origin}${spec.url.pathname} refused the ${scheme} credentials (401)`,
      instance: request.taskPath,
    }),
  };
}

async function readLimited(
  body: Dispatcher.ResponseData['body'],
  declaredLength: string | undefined,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (Number(declaredLength ?? '0') > limit) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies are parsed; anything else is returned as text (empty body → null). */
function decodeBody(bytes: Uint8Array, contentType: string | undefined): JsonValue {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.length === 0) return null;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

function describeFetchError(e: unknown): string {
  const error = ensureError(e);
  // The error itself carries the code (ECONNREFUSED…), or its cause does.
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  const code = typeof own === 'string' ? own : cause;
  return typeof code === 'string' ? code : error.message;
}

function blockedCause(e: unknown): BlockedDestinationError | undefined {
  for (let current: unknown = e, depth = 0; current && depth < 5; depth++) {
    if (current instanceof BlockedDestinationError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
