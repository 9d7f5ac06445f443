import { createHash } from 'node:crypto';
import type { BackendHealth, BlobRef, BlobStore, JsonValue } from '@wormhole/interfaces';
import { AppError } from '@wormhole/interfaces';
import { BlobCache } from './blob-cache';
import { place, readStored } from './offload';

/**
 * A cached blob is stored again (a put refreshes its time in the store) when this process last
 * stored it longer ago than this, or only read it: the garbage collection deletes only blobs not
 * stored for its grace period (at least twice this), so a blob a new row references is never one.
 */
export const BLOB_REFRESH_MS = 3_600_000;

/** 32 Mi UTF-16 units (64 MiB at most): a few dozen large payloads per process. */
const DEFAULT_CACHE_CHARS = 32 * 1024 * 1024;

/**
 * Swaps one field's value for a reference to a blob (when it is larger than the threshold) and
 * back. Shared by the database and the event stream decorators of a process, so both use one
 * cache. It never closes the store: whoever opened the store does.
 */
export class BlobCodec {
  private readonly cache: BlobCache;
  private readonly now: () => number;

  constructor(
    private readonly blobs: BlobStore,
    readonly thresholdBytes: number,
    options: { cacheChars?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cache = new BlobCache(options.cacheChars ?? DEFAULT_CACHE_CHARS);
  }

  /**
   * What to store in place of `value`: the value, the value escaped, or a reference. A blob this
   * process stored within BLOB_REFRESH_MS is not stored again (the same output is written to the
   * event, the history, the step run and the row: one upload, not four).
   */
  async offload(tenantId: string, value: JsonValue): Promise<JsonValue> {
    const placement = place(value, this.thresholdBytes);
    if ('inline' in placement) return placement.inline;
    const text = placement.outOfLine;
    const key = cacheKey(tenantId, sha256Hex(text));
    const cached = this.cache.get(key);
    const now = this.now();
    if (cached?.storedAt !== undefined && now - cached.storedAt < BLOB_REFRESH_MS) return cached.ref;
    const ref = await this.blobs.put(tenantId, text, 'application/json');
    this.cache.set(key, { ref, text, storedAt: now });
    return ref;
  }

  /**
   * The value a stored field stands for. A fetched blob is checked against the reference's length
   * and digest: a truncated or swapped blob is an error, never silently wrong data.
   * @throws NotFoundError when the blob is gone
   */
  async resolve(tenantId: string, stored: JsonValue): Promise<JsonValue> {
    const read = readStored(stored);
    if ('inline' in read) return read.inline;
    const key = cacheKey(tenantId, read.ref.sha256);
    let text = this.cache.get(key)?.text;
    if (text === undefined) {
      text = await this.blobs.get(tenantId, read.ref.$blob);
      verify(read.ref, text);
      this.cache.set(key, { ref: read.ref, text });
    }
    return JSON.parse(text) as JsonValue;
  }

  health(): Promise<BackendHealth> {
    return this.blobs.health();
  }
}

// By content digest, not store key: `offload` knows the digest before the store names the blob.
function cacheKey(tenantId: string, sha256: string): string {
  return `${tenantId}/${sha256}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function verify(ref: BlobRef, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  const digest = sha256Hex(text);
  if (bytes !== ref.bytes || digest !== ref.sha256) {
    throw new AppError(
      'INTERNAL_ERROR',
      `blob '${ref.$blob}' does not match its reference (${bytes} bytes, sha256 ${digest}; expected ${ref.bytes}, ${ref.sha256})`,
    );
  }
}
