import type { TaskExecutor, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { argumentsFailure } from './http-call-executor';
import type { HttpExchange } from './http-exchange';
import { OpenApiDescription } from './openapi-description';
import { buildOpenApiRequest, openApiDocumentUrl } from './openapi-request';

export interface OpenApiCacheSettings {
  /** How long a document read once is reused before it is read again. */
  readonly ttlMs: number;
  /** Most documents kept; the oldest read goes first. */
  readonly maxDocuments: number;
}

const DEFAULT_CACHE: OpenApiCacheSettings = { ttlMs: 5 * 60_000, maxDocuments: 100 };

/**
 * `call: openapi`: reads the OpenAPI (3.x) or Swagger (2.0) document through the same guarded
 * HTTP pool as `call: http` (so internal addresses stay blocked for documents too), finds the
 * operation, builds its request from `parameters` and sends it like `call: http` (same outputs,
 * errors, limits and `Idempotency-Key`). Documents are cached per URL for a few minutes, so a
 * busy workflow does not fetch its description on every step.
 */
export class OpenApiCallExecutor implements TaskExecutor {
  readonly kind = 'call:openapi';

  private readonly documents = new Map<string, { description: OpenApiDescription; expiresAt: number }>();

  constructor(
    private readonly exchange: HttpExchange,
    private readonly cache: OpenApiCacheSettings = DEFAULT_CACHE,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    try {
      const documentUrl = openApiDocumentUrl(request);
      const loaded = await this.description(request, documentUrl, signal);
      if ('failed' in loaded) return loaded.failed;
      return await this.exchange.send(request, buildOpenApiRequest(request, loaded), signal);
    } catch (e) {
      if (signal.aborted) throw e;
      return argumentsFailure(request, e);
    }
  }

  private async description(
    request: TaskRequest,
    url: URL,
    signal: AbortSignal,
  ): Promise<OpenApiDescription | { failed: TaskOutcome }> {
    const cached = this.documents.get(url.href);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.description;
    const read = await this.exchange.fetchText(request, url, signal);
    if ('failed' in read) return { failed: documentUnreadable(read.failed, url) };
    const description = OpenApiDescription.parse(read.text, url);
    this.documents.delete(url.href);
    this.documents.set(url.href, { description, expiresAt: this.now() + this.cache.ttlMs });
    while (this.documents.size > this.cache.maxDocuments) {
      this.documents.delete(this.documents.keys().next().value!);
    }
    return description;
  }
}

/** The document's own failure, its detail saying that it was the OpenAPI document that failed. */
function documentUnreadable(outcome: TaskOutcome, url: URL): TaskOutcome {
  if (outcome.kind === 'completed' || outcome.kind === 'deferred') return outcome;
  const detail = `the OpenAPI document ${url.href} could not be read: ${outcome.error.detail ?? outcome.error.title ?? ''}`;
  return { ...outcome, error: { ...outcome.error, detail } };
}
