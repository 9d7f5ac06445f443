import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import { HttpArgumentsError } from './http-request';

/** Where a parameter of an operation goes in the request. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';

export interface OperationParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  /** How an array is written in a query: repeated (`multi`, OpenAPI 3 `explode`) or joined. */
  readonly arrayFormat: 'multi' | 'csv' | 'ssv' | 'tsv' | 'pipes';
}

/** One operation of the document, everything needed to build its request. */
export interface Operation {
  readonly id: string;
  readonly method: string;
  /** The path template, e.g. `/pet/{petId}`. */
  readonly path: string;
  readonly parameters: readonly OperationParameter[];
  /** OpenAPI 3 `requestBody`: the media type to send, when the operation takes a body. */
  readonly bodyMediaType?: string;
  /** Swagger 2 `consumes` (operation, else document), the media type of body and form parameters. */
  readonly consumes?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LOCATIONS = new Set<ParameterLocation>(['path', 'query', 'header', 'cookie', 'body', 'formData']);

/**
 * A parsed OpenAPI 3.x or Swagger 2.0 description: its operations by `operationId` and the base
 * URL requests go to. Only local references (`#/…`) are followed; a document that is neither
 * version, or an operation that cannot be read, is a configuration error naming it.
 */
export class OpenApiDescription {
  private readonly operations = new Map<string, Operation>();

  private constructor(
    private readonly document: JsonObject,
    /** Where the document was read from: relative server URLs and a missing host resolve against it. */
    readonly source: URL,
  ) {
    this.indexOperations();
  }

  /** Parses JSON or YAML text read from `source`. */
  static parse(text: string, source: URL): OpenApiDescription {
    let parsed: unknown;
    try {
      parsed = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new HttpArgumentsError(
        'configuration',
        `OpenAPI document ${source.href} is neither JSON nor YAML: ${String(e)}`,
      );
    }
    if (!isObject(parsed) || (typeof parsed.openapi !== 'string' && parsed.swagger !== '2.0')) {
      throw new HttpArgumentsError(
        'configuration',
        `${source.href} is not an OpenAPI 3.x or Swagger 2.0 document (no 'openapi' or 'swagger: "2.0"' field)`,
      );
    }
    return new OpenApiDescription(parsed, source);
  }

  /** @throws HttpArgumentsError (configuration) when the document has no such operation */
  operation(operationId: string): Operation {
    const operation = this.operations.get(operationId);
    if (operation === undefined) {
      throw new HttpArgumentsError(
        'configuration',
        `operation '${operationId}' is not in the OpenAPI document ${this.source.href}`,
      );
    }
    return operation;
  }

  /** The URL that operation paths are appended to (no trailing slash). */
  baseUrl(): string {
    const base = this.isSwagger2() ? this.swaggerBase() : this.serverBase();
    return base.replace(/\/+$/, '');
  }

  private isSwagger2(): boolean {
    return this.document.swagger === '2.0';
  }

  /** Swagger 2: `schemes` (the document's own scheme when listed), `host` (else the document's), `basePath`. */
  private swaggerBase(): string {
    const schemes = Array.isArray(this.document.schemes) ? this.document.schemes.filter(isString) : [];
    const own = this.source.protocol.replace(':', '');
    const scheme = schemes.length === 0 || schemes.includes(own) ? own : schemes[0]!;
    const host = typeof this.document.host === 'string' ? this.document.host : this.source.host;
    const basePath = typeof this.document.basePath === 'string' ? this.document.basePath : '';
    return `${scheme}://${host}${basePath}`;
  }

  /** OpenAPI 3: the first server, its variables at their defaults, relative to the document. */
  private serverBase(): string {
    const servers = Array.isArray(this.document.servers) ? this.document.servers.filter(isObject) : [];
    const server = servers[0];
    if (server === undefined || typeof server.url !== 'string') return this.source.origin;
    const variables = isObject(server.variables) ? server.variables : {};
    const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
    });
    return new URL(url, this.source).href;
  }

  private indexOperations(): void {
    const paths = isObject(this.document.paths) ? this.document.paths : {};
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = this.resolve(rawItem);
      if (!isObject(item)) continue;
      const shared = this.parameters(item.parameters);
      for (const method of METHODS) {
        const operation = item[method];
        if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
        // Operation parameters override path-level ones with the same name and location.
        const own = this.parameters(operation.parameters);
        const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
        this.operations.set(operation.operationId, {
          id: operation.operationId,
          method: method.toUpperCase(),
          path,
          parameters,
          bodyMediaType: this.bodyMediaType(operation.requestBody),
          consumes: firstString(operation.consumes) ?? firstString(this.document.consumes),
        });
      }
    }
  }

  private parameters(raw: JsonValue | undefined): OperationParameter[] {
    if (!Array.isArray(raw)) return [];
    const parameters: OperationParameter[] = [];
    for (const entry of raw) {
      const parameter = this.resolve(entry);
      if (!isObject(parameter) || typeof parameter.name !== 'string') continue;
      const location = parameter.in as ParameterLocation;
      if (!LOCATIONS.has(location)) continue;
      parameters.push({
        name: parameter.name,
        in: location,
        required: parameter.required === true || location === 'path',
        arrayFormat: arrayFormat(parameter, this.isSwagger2()),
      });
    }
    return parameters;
  }

  private bodyMediaType(raw: JsonValue | undefined): string | undefined {
    const body = this.resolve(raw);
    if (!isObject(body) || !isObject(body.content)) return undefined;
    const types = Object.keys(body.content);
    return types.find((type) => /json/i.test(type)) ?? types[0];
  }

  /** Follows a local `$ref` (`#/components/parameters/x`), a few levels deep at most. */
  private resolve(value: JsonValue | undefined, depth = 0): JsonValue | undefined {
    if (!isObject(value) || typeof value.$ref !== 'string') return value;
    if (!value.$ref.startsWith('#/') || depth > 8) {
      throw new HttpArgumentsError(
        'configuration',
        `OpenAPI reference '${value.$ref}' in ${this.source.href} cannot be followed (only local references are)`,
      );
    }
    let target: JsonValue | undefined = this.document;
    for (const token of value.$ref.slice(2).split('/')) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    return this.resolve(target, depth + 1);
  }
}

function arrayFormat(parameter: JsonObject, swagger2: boolean): OperationParameter['arrayFormat'] {
  if (swagger2) {
    const format = parameter.collectionFormat;
    return format === 'multi' || format === 'ssv' || format === 'tsv' || format === 'pipes' ? format : 'csv';
  }
  // OpenAPI 3: query parameters default to style form with explode, i.e. repeated.
  if (parameter.explode === false) {
    return parameter.style === 'spaceDelimited' ? 'ssv' : parameter.style === 'pipeDelimited' ? 'pipes' : 'csv';
  }
  return 'multi';
}

function firstString(value: JsonValue | undefined): string | undefined {
  return Array.isArray(value) ? value.find(isString) : undefined;
}

function isString(value: JsonValue): value is string {
  return typeof value === 'string';
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
