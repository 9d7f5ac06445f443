import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError, UnavailableError, ValidationError } from '@wormhole/interfaces';
import { FilesystemBlobStore } from './filesystem-blob-store';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('FilesystemBlobStore', () => {
  let dir: string;
  let store: FilesystemBlobStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-blobs-'));
    store = await FilesystemBlobStore.create(path.join(dir, 'nested', 'blobs'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('stores content under its sha256 in the tenant directory and reads it back', async () => {
    const content = JSON.stringify({ big: 'ü'.repeat(5000) });
    const ref = await store.put('acme', content, 'application/json');
    expect(ref).toEqual({ $blob: sha(content), bytes: Buffer.byteLength(content), sha256: sha(content) });
    expect(await filesUnder(path.join(dir, 'nested', 'blobs'))).toEqual([
      path.join('acme', ref.$blob.slice(0, 2), ref.$blob),
    ]);
    expect(await store.get('acme', ref.$blob)).toBe(content);
  });

  it('is idempotent: the same content twice, also concurrently, is one file and one reference', async () => {
    const content = 'same'.repeat(1000);
    const refs = await Promise.all(Array.from({ length: 8 }, () => store.put('acme', content, 'text/plain')));
    expect(new Set(refs.map((r) => JSON.stringify(r))).size).toBe(1);
    const again = await store.put('acme', Buffer.from(content, 'utf8'), 'text/plain');
    expect(again).toEqual(refs[0]);
    // No temporary file is left behind by the racing writers.
    expect(await filesUnder(path.join(dir, 'nested', 'blobs'))).toHaveLength(1);
  });

  it('writes atomically: a reader never sees a partial blob, and a stale temp file is ignored', async () => {
    const content = 'z'.repeat(4_000_000);
    const key = sha(content);
    const file = path.join(dir, 'nested', 'blobs', 'acme', key.slice(0, 2), key);
    // A crashed writer's leftover beside the final name: neither read nor mistaken for the blob.
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(`${file}.123.dead.tmp`, 'z'.repeat(10));
    await expect(store.get('acme', key)).rejects.toBeInstanceOf(NotFoundError);

    const writing = store.put('acme', content, 'text/plain');
    const seen: number[] = [];
    while (seen.length < 200) {
      const length = await fs
        .readFile(file, 'utf8')
        .then((t) => t.length)
        .catch(() => -1);
      seen.push(length);
      if (length !== -1) break;
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(seen.every((length) => length === -1 || length === content.length)).toBe(true);
    expect(await store.get('acme', key)).toBe(content);
  });

  it('isolates tenants: a key of one tenant is not found for another', async () => {
    const ref = await store.put('acme', 'secret', 'text/plain');
    await expect(store.get('globex', ref.$blob)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('globex', ref.$blob)).rejects.toMatchObject({ resource: 'blob', tenantId: 'globex' });
  });

  it('reports a missing key as NotFoundError and refuses malformed keys and tenants before any I/O', async () => {
    await expect(store.get('acme', 'f'.repeat(64))).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('acme', '../../etc/passwd')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.put('../acme', 'x', 'text/plain')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.get('Acme', 'f'.repeat(64))).rejects.toBeInstanceOf(ValidationError);
  });

  it('deletes, and deleting twice is not an error', async () => {
    const ref = await store.put('acme', 'gone soon', 'text/plain');
    await store.delete('acme', ref.$blob);
    await store.delete('acme', ref.$blob);
    await expect(store.get('acme', ref.$blob)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports health, and fails at creation when the directory cannot be made', async () => {
    expect(await store.health()).toMatchObject({ name: 'blobs:fs', ok: true });
    const file = path.join(dir, 'a-file');
    await fs.writeFile(file, '');
    await expect(FilesystemBlobStore.create(path.join(file, 'blobs'))).rejects.toBeInstanceOf(UnavailableError);
  });

  it('lists every tenant’s blobs last stored before a time; storing one again makes it new', async () => {
    const root = path.join(dir, 'nested', 'blobs');
    const old = await store.put('acme', 'old', 'text/plain');
    const renewed = await store.put('globex', 'renewed', 'text/plain');
    const long = new Date(Date.now() - 3_600_000);
    for (const [tenant, ref] of [
      ['acme', old],
      ['globex', renewed],
    ] as const) {
      await fs.utimes(path.join(root, tenant, ref.$blob.slice(0, 2), ref.$blob), long, long);
    }
    const recent = await store.put('acme', 'recent', 'text/plain');
    // A crash's leftover and a stray file are not blobs.
    await fs.writeFile(path.join(root, 'acme', old.$blob.slice(0, 2), `${old.$blob}.1.x.tmp`), 'partial');
    await fs.writeFile(path.join(root, 'README'), 'not a tenant');
    const listed = async (before: Date): Promise<string[]> => {
      const found: string[] = [];
      for await (const blob of store.listStoredBefore(before)) found.push(`${blob.tenantId}/${blob.key}`);
      return found.sort();
    };
    const minuteAgo = new Date(Date.now() - 60_000);
    expect(await listed(minuteAgo)).toEqual([`acme/${old.$blob}`, `globex/${renewed.$blob}`].sort());

    await store.put('globex', 'renewed', 'text/plain');
    expect(await listed(minuteAgo)).toEqual([`acme/${old.$blob}`]);
    expect(await listed(new Date(Date.now() + 1000))).toEqual(
      [`acme/${old.$blob}`, `acme/${recent.$blob}`, `globex/${renewed.$blob}`].sort(),
    );
    await store.delete('acme', old.$blob);
    expect(await listed(minuteAgo)).toEqual([]);
  });
});
