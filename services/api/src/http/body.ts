import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JsonValue } from '@wormhole/interfaces';
import { UnsupportedMediaTypeError, ValidationError } from '@wormhole/interfaces';
import { assertPlainJson, parseWorkflowText } from '@wormhole/dsl';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** How a request body was sent, for routes that accept YAML documents too. */
export type BodyFormat = 'json' | 'yaml' | 'none';

export interface ParsedBody {
  readonly format: BodyFormat;
  readonly value: JsonValue | undefined;
}

/**
 * Reads every request body as bytes under the size limit (413 before any work), then parses it
 * by content type: JSON, or YAML where a route allows it. Anything else is 415.
 */
export function bodyReader(limitBytes: number): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: limitBytes });
  const parse = (req: Request, _res: Response, next: NextFunction): void => {
    const bytes: unknown = req.body;
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.alloc(0);
    (req as Request & { parsed: ParsedBody }).parsed = parseBody(buffer, req.header('content-type'));
    next();
  };
  return [raw, parse];
}

function parseBody(buffer: Buffer, contentTypeHeader: string | undefined): ParsedBody {
  if (buffer.length === 0) return { format: 'none', value: undefined };
  const contentType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  const text = buffer.toString('utf8');
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(`malformed JSON body: ${(e as Error).message}`);
    }
    assertPlainJson(value, '', 0);
    return { format: 'json', value };
  }
  if (YAML_TYPES.has(contentType)) return { format: 'yaml', value: parseWorkflowText(text) };
  throw new UnsupportedMediaTypeError(contentType || '(none)');
}

export function parsedBody(req: Request): ParsedBody {
  return (req as Request & { parsed?: ParsedBody }).parsed ?? { format: 'none', value: undefined };
}

/** The JSON object body of a route that takes one (an empty body counts as `{}`). */
export function objectBody(req: Request): Record<string, JsonValue> {
  const { format, value } = parsedBody(req);
  if (format === 'none') return {};
  if (format === 'yaml') throw new UnsupportedMediaTypeError('application/yaml');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('the request body must be a JSON object');
  }
  return value;
}
