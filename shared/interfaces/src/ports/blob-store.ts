import type { BackendHealth } from './repositories';

/**
 * What a large JSON value is replaced with in rows and events once it is stored out of line:
 *
 *     { "$blob": "<key>", "bytes": 1234567, "sha256": "<hex digest of the value's UTF-8 JSON>" }
 *
 * `$blob` is the store's key (content-addressed: the same value always gets the same key, so
 * storing it twice is one blob); `bytes` the length of the stored JSON text; `sha256` lets a
 * reader check that what it fetched is what was written. A reference is a JSON object, so it
 * fits wherever the value it replaces was allowed (JsonValue, JsonObject).
 *
 * A user value that merely looks like a reference (an object with a `$blob` or `$blob:escaped`
 * key) is stored wrapped as `{ "$blob:escaped": <value> }` and unwrapped on read, so it is never
 * mistaken for one. Only the fields that may be offloaded are encoded this way; see
 * shared/storage/src/blobs/HOW_IT_WORKS.md.
 */
export type BlobRef = {
  readonly $blob: string;
  readonly bytes: number;
  readonly sha256: string;
};

/** The key a reference is recognised by. */
export const BLOB_REF_KEY = '$blob';
/** The key wrapping a user value that would otherwise read as a reference. */
export const BLOB_ESCAPE_KEY = '$blob:escaped';

/** True for exactly the shape of a reference: the three fields with their types, nothing else. */
export function isBlobRef(value: unknown): value is BlobRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return (
    keys.length === 3 &&
    typeof record[BLOB_REF_KEY] === 'string' &&
    typeof record.bytes === 'number' &&
    typeof record.sha256 === 'string'
  );
}

/** One stored blob, as a listing gives it. */
export interface StoredBlob {
  readonly tenantId: string;
  readonly key: string;
}

/**
 * Out-of-line storage of large payloads, one namespace per tenant. Blobs are immutable: a key
 * names one content forever. Implementations: a directory on a filesystem, an S3-compatible
 * bucket (shared/storage/src/blobs).
 */
export interface BlobStore {
  /** Name used in health reports, e.g. "blobs:fs". */
  readonly name: string;
  /**
   * Stores the content under its SHA-256 and returns the reference. Idempotent: storing the same
   * content again returns the same reference and writes nothing new. Resolves once the blob is
   * durable; a reader never sees a partly written blob.
   * @throws ValidationError for an invalid tenant id; UnavailableError when the store fails
   */
  put(tenantId: string, content: string | Uint8Array, contentType: string): Promise<BlobRef>;
  /**
   * The content stored under `key` for this tenant, as UTF-8 text. A key of another tenant is
   * not found.
   * @throws NotFoundError (resource "blob"); ValidationError for a malformed key or tenant id
   */
  get(tenantId: string, key: string): Promise<string>;
  /** Removes the blob; removing a missing one is not an error. */
  delete(tenantId: string, key: string): Promise<void>;
  /**
   * Every tenant's blobs last stored before `before`, in no particular order: a `put` of content
   * already stored counts as storing it again, so a blob a new row has just referenced is never
   * listed as old. What a garbage collection may consider (it must still check references).
   * @throws UnavailableError when the store fails
   */
  listStoredBefore(before: Date): AsyncIterable<StoredBlob>;
  /** Whether the store can be written to now. Never throws. */
  health(): Promise<BackendHealth>;
  /** Releases resources. Idempotent. */
  close(): Promise<void>;
}
