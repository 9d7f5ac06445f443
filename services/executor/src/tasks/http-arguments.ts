import type { DslErrorKind, JsonValue } from '@wormhole/interfaces';

/** The task's arguments are unusable; `kind` is the DSL error type to raise. */
export class HttpArgumentsError extends Error {
  constructor(
    readonly kind: DslErrorKind,
    message: string,
  ) {
    super(message);
  }
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

/** `text` as an http(s) URL of an authentication policy (`authority`, `endpoints.token`, …). */
export function httpUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpArgumentsError('configuration', `authentication ${what} '${text}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpArgumentsError('configuration', `authentication ${what} '${text}' is not http or https`);
  }
  return url;
}
