import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { DslError, JsonObject, JsonValue, TaskExecutor, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { dslError, ensureError } from '@wormhole/interfaces';
import { RESOURCES_CALL } from '@wormhole/dsl';
import type { HttpExchange } from './http-exchange';
import { buildHttpRequest } from './http-request';
import { argumentsFailure } from './http-call-executor';

export interface ResourceCacheSettings {
  /** How long a document read once is reused (by any execution of the same tenant) before it is read again. */
  readonly ttlMs: number;
  /** Most documents kept; the oldest read goes first. */
  readonly maxDocuments: number;
}

const DEFAULT_CACHE: ResourceCacheSettings = { ttlMs: 5 * 60_000, maxDocuments: 500 };

/** Most documents one request may ask for: a document naming thousands is a mistake, not a workflow. */
const MAX_RESOURCES = 100;

/**
 * The documents a run needs before its first task (catalog functions, schema resources; the DSL
 * runtime's `resources.ts` asks for them as `call: wormhole.resources`). Each is a GET through
 * the same guarded exchange as `call: http` (network policy, time limit, size limit, the
 * endpoint's `authentication`), parsed as YAML (JSON is YAML). The outcome always completes,
 * with each URI's `document` or the `error` that kept it out: the worker raises that error on the
 * task that needs the document, where a `try` can catch it; a run that never reaches that task is
 * not failed by it. Documents are cached per tenant, URL and credentials for a few minutes, so a
 * busy workflow does not fetch its catalog for every execution; each execution still records
 * what it used in its own history.
 */
export class ResourceFetchExecutor implements TaskExecutor {
  readonly kind = `call:${RESOURCES_CALL}`;

  private readonly documents = new Map<string, { document: JsonValue; expiresAt: number }>();

  constructor(
    private readonly exchange: HttpExchange,
    private readonly cache: ResourceCacheSettings = DEFAULT_CACHE,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    const asked = requestedResources(request.task.with);
    if (asked === undefined) {
      return argumentsFailure(
        request,
        new Error(`with.resources must be a list of at most ${MAX_RESOURCES} documents`),
      );
    }
    const answers = await Promise.all(asked.map((item) => this.answer(request, item, signal)));
    return { kind: 'completed', output: Object.fromEntries(answers) };
  }

  private async answer(request: TaskRequest, item: AskedResource, signal: AbortSignal): Promise<[string, JsonValue]> {
    const { uri } = item;
    const key = cacheKey(request.tenantId, item.endpoint);
    const cached = this.documents.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return [uri, { document: cached.document }];
    const read = await this.read(request, item.endpoint, uri, signal);
    if ('error' in read) return [uri, { error: read.error as unknown as JsonObject }];
    this.remember(key, read.document);
    return [uri, { document: read.document }];
  }

  private async read(
    request: TaskRequest,
    endpoint: JsonValue,
    uri: string,
    signal: AbortSignal,
  ): Promise<{ document: JsonValue } | { error: DslError }> {
    const get: TaskRequest = {
      ...request,
      task: {
        call: 'http',
        with: {
          method: 'get',
          endpoint,
          output: 'raw',
          redirect: true,
          headers: { accept: 'application/yaml, application/json;q=0.9, text/yaml;q=0.9, */*;q=0.5' },
        },
      },
    };
    let outcome: TaskOutcome;
    try {
      outcome = await this.exchange.send(get, buildHttpRequest(get), signal);
    } catch (e) {
      if (signal.aborted) throw e;
      const failed = argumentsFailure(request, e);
      return { error: failed.kind === 'failed' ? failed.error : dslError('runtime', { detail: String(e) }) };
    }
    if (outcome.kind === 'failed' || outcome.kind === 'retryable') return { error: outcome.error };
    if (outcome.kind !== 'completed' || typeof outcome.output !== 'string') {
      return { error: dslError('runtime', { detail: `no document read from ${uri}`, instance: request.taskPath }) };
    }
    const text = Buffer.from(outcome.output, 'base64').toString('utf8');
    try {
      return { document: (parseYaml(text) as JsonValue | undefined) ?? null };
    } catch (e) {
      const detail = `${uri} is neither JSON nor YAML: ${ensureError(e).message.split('\n')[0] ?? ''}`;
      return { error: dslError('configuration', { detail, instance: request.taskPath }) };
    }
  }

  private remember(key: string, document: JsonValue): void {
    this.documents.delete(key);
    this.documents.set(key, { document, expiresAt: this.now() + this.cache.ttlMs });
    while (this.documents.size > this.cache.maxDocuments) this.documents.delete(this.documents.keys().next().value!);
  }
}

/** One document asked for: its key in the answer, and the endpoint to GET. */
interface AskedResource {
  readonly uri: string;
  readonly endpoint: JsonValue;
}

function requestedResources(args: JsonValue | undefined): AskedResource[] | undefined {
  const list = args !== null && typeof args === 'object' && !Array.isArray(args) ? args.resources : undefined;
  if (!Array.isArray(list) || list.length > MAX_RESOURCES) return undefined;
  const items: AskedResource[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || typeof item.uri !== 'string') {
      return undefined;
    }
    items.push({ uri: item.uri, endpoint: item.endpoint ?? null });
  }
  return items;
}

/** Tenant, URL and credentials (hashed: the key never holds a secret): one tenant never reads another's copy. */
function cacheKey(tenantId: string, endpoint: JsonValue): string {
  return createHash('sha256')
    .update(`${tenantId}\n${JSON.stringify(endpoint)}`)
    .digest('hex');
}
