/*
 * Offloading and resolving whole records (events, execution rows, step runs, snapshots): the
 * known fields of each go through the codec; everything else is left as it is.
 */
import type { EngineEvent, JsonValue } from '@wormhole/interfaces';
import type { BlobCodec } from './blob-codec';
import { EVENT_DATA_FIELDS, mapFields } from './offload';

/** Largest number of records of one list resolved at once (each may fetch a blob or two). */
const RESOLVE_CONCURRENCY = 8;

export function offloadRecord<T extends object>(
  codec: BlobCodec,
  tenantId: string,
  record: T,
  fields: readonly PropertyKey[],
): Promise<T> {
  return mapFields(record, fields, (value) => codec.offload(tenantId, value));
}

export function resolveRecord<T extends object>(
  codec: BlobCodec,
  tenantId: string,
  record: T,
  fields: readonly PropertyKey[],
): Promise<T> {
  return mapFields(record, fields, (value) => codec.resolve(tenantId, value));
}

/** Resolves every record of a list, a few at a time, keeping their order. */
export function resolveRecords<T extends object>(
  codec: BlobCodec,
  tenantOf: (record: T) => string,
  records: readonly T[],
  fields: readonly PropertyKey[],
): Promise<T[]> {
  return mapLimit(records, (record) => resolveRecord(codec, tenantOf(record), record, fields));
}

/** The event with its large `data` fields replaced by references (the tenant is the event's). */
export function offloadEvent<E extends EngineEvent>(codec: BlobCodec, event: E): Promise<E> {
  return swapEventData(event, (value) => codec.offload(event.tenantid, value));
}

/** The event with every reference in its `data` fields replaced by the value. */
export function resolveEvent<E extends EngineEvent>(codec: BlobCodec, event: E): Promise<E> {
  return swapEventData(event, (value) => codec.resolve(event.tenantid, value));
}

/** Resolves a list of events, a few at a time, keeping their order. */
export function resolveEvents<E extends EngineEvent>(codec: BlobCodec, events: readonly E[]): Promise<E[]> {
  return mapLimit(events, (event) => resolveEvent(codec, event));
}

async function swapEventData<E extends EngineEvent>(
  event: E,
  swap: (value: JsonValue) => Promise<JsonValue>,
): Promise<E> {
  const fields: readonly PropertyKey[] = EVENT_DATA_FIELDS[event.type];
  if (fields.length === 0) return event;
  const data = await mapFields(event.data, fields, swap);
  return data === event.data ? event : { ...event, data };
}

/** `fn` over every item, at most RESOLVE_CONCURRENCY at once, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, items.length) }, lane));
  return out;
}
