import type { JsonValue, TaskRequest } from '@wormhole/interfaces';
import type { AuthenticationPolicy } from './auth/authentication-policy';
import { readAuthenticationPolicy } from './auth/authentication-policy';
import { asObject, HttpArgumentsError, scalarText } from './http-arguments';
import { expandUriTemplate } from './uri-template';

export { asObject, HttpArgumentsError, scalarText } from './http-arguments';

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
  /**
   * A scheme the exchange finishes when it sends the request (digest answers the server's
   * challenge, oauth2/oidc fetch a token); basic and bearer are already in `headers`.
   */
  readonly authentication?: Exclude<AuthenticationPolicy, { scheme: 'header' }>;
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
  const authentication = applyAuthentication(auth, headers);
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
    ...(authentication !== undefined && { authentication }),
  };
}

/** `output` of an HTTP-based call: `content` (default), `response` or `raw`. */
export function outputFormat(value: JsonValue | undefined): HttpOutputFormat {
  const output = (value ?? 'content') as HttpOutputFormat;
  if (!OUTPUTS.has(output)) throw new HttpArgumentsError('configuration', `unknown output format '${String(output)}'`);
  return output;
}

/**
 * Puts a basic or bearer policy's header into `headers`; any other scheme is returned for the
 * exchange to finish.
 */
export function applyAuthentication(
  policy: AuthenticationPolicy | undefined,
  headers: Record<string, string>,
): HttpRequestSpec['authentication'] {
  if (policy === undefined) return undefined;
  if (policy.scheme === 'header') {
    headers.authorization = policy.authorization;
    return undefined;
  }
  return policy;
}

function readEndpoint(endpoint: unknown): { uri: string; auth?: AuthenticationPolicy } {
  if (typeof endpoint === 'string') return { uri: endpoint };
  const config = asObject(endpoint, 'endpoint');
  const uri = typeof config.uri === 'string' ? config.uri : undefined;
  if (!uri) throw new HttpArgumentsError('configuration', 'endpoint.uri is required');
  if (config.authentication === undefined) return { uri };
  return { uri, auth: readAuthenticationPolicy(asObject(config.authentication, 'endpoint.authentication')) };
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
