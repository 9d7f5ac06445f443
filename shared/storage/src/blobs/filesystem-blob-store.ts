import { createHash, randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { BackendHealth, BlobRef, BlobStore, StoredBlob } from '@wormhole/interfaces';
import { NotFoundError, UnavailableError, ensureError, isValidTenantId } from '@wormhole/interfaces';
import { checkBlobKey, checkTenant, isBlobKey } from './blob-keys';

/**
 * Blobs as files under one directory: `<dir>/<tenant>/<first two hex digits>/<sha256>`. The key
 * is the content's SHA-256, so a blob is written once however often it is stored, and the
 * two-digit level keeps any one directory to a manageable size. A blob is written to a temporary
 * file beside its final name, flushed, then renamed: rename is atomic within a directory, so a
 * reader sees the whole blob or none, and a crash leaves at most a `*.tmp` file behind.
 */
export class FilesystemBlobStore implements BlobStore {
  readonly name = 'blobs:fs';

  private constructor(private readonly dir: string) {}

  /** Creates the directory if needed and fails now, not at the first large payload, if it cannot be written. */
  static async create(dir: string): Promise<FilesystemBlobStore> {
    const root = path.resolve(dir);
    try {
      await fs.mkdir(root, { recursive: true });
      await fs.access(root, constants.W_OK);
    } catch (e) {
      throw new UnavailableError('blobs:fs', `cannot write to '${root}'`, { cause: ensureError(e) });
    }
    return new FilesystemBlobStore(root);
  }

  async put(tenantId: string, content: string | Uint8Array, _contentType: string): Promise<BlobRef> {
    checkTenant(tenantId);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ref: BlobRef = { $blob: sha256, bytes: bytes.byteLength, sha256 };
    const file = this.fileOf(tenantId, ref.$blob);
    // Stored already: its time moves to now, so a listing of old blobs does not offer it.
    if (await touch(file)) return ref;
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        // Flushed before the rename, so a crash cannot leave a complete name over partial content.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw new UnavailableError(this.name, `cannot write blob '${ref.$blob}'`, { cause: ensureError(e) });
    }
    return ref;
  }

  async get(tenantId: string, key: string): Promise<string> {
    checkTenant(tenantId);
    checkBlobKey(key);
    try {
      return await fs.readFile(this.fileOf(tenantId, key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('blob', tenantId, key);
      throw new UnavailableError(this.name, `cannot read blob '${key}'`, { cause: ensureError(e) });
    }
  }

  async delete(tenantId: string, key: string): Promise<void> {
    checkTenant(tenantId);
    checkBlobKey(key);
    await fs.rm(this.fileOf(tenantId, key), { force: true });
  }

  async *listStoredBefore(before: Date): AsyncIterable<StoredBlob> {
    for (const tenantId of await names(this.dir, isValidTenantId)) {
      for (const shard of await names(path.join(this.dir, tenantId), (name) => SHARD.test(name))) {
        const folder = path.join(this.dir, tenantId, shard);
        for (const key of await names(folder, isBlobKey)) {
          const stat = await fs.stat(path.join(folder, key)).catch(() => undefined);
          // Gone meanwhile (deleted by another collector): nothing to list.
          if (stat !== undefined && stat.mtime.getTime() < before.getTime()) yield { tenantId, key };
        }
      }
    }
  }

  async health(): Promise<BackendHealth> {
    const started = Date.now();
    try {
      await fs.access(this.dir, constants.W_OK);
      return { name: this.name, ok: true, latency_ms: Date.now() - started };
    } catch (e) {
      return { name: this.name, ok: false, error: ensureError(e).message };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  // Tenant and key are validated ([a-z0-9_-] and hex), so neither can climb out of `dir`.
  private fileOf(tenantId: string, key: string): string {
    return path.join(this.dir, tenantId, key.slice(0, 2), key);
  }
}

const SHARD = /^[0-9a-f]{2}$/;

/** Sets the file's times to now; false when it does not exist. */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await fs.utimes(file, now, now);
    return true;
  } catch {
    return false;
  }
}

/** The entries of `folder` whose names are wanted (temporary files are not), none when it does not exist. */
async function names(folder: string, wanted: (name: string) => boolean): Promise<string[]> {
  try {
    return (await fs.readdir(folder)).filter(wanted);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UnavailableError('blobs:fs', `cannot list '${folder}'`, { cause: ensureError(e) });
  }
}
