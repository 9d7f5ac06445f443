import type { DslErrorKind, JsonValue, TaskRequest } from '@wormhole/interfaces';
import { expandUriTemplate } from './uri-template';

export type HttpOutputFormat = 'content' | 'response' | 'raw';

/** A `call: http` task turned into a concrete request. */
export interface HttpRequestSpec {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** Headers as reported in `output: response` (credentials removed). */
  readonly publicHeaders: Record<string, string>;
  readonly body?: string;
  readonly output: HttpOutputFormat;
  readonly followRedirects: boolean;
}

/** The task's arguments are unusable; `kind` is the DSL error type to raise. */
export class HttpArgumentsError extends Error {
  constructor(
    readonly kind: DslErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const OUTPUTS = new Set<HttpOutputFormat>(['content', 'response', 'raw']);

/** Reads `with` of a `call: http` task whose runtime expressions the worker already evaluated. */
export function buildHttpRequest(request: TaskRequest): HttpRequestSpec {
  const args = asObject(request.task.with, 'with');
  const method = scalarText(args.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) throw new HttpArgumentsError('configuration', `unsupported HTTP method '${method}'`);
  const { uri, auth } = readEndpoint(args.endpoint);
  const url = parseUrl(expandUriTemplate(uri, request.input));
  for (const [name, value] of Object.entries(asObject(args.query ?? {}, 'query'))) {
    if (value !== null && value !== undefined) url.searchParams.append(name, scalarText(value));
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(asObject(args.headers ?? {}, 'headers'))) {
    if (value !== null && value !== undefined) headers[name.toLowerCase()] = scalarText(value);
  }
  const publicHeaders = { ...headers };
  if (auth) headers.authorization = auth;
  headers['idempotency-key'] ??= request.idempotencyKey;
  const body = encodeBody(args.body, headers);
  return {
    method,
    url,
    headers,
    publicHeaders,
    body,
    output: outputFormat(args.output),
    followRedirects: args.redirect === true,
  };
}

/** `output` of an HTTP-based call: `content` (default), `response` or `raw`. */
export function outputFormat(value: JsonValue | undefined): HttpOutputFormat {
  const output = (value ?? 'content') as HttpOutputFormat;
  if (!OUTPUTS.has(output)) throw new HttpArgumentsError('configuration', `unknown output format '${String(output)}'`);
  return output;
}

function readEndpoint(endpoint: unknown): { uri: string; auth?: string } {
  if (typeof endpoint === 'string') return { uri: endpoint };
  const config = asObject(endpoint, 'endpoint');
  const uri = typeof config.uri === 'string' ? config.uri : undefined;
  if (!uri) throw new HttpArgumentsError('configuration', 'endpoint.uri is required');
  if (config.authentication === undefined) return { uri };
  return { uri, auth: authorizationHeader(asObject(config.authentication, 'endpoint.authentication')) };
}

/** The `Authorization` header of an inline authentication policy (basic, bearer). */
export function authorizationHeader(policy: Record<string, JsonValue | undefined>): string {
  if (policy.basic !== undefined) {
    const basic = asObject(policy.basic, 'authentication.basic');
    const user = scalarText(basic.username ?? '');
    const password = scalarText(basic.password ?? '');
    return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  if (policy.bearer !== undefined) {
    const token = asObject(policy.bearer, 'authentication.bearer').token;
    if (typeof token !== 'string' || token === '') {
      throw new HttpArgumentsError('authentication', 'bearer token is missing');
    }
    return `Bearer ${token}`;
  }
  if (policy.use !== undefined) {
    throw new HttpArgumentsError('configuration', `authentication policy '${scalarText(policy.use)}' was not resolved`);
  }
  const scheme = Object.keys(policy)[0] ?? 'unknown';
  throw new HttpArgumentsError('configuration', `authentication scheme '${scheme}' is not supported for call: http`);
}

function encodeBody(body: JsonValue | undefined, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' && headers['content-type'] && !/json/i.test(headers['content-type'])) return body;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

function parseUrl(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new HttpArgumentsError('configuration', `endpoint '${uri}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpArgumentsError('configuration', `endpoint scheme '${url.protocol}' is not http or https`);
  }
  return url;
}

export function asObject(value: unknown, what: string): Record<string, JsonValue | undefined> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpArgumentsError('configuration', `${what} must be an object`);
  }
  return value as Record<string, JsonValue | undefined>;
}

export function scalarText(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
