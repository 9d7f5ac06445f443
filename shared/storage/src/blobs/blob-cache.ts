import type { BlobRef } from '@wormhole/interfaces';

/** A blob's reference and its text. */
export interface CachedBlob {
  readonly ref: BlobRef;
  readonly text: string;
  /** When this process last stored it (ms); absent when it was only read. */
  readonly storedAt?: number;
}

/**
 * Recently stored or fetched blobs, least recently used dropped first, bounded by their
 * total length. Blobs are immutable (a key names one content forever), so an entry never goes
 * stale. The engine reads back what it just wrote all the time (an event is published, delivered,
 * appended to the history, folded), and this keeps those round trips off the blob store.
 */
export class BlobCache {
  private readonly entries = new Map<string, CachedBlob>();
  private size = 0;

  /** `maxChars` bounds the sum of the cached texts' lengths (UTF-16 units); 0 disables the cache. */
  constructor(private readonly maxChars: number) {}

  get(key: string): CachedBlob | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedBlob): void {
    if (entry.text.length > this.maxChars) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.size -= previous.text.length;
    }
    this.entries.set(key, entry);
    this.size += entry.text.length;
    for (const [oldest, value] of this.entries) {
      if (this.size <= this.maxChars) break;
      this.entries.delete(oldest);
      this.size -= value.text.length;
    }
  }
}
