import type { JsonValue } from '@wormhole/interfaces';

/**
 * Expands the simple `{name}` expressions of an endpoint URI template (RFC 6570 level 1) with
 * the task input's top-level values, as the DSL asks of `endpoint.uri`
 * (`https://petstore.swagger.io/v2/pet/{petId}`). Values are percent-encoded like level-1
 * expansion does (every character but the unreserved ones); a missing, null or non-scalar value
 * expands to nothing. Level 1 is all the DSL's own examples use; the RFC 6570 packages on npm
 * that go further are published as ES modules only, which this CommonJS build cannot load.
 */
export function expandUriTemplate(template: string, input: JsonValue): string {
  const scope = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  return template.replace(/\{([A-Za-z0-9_.%]+)\}/g, (_match, name: string) => {
    const value = scope[name];
    if (typeof value === 'string') return encodeUnreserved(value);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return '';
  });
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (UTF-8). */
function encodeUnreserved(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
