import type { JsonValue } from '../json';

/** A CloudEvents 1.0 envelope in structured JSON form. */
export interface CloudEvent<TType extends string = string, TData = JsonValue> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: TType;
  readonly subject?: string;
  /** RFC 3339 */
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: TData;
  /** Extension attributes (lower-case alphanumeric names, per the spec). */
  readonly [extension: string]: unknown;
}
