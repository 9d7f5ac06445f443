import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import type { StorageDeps } from '../deps';
import { EmbeddedDatabase } from './embedded-database';

export interface TestEmbedded {
  readonly db: EmbeddedDatabase;
  /** The temporary data directory. */
  readonly dataDir: string;
  /** Closes the database and removes the directory. */
  cleanup(): Promise<void>;
}

/** A fresh temporary data directory under the OS temp dir, for one test suite. */
export function makeTempDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-embedded-'));
}

export function testStorageDeps(deps: Partial<StorageDeps> = {}): StorageDeps {
  return { logger: deps.logger ?? new MemoryLogger(), metrics: deps.metrics ?? new NoopMetrics() };
}

/** An embedded database in its own temporary directory (each call a new one). */
export async function openTestEmbedded(deps: Partial<StorageDeps> = {}): Promise<TestEmbedded> {
  const dataDir = await makeTempDataDir();
  let db: EmbeddedDatabase;
  try {
    db = await EmbeddedDatabase.create(dataDir, testStorageDeps(deps));
  } catch (e) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    db,
    dataDir,
    async cleanup(): Promise<void> {
      try {
        await db.close();
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
