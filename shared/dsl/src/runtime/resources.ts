import type { DslError, JsonObject, JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { DslFault, configurationFault } from './errors';

/*
 * External resources a run needs before its first task: the function documents of catalog calls
 * (`call: <name>:<version>@<catalog>`, dsl.md "Catalogs") and the schemas given as `resource`.
 * The decider cannot fetch (it is pure and replays), so it asks the executor for all of them at
 * once, as a task at the virtual path `RESOURCES_PATH`, and the executor's `task.completed` puts
 * each document (or the error that kept it out) in the history. Every later decision, and every
 * replay, reads them from the state: a catalog that changes mid-run does not change the run.
 */

/** Path of the virtual task that fetches a run's external resources (no task has an `@resources` property). */
export const RESOURCES_PATH = '/@resources';
/** `call` of that task; the executor registers under `call:wormhole.resources`. */
export const RESOURCES_CALL = 'wormhole.resources';
/** Function documents may call catalog functions or name schemas in turn: this many rounds at most. */
export const MAX_RESOURCE_ROUNDS = 5;

export type ResourceKind = 'function' | 'schema';

/** One document to fetch: `uri` is its key in the state, `endpoint` what the executor GETs (with its authentication). */
export interface ResourceRequest {
  readonly uri: string;
  readonly kind: ResourceKind;
  readonly endpoint: JsonValue;
}

/** A fetched document, or why it could not be had. */
export type ResolvedResource =
  | { readonly kind: ResourceKind; readonly document: JsonValue }
  | { readonly kind: ResourceKind; readonly error: DslError };

export type ResolvedResources = Readonly<Record<string, ResolvedResource>>;

/** A catalog function reference: `{functionName}:{functionVersion}@{catalogName}`. */
const CATALOG_REFERENCE = /^([^:@/\s]+):([^@/\s]+)@([^@/\s]+)$/;

/** Properties whose values are data, not definitions: nothing inside them is resolved. */
const DATA_KEYS: ReadonlySet<string> = new Set(['with', 'set', 'metadata', 'emit', 'arguments', 'environment']);

export interface CatalogReference {
  readonly name: string;
  readonly version: string;
  readonly catalog: string;
}

export function catalogReference(call: string): CatalogReference | undefined {
  const match = CATALOG_REFERENCE.exec(call);
  if (match === null) return undefined;
  return { name: match[1]!, version: match[2]!, catalog: match[3]! };
}

/**
 * The documents a run still needs: every catalog function and schema resource named by the
 * workflow, or by the function documents already fetched, that the state holds no answer for.
 * References the runtime cannot resolve without running (an undeclared catalog, a URI that is an
 * expression) are left out: using them is a configuration error at the task.
 */
export function missingResources(document: WorkflowDocument, resources: ResolvedResources): ResourceRequest[] {
  const found = new Map<string, ResourceRequest>();
  const collect = (request: ResourceRequest | undefined): void => {
    if (request !== undefined && resources[request.uri] === undefined) found.set(request.uri, request);
  };
  const roots: JsonValue[] = [document as unknown as JsonObject];
  for (const resolved of Object.values(resources)) {
    if (resolved.kind === 'function' && 'document' in resolved) roots.push(resolved.document);
  }
  for (const root of roots) {
    walkDefinitions(root, (key, value) => {
      if (key === 'call' && typeof value === 'string') {
        const reference = catalogReference(value);
        if (reference !== undefined) collect(functionRequest(document, reference));
        else if (isFunctionUri(value)) collect({ uri: value, kind: 'function', endpoint: value });
      } else if (key === 'schema') {
        collect(schemaRequest(value));
      }
    });
  }
  return [...found.values()];
}

/**
 * Calls `visit` for every property of the definitions in `value` (depth first, with its JSON
 * pointer), skipping the data properties (`DATA_KEYS`), whose contents are never definitions.
 */
export function walkDefinitions(
  value: JsonValue,
  visit: (key: string, value: JsonValue, path: string) => void,
  path = '',
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkDefinitions(item, visit, `${path}/${index}`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (DATA_KEYS.has(key)) continue;
    const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    visit(key, child, childPath);
    walkDefinitions(child, visit, childPath);
  }
}

/** Where a catalog function's document is, and with what authentication; undefined when it cannot be known before running. */
function functionRequest(document: WorkflowDocument, reference: CatalogReference): ResourceRequest | undefined {
  const catalog = declaredCatalogs(document)[reference.catalog];
  if (catalog === undefined) return undefined;
  const endpoint = literalEndpoint(isObject(catalog) ? catalog.endpoint : undefined);
  if (endpoint === undefined) return undefined;
  const uri = catalogFunctionUri(endpoint.uri, reference);
  const target = endpoint.authentication === undefined ? uri : { uri, authentication: endpoint.authentication };
  return { uri, kind: 'function', endpoint: target };
}

function schemaRequest(schema: JsonValue): ResourceRequest | undefined {
  const uri = schemaResourceUri(schema);
  if (uri === undefined || !isObject(schema) || !isObject(schema.resource)) return undefined;
  return { uri, kind: 'schema', endpoint: schema.resource.endpoint ?? null };
}

/** The literal URI of a schema given as a `resource` (not when it has an inline `document`). */
export function schemaResourceUri(schema: JsonValue | undefined): string | undefined {
  if (!isObject(schema) || schema.document !== undefined || !isObject(schema.resource)) return undefined;
  return literalEndpoint(schema.resource.endpoint)?.uri;
}

function declaredCatalogs(document: WorkflowDocument): Record<string, JsonValue> {
  const use = document.use as JsonObject | undefined;
  const catalogs = use?.catalogs;
  return isObject(catalogs) ? catalogs : {};
}

/** `endpoint` as a URI and its authentication, when the URI is a literal (not a runtime expression). */
function literalEndpoint(endpoint: JsonValue | undefined): { uri: string; authentication?: JsonValue } | undefined {
  const uri = typeof endpoint === 'string' ? endpoint : isObject(endpoint) ? endpoint.uri : undefined;
  if (typeof uri !== 'string' || /^\s*\$\{/.test(uri)) return undefined;
  const authentication = isObject(endpoint) ? endpoint.authentication : undefined;
  return { uri, ...(authentication !== undefined && { authentication }) };
}

/**
 * `{endpoint}/functions/{name}/{version}/function.yaml` (the catalog's file structure). A GitHub or
 * GitLab repository page becomes its raw content, as dsl.md asks: `github.com/<o>/<r>/tree/<ref>`
 * → `raw.githubusercontent.com/<o>/<r>/refs/heads/<ref>`, a bare repository reading branch `main`.
 */
export function catalogFunctionUri(endpoint: string, reference: CatalogReference): string {
  const base = rawRepositoryBase(endpoint.replace(/\/+$/, ''));
  return `${base}/functions/${encodeURIComponent(reference.name)}/${encodeURIComponent(reference.version)}/function.yaml`;
}

function rawRepositoryBase(base: string): string {
  const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/(?:tree|blob)\/([^/]+)(\/.*)?)?$/.exec(base);
  if (github !== null) {
    const [, owner, repo, ref = 'main', rest = ''] = github;
    return `https://raw.githubusercontent.com/${owner}/${repo}/refs/heads/${ref}${rest}`;
  }
  const gitlab = /^(https:\/\/gitlab\.com\/.+?)\/-\/(?:tree|blob)\/(.+)$/.exec(base);
  if (gitlab !== null) return `${gitlab[1]}/-/raw/${gitlab[2]}`;
  return base;
}

/**
 * A function called by the URI of its document (dsl.md, "Using a Custom Function", and the spec
 * example `call-custom-function-cataloged.yaml`): an absolute http(s) URI.
 */
export function isFunctionUri(call: string): boolean {
  return /^https?:\/\/\S+$/.test(call);
}

/** The document of a function called by its URI, as the executor fetched it. */
export function functionAt(uri: string, resources: ResolvedResources): JsonObject {
  const resolved = fetched(resources, uri, `function '${uri}'`);
  if (!isObject(resolved)) throw configurationFault(`function '${uri}' is not a task definition`);
  return resolved;
}

/**
 * The document of catalog function `call`, as the executor fetched it.
 * @throws DslFault configuration error for an undeclared catalog, a function the catalog does not
 *   have (404) or a document that is not a task; the fetch's own error (communication, …) otherwise
 */
export function catalogFunction(document: WorkflowDocument, call: string, resources: ResolvedResources): JsonObject {
  const reference = catalogReference(call);
  if (reference === undefined) throw configurationFault(`'${call}' is not a catalog function reference`);
  const catalog = declaredCatalogs(document)[reference.catalog];
  if (catalog === undefined) {
    throw configurationFault(`'${call}': no catalog named '${reference.catalog}' in use.catalogs`);
  }
  const request = functionRequest(document, reference);
  if (request === undefined) {
    throw configurationFault(`'${call}': the endpoint of catalog '${reference.catalog}' must be a literal URI`);
  }
  const resolved = fetched(resources, request.uri, `function '${call}'`);
  if (!isObject(resolved)) throw configurationFault(`function '${call}' (${request.uri}) is not a task definition`);
  return resolved;
}

/**
 * The schema document a `schema.resource` names, as the executor fetched it.
 * @throws DslFault configuration error for an expression URI, a missing document (404) or one that
 *   is not an object; the fetch's own error otherwise
 */
export function schemaResource(schema: JsonValue, resources: ResolvedResources, what: string): JsonObject {
  const uri = schemaResourceUri(schema);
  if (uri === undefined) {
    throw configurationFault(`the ${what} schema resource needs a literal endpoint URI (expressions are not resolved)`);
  }
  const resolved = fetched(resources, uri, `the ${what} schema`);
  if (!isObject(resolved)) throw configurationFault(`the ${what} schema ${uri} is not a JSON schema object`);
  return resolved;
}

function fetched(resources: ResolvedResources, uri: string, what: string): JsonValue {
  const resolved = resources[uri];
  if (resolved === undefined) throw configurationFault(`${what} (${uri}) was not resolved before the run started`);
  if ('document' in resolved) return resolved.document;
  // The executor's error names the resource task; the task that needs the document is the instance.
  const { instance: _fetcher, ...error } = resolved.error;
  if (error.status === 404) {
    throw new DslFault(
      dslError('configuration', { title: 'Resource not found', detail: `${what}: ${uri} does not exist (404)` }),
    );
  }
  throw new DslFault({
    ...error,
    detail: `${what} could not be fetched from ${uri}: ${error.detail ?? error.title ?? error.type}`,
  });
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
