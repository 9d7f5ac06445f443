import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobRef } from '@wormhole/interfaces';
import { AppError, NotFoundError } from '@wormhole/interfaces';
import { BlobCache } from './blob-cache';
import { BLOB_REFRESH_MS, BlobCodec } from './blob-codec';
import { FilesystemBlobStore } from './filesystem-blob-store';

describe('BlobCodec over a filesystem store', () => {
  let dir: string;
  let store: FilesystemBlobStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-codec-'));
    store = await FilesystemBlobStore.create(dir);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const fileOf = (ref: BlobRef): string => path.join(dir, 'acme', ref.$blob.slice(0, 2), ref.$blob);
  const big = { list: Array.from({ length: 400 }, (_, i) => `item-${i}`) };

  it('round-trips a large value through a reference', async () => {
    const codec = new BlobCodec(store, 1024, { cacheChars: 0 });
    const stored = await codec.offload('acme', big);
    expect(stored).toEqual({
      $blob: expect.any(String),
      bytes: JSON.stringify(big).length,
      sha256: expect.any(String),
    });
    expect(await codec.resolve('acme', stored)).toEqual(big);
    await expect(codec.resolve('globex', stored)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a blob that does not match its reference', async () => {
    const codec = new BlobCodec(store, 1024, { cacheChars: 0 });
    const ref = (await codec.offload('acme', big)) as BlobRef;
    const text = await fs.readFile(fileOf(ref), 'utf8');
    await fs.writeFile(fileOf(ref), text.replace('item-7', 'item-8'));
    await expect(codec.resolve('acme', ref)).rejects.toThrow(AppError);
    await expect(codec.resolve('acme', ref)).rejects.toThrow(/does not match its reference/);
  });

  it('serves what it just stored from its cache, and stores a value it has seen only once', async () => {
    const codec = new BlobCodec(store, 1024);
    const ref = (await codec.offload('acme', big)) as BlobRef;
    await fs.rm(fileOf(ref));
    expect(await codec.resolve('acme', ref)).toEqual(big);
    // Known to this process: not written again (the file stays gone).
    expect(await codec.offload('acme', big)).toEqual(ref);
    await expect(fs.access(fileOf(ref))).rejects.toThrow();
    // Another tenant's copy is its own blob.
    const other = (await codec.offload('globex', big)) as BlobRef;
    await expect(fs.access(path.join(dir, 'globex', other.$blob.slice(0, 2), other.$blob))).resolves.toBeUndefined();
  });

  it('stores a cached blob again once its last store is older than BLOB_REFRESH_MS, or when it was only read', async () => {
    let now = 1_000_000;
    const codec = new BlobCodec(store, 1024, { now: () => now });
    const ref = (await codec.offload('acme', big)) as BlobRef;
    await fs.rm(fileOf(ref));
    now += BLOB_REFRESH_MS - 1;
    await codec.offload('acme', big);
    await expect(fs.access(fileOf(ref))).rejects.toThrow();
    now += 1;
    // Stored again: the store's time of the blob moves, so a garbage collection keeps it.
    await codec.offload('acme', big);
    await expect(fs.access(fileOf(ref))).resolves.toBeUndefined();

    const reader = new BlobCodec(store, 1024, { now: () => now });
    expect(await reader.resolve('acme', ref)).toEqual(big);
    const old = new Date(0);
    await fs.utimes(fileOf(ref), old, old);
    await reader.offload('acme', big);
    expect((await fs.stat(fileOf(ref))).mtime.getTime()).toBeGreaterThan(0);
  });
});

describe('BlobCache', () => {
  it('drops the least recently used entries beyond its size', () => {
    const ref = { $blob: 'k', bytes: 4, sha256: 'k' };
    const cache = new BlobCache(10);
    const textOf = (key: string): string | undefined => cache.get(key)?.text;
    cache.set('a', { ref, text: 'aaaa' });
    cache.set('b', { ref, text: 'bbbb' });
    expect(textOf('a')).toBe('aaaa');
    cache.set('c', { ref, text: 'cccc' });
    expect(textOf('b')).toBeUndefined();
    expect(textOf('a')).toBe('aaaa');
    expect(textOf('c')).toBe('cccc');
    cache.set('huge', { ref, text: 'x'.repeat(11) });
    expect(textOf('huge')).toBeUndefined();
  });
});
