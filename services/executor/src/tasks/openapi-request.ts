import type { JsonValue, TaskRequest } from '@wormhole/interfaces';
import type { HttpRequestSpec } from './http-request';
import { readAuthenticationPolicy } from './auth/authentication-policy';
import { applyAuthentication, asObject, HttpArgumentsError, outputFormat, scalarText } from './http-request';
import type { OpenApiDescription, OperationParameter } from './openapi-description';

/** The URL of the OpenAPI document a `call: openapi` task names in `with.document`. */
export function openApiDocumentUrl(request: TaskRequest): URL {
  const args = asObject(request.task.with, 'with');
  const document = asObject(args.document, 'with.document');
  const endpoint = document.endpoint ?? document.uri;
  const uri = typeof endpoint === 'string' ? endpoint : asObject(endpoint, 'with.document.endpoint').uri;
  if (typeof uri !== 'string' || uri === '') {
    throw new HttpArgumentsError('configuration', 'with.document.endpoint (the OpenAPI document URL) is required');
  }
  try {
    return new URL(uri);
  } catch {
    throw new HttpArgumentsError('configuration', `OpenAPI document '${uri}' is not an absolute URL`);
  }
}

/**
 * Turns a `call: openapi` task (its runtime expressions already evaluated by the worker) into a
 * request: the operation named by `operationId`, each of `parameters` put where the operation
 * declares it (path, query, header, cookie, body or form). A parameter the operation does not
 * declare goes into the request body when the operation takes one (OpenAPI 3 `requestBody`; a
 * parameter named `body` is the whole body), and is otherwise refused, as is a missing required one.
 */
export function buildOpenApiRequest(request: TaskRequest, description: OpenApiDescription): HttpRequestSpec {
  const args = asObject(request.task.with, 'with');
  if (typeof args.operationId !== 'string' || args.operationId === '') {
    throw new HttpArgumentsError('configuration', 'with.operationId is required');
  }
  const operation = description.operation(args.operationId);
  const values = asObject(args.parameters ?? {}, 'with.parameters');
  const declared = new Set(operation.parameters.map((p) => p.name));
  for (const parameter of operation.parameters) {
    if (parameter.required && values[parameter.name] === undefined) {
      throw new HttpArgumentsError(
        'validation',
        `operation '${operation.id}' requires the ${parameter.in} parameter '${parameter.name}'`,
      );
    }
  }

  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const form = new URLSearchParams();
  let body: JsonValue | undefined;
  for (const parameter of operation.parameters) {
    const value = values[parameter.name];
    if (value === undefined || value === null) continue;
    switch (parameter.in) {
      case 'path':
        path = path.split(`{${parameter.name}}`).join(encodeURIComponent(scalarText(value)));
        break;
      case 'query':
        appendQuery(query, parameter, value);
        break;
      case 'header':
        headers[parameter.name.toLowerCase()] = joined(value, ',');
        break;
      case 'cookie':
        cookies.push(`${parameter.name}=${encodeURIComponent(joined(value, ','))}`);
        break;
      case 'body':
        body = value;
        break;
      case 'formData':
        form.append(parameter.name, joined(value, ','));
        break;
    }
  }
  const undeclared = Object.keys(values).filter((name) => !declared.has(name) && values[name] !== undefined);
  if (operation.bodyMediaType !== undefined && undeclared.length > 0) {
    body = undeclared.includes('body') && undeclared.length === 1 ? values.body : pick(values, undeclared);
  } else if (undeclared.length > 0) {
    throw new HttpArgumentsError(
      'validation',
      `operation '${operation.id}' has no parameter ${undeclared.map((n) => `'${n}'`).join(', ')}`,
    );
  }

  const url = new URL(`${description.baseUrl()}${path}`);
  url.search = query.toString();
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const publicHeaders = { ...headers };
  const authentication =
    args.authentication === undefined
      ? undefined
      : applyAuthentication(readAuthenticationPolicy(asObject(args.authentication, 'with.authentication')), headers);
  headers['idempotency-key'] ??= request.idempotencyKey;
  let encoded: string | undefined;
  if ([...form.keys()].length > 0) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    encoded = form.toString();
  } else if (body !== undefined) {
    headers['content-type'] = operation.bodyMediaType ?? operation.consumes ?? 'application/json';
    encoded = typeof body === 'string' && !/json/i.test(headers['content-type']) ? body : JSON.stringify(body);
  }
  return {
    method: operation.method,
    url,
    headers,
    publicHeaders,
    body: encoded,
    output: outputFormat(args.output),
    followRedirects: args.redirect === true,
    ...(authentication !== undefined && { authentication }),
  };
}

const SEPARATORS = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' } as const;

function appendQuery(query: URLSearchParams, parameter: OperationParameter, value: JsonValue): void {
  if (!Array.isArray(value)) {
    query.append(parameter.name, scalarText(value));
  } else if (parameter.arrayFormat === 'multi') {
    for (const item of value) query.append(parameter.name, scalarText(item));
  } else {
    query.append(parameter.name, joined(value, SEPARATORS[parameter.arrayFormat]));
  }
}

function joined(value: JsonValue, separator: string): string {
  return Array.isArray(value) ? value.map((item) => scalarText(item)).join(separator) : scalarText(value);
}

function pick(values: Record<string, JsonValue | undefined>, names: readonly string[]): JsonValue {
  return Object.fromEntries(names.map((name) => [name, values[name] ?? null]));
}
