/*
 * The pure half of out-of-line storage: which fields may be offloaded, when a value is large
 * enough to go out of line, and how a stored field reads back (a value, or a reference to fetch).
 * No I/O here; BlobCodec does the fetching and storing.
 */
import type { BlobRef, EngineEventPayloads, EngineEventType, JsonValue } from '@wormhole/interfaces';
import { BLOB_ESCAPE_KEY, BLOB_REF_KEY, isBlobRef } from '@wormhole/interfaces';

/** Fields of an execution row that carry user data. */
export const EXECUTION_FIELDS = ['input', 'output'] as const;
/** Fields of a step run that carry user data. */
export const STEP_RUN_FIELDS = ['input', 'output'] as const;
/** A snapshot's folded state goes out of line as a whole. */
export const SNAPSHOT_FIELDS = ['state'] as const;

/**
 * The `data` fields of each engine event that carry user data (inputs, outputs, `$context`, a
 * task definition with its expressions evaluated, a user's CloudEvent). Keyed by the catalogue,
 * so a new event type without an entry, or a misspelt field, fails to compile.
 */
export const EVENT_DATA_FIELDS: { readonly [K in EngineEventType]: readonly (keyof EngineEventPayloads[K])[] } = {
  'io.wormhole.execution.started': ['input'],
  'io.wormhole.execution.completed': ['output'],
  'io.wormhole.execution.faulted': [],
  'io.wormhole.execution.cancelled': [],
  'io.wormhole.task.requested': ['input', 'task'],
  'io.wormhole.task.started': ['input', 'raw_input', 'context'],
  'io.wormhole.task.completed': ['output', 'context'],
  'io.wormhole.task.failed': ['context'],
  'io.wormhole.task.retrying': [],
  'io.wormhole.timer.scheduled': [],
  'io.wormhole.timer.fired': [],
  'io.wormhole.event.emitted': ['event'],
  'io.wormhole.event.received': ['event'],
  'io.wormhole.event.published': ['event'],
  'io.wormhole.listen.started': [],
};

/** Where a value goes: stays in the row or event (possibly escaped), or out of line as this JSON text. */
export type Placement = { readonly inline: JsonValue } | { readonly outOfLine: string };

/** What a stored field holds: the value itself, or a reference to fetch. */
export type Stored = { readonly inline: JsonValue } | { readonly ref: BlobRef };

/**
 * A value whose UTF-8 JSON encoding is longer than `thresholdBytes` goes out of line; one of
 * exactly `thresholdBytes` stays. A user value that could be read as a reference is wrapped.
 */
export function place(value: JsonValue, thresholdBytes: number): Placement {
  const json = JSON.stringify(value);
  if (exceeds(json, thresholdBytes)) return { outOfLine: json };
  return { inline: isReserved(value) ? { [BLOB_ESCAPE_KEY]: value } : value };
}

/** The inverse of `place` for what was kept: a reference, an escaped value, or a plain value. */
export function readStored(stored: JsonValue): Stored {
  if (isBlobRef(stored)) return { ref: stored };
  if (isPlainObject(stored)) {
    const keys = Object.keys(stored);
    if (keys.length === 1 && keys[0] === BLOB_ESCAPE_KEY) return { inline: stored[BLOB_ESCAPE_KEY] ?? null };
  }
  return { inline: stored };
}

/**
 * A copy of `record` with each listed field that is present replaced by `swap(value)`; the
 * record itself when nothing changed. Only the field's own value is swapped: what is nested
 * inside it is never looked at, so a large value deep inside a small one stays where it is.
 */
export async function mapFields<T extends object>(
  record: T,
  fields: readonly PropertyKey[],
  swap: (value: JsonValue) => Promise<JsonValue>,
): Promise<T> {
  const source = record as Record<PropertyKey, JsonValue | undefined>;
  let copy: Record<PropertyKey, JsonValue | undefined> | undefined;
  for (const field of fields) {
    const value = source[field];
    if (value === undefined) continue;
    const next = await swap(value);
    if (next === value) continue;
    copy ??= { ...source };
    copy[field] = next;
  }
  // The copy has the record's own fields; only JSON values of listed fields were replaced.
  return (copy as T | undefined) ?? record;
}

/** Objects whose own keys include a reserved key would read back as a reference or an escape. */
function isReserved(value: JsonValue): boolean {
  return isPlainObject(value) && (Object.hasOwn(value, BLOB_REF_KEY) || Object.hasOwn(value, BLOB_ESCAPE_KEY));
}

function isPlainObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether the UTF-8 encoding of `text` is longer than `thresholdBytes`, without encoding it when
 * the UTF-16 length already decides: each code unit is 1 to 3 bytes (a surrogate pair, 2 units, is 4).
 */
function exceeds(text: string, thresholdBytes: number): boolean {
  if (text.length > thresholdBytes) return true;
  if (text.length * 3 <= thresholdBytes) return false;
  return Buffer.byteLength(text, 'utf8') > thresholdBytes;
}
