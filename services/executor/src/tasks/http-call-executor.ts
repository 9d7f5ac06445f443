import { fetch } from 'undici';
import type { Dispatcher, Response } from 'undici';
import type { JsonValue, TaskExecutor, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { dslError, ensureError } from '@wormhole/interfaces';
import { BlockedDestinationError, guardedDispatcher } from './guarded-dispatcher';
import { buildHttpRequest, HttpArgumentsError } from './http-request';
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
}

/**
 * `call: http`. Non-2xx responses (non-2xx/3xx with `redirect: true`) become the DSL's
 * communication error carrying the status; failures without any response (connection refused,
 * reset, timeout) are retryable, because the request may never have reached the server. Every
 * request carries the step's `Idempotency-Key`, so a server can recognise a repeated step.
 */
export class HttpCallExecutor implements TaskExecutor {
  readonly kind = 'call:http';

  private readonly dispatcher: Dispatcher;

  constructor(private readonly settings: HttpCallSettings) {
    this.dispatcher = guardedDispatcher(settings.network ?? new NetworkPolicy(), settings.timeoutMs);
  }

  async execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    let spec: HttpRequestSpec;
    try {
      spec = buildHttpRequest(request);
    } catch (e) {
      const error = ensureError(e);
      const kind = e instanceof HttpArgumentsError ? e.kind : 'configuration';
      return { kind: 'failed', error: dslError(kind, { detail: error.message, instance: request.taskPath }) };
    }
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    try {
      response = await fetch(spec.url, {
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
        redirect: spec.followRedirects ? 'follow' : 'manual',
        signal: AbortSignal.any([signal, timeout]),
        dispatcher: this.dispatcher,
      });
    } catch (e) {
      if (signal.aborted) throw ensureError(e);
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
      const detail = timeout.aborted
        ? `no response from ${spec.url.origin} within ${this.settings.timeoutMs} ms`
        : `${spec.method} ${spec.url.origin}${spec.url.pathname} failed: ${describeFetchError(e)}`;
      const kind = timeout.aborted ? 'timeout' : 'communication';
      return {
        kind: 'retryable',
        error: dslError(kind, { detail, instance: request.taskPath }),
        delayMs: this.settings.retryDelayMs,
      };
    }
    return this.outcome(request, spec, response);
  }

  private async outcome(request: TaskRequest, spec: HttpRequestSpec, response: Response): Promise<TaskOutcome> {
    const bytes = await readLimited(response, this.settings.maxResponseBytes);
    if (bytes === undefined) {
      return {
        kind: 'failed',
        error: dslError('communication', {
          status: response.status,
          detail: `response body exceeds ${this.settings.maxResponseBytes} bytes`,
          instance: request.taskPath,
        }),
      };
    }
    const content = decodeBody(bytes, response.headers.get('content-type'));
    const okLimit = spec.followRedirects ? 400 : 300;
    if (response.status < 200 || response.status >= okLimit) {
      return {
        kind: 'failed',
        error: dslError('communication', {
          status: response.status,
          title: response.statusText || `HTTP ${response.status}`,
          detail: `${spec.method} ${spec.url.origin}${spec.url.pathname} returned ${response.status}`,
          instance: request.taskPath,
        }),
      };
    }
    switch (spec.output) {
      case 'raw':
        return { kind: 'completed', output: Buffer.from(bytes).toString('base64') };
      case 'response':
        return {
          kind: 'completed',
          output: {
            request: { method: spec.method, uri: spec.url.toString(), headers: spec.publicHeaders },
            statusCode: response.status,
            headers: Object.fromEntries(response.headers.entries()),
            content,
          },
        };
      case 'content':
        return { kind: 'completed', output: content };
    }
  }
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies are parsed; anything else is returned as text (empty body → null). */
function decodeBody(bytes: Uint8Array, contentType: string | null): JsonValue {
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
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error.message;
}

function blockedCause(e: unknown): BlockedDestinationError | undefined {
  for (let current: unknown = e, depth = 0; current && depth < 5; depth++) {
    if (current instanceof BlockedDestinationError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
