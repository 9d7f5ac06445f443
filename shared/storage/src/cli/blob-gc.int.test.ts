import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger, testServersReachable } from '@wormhole/platform';
import { deleteTestRedisKeys } from '../redis/testing';
import { runBlobGc } from './blob-gc';

(testServersReachable(['redis']) ? describe : describe.skip)('blob-gc', () => {
  let dir: string;
  const keyPrefix = `t:${randomUUID().slice(0, 8)}:`;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-blob-gc-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await deleteTestRedisKeys(keyPrefix);
  });
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_TYPE: 'redis',
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: keyPrefix,
    BLOB_STORE: 'fs',
    BLOB_DIR: dir,
    ...extra,
  });

  it('deletes an old blob nothing references and exits 0', async () => {
    const file = path.join(dir, 'acme', 'ab', 'ab'.repeat(32));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '"orphan"');
    const old = new Date(Date.now() - 25 * 3_600_000);
    await fs.utimes(file, old, old);
    const logger = new MemoryLogger();
    expect(await runBlobGc(env(), logger)).toBe(0);
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('refuses a grace period under two hours with exit code 2, touching nothing', async () => {
    expect(await runBlobGc(env({ BLOB_GC_GRACE_HOURS: '1' }), new MemoryLogger())).toBe(2);
  });
});
