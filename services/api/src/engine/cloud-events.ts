import type { CloudEvent, ErrorDetail, JsonValue } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';

const REQUIRED = ['id', 'source', 'type'] as const;
const OPTIONAL_STRINGS = ['subject', 'time', 'datacontenttype', 'dataschema'] as const;
// CloudEvents 1.0: attribute names are lower-case ASCII letters and digits, at most 20 long.
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

/**
 * The CloudEvents of a `POST /events` body: one event in structured JSON, or an array of them.
 * Every problem of every event is reported at once, each with its JSON pointer.
 * @throws ValidationError when the body is not one or more valid CloudEvents 1.0
 */
export function readCloudEvents(body: JsonValue | undefined): CloudEvent[] {
  if (body === undefined) throw new ValidationError('the request body must be a CloudEvent or an array of them');
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new ValidationError('the array of events is empty');
  const details = items.flatMap((item, i) => problemsOf(item, Array.isArray(body) ? `/${i}` : ''));
  if (details.length > 0) {
    throw new ValidationError(`invalid CloudEvent: ${details[0]!.path} ${details[0]!.message}`, details);
  }
  // problemsOf checked exactly the envelope CloudEvent declares.
  return items as unknown as CloudEvent[];
}

function problemsOf(item: JsonValue, at: string): ErrorDetail[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return [{ path: at || '/', message: 'must be a JSON object (a CloudEvent in structured mode)' }];
  }
  const details: ErrorDetail[] = [];
  if (item.specversion !== '1.0') {
    details.push({ path: `${at}/specversion`, message: "must be '1.0'" });
  }
  for (const name of REQUIRED) {
    const value = item[name];
    if (typeof value !== 'string' || value === '') {
      details.push({ path: `${at}/${name}`, message: 'is required and must be a non-empty string' });
    }
  }
  for (const name of OPTIONAL_STRINGS) {
    if (item[name] !== undefined && typeof item[name] !== 'string') {
      details.push({ path: `${at}/${name}`, message: 'must be a string' });
    }
  }
  if (typeof item.time === 'string' && Number.isNaN(Date.parse(item.time))) {
    details.push({ path: `${at}/time`, message: 'must be an RFC 3339 timestamp' });
  }
  for (const name of Object.keys(item)) {
    if (name !== 'data' && name !== 'data_base64' && !ATTRIBUTE_NAME.test(name)) {
      details.push({
        path: `${at}/${name}`,
        message: 'attribute names are lower-case letters and digits (at most 20)',
      });
    }
  }
  return details;
}
