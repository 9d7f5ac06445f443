import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@wormhole/interfaces';
import { loadBlobConfig } from './config';
import { createBlobStore } from './factory';

const storage = { dataDir: '/var/lib/wormhole' };
const S3_ENV = { BLOB_STORE: 's3', S3_BUCKET: 'payloads', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' };

describe('loadBlobConfig', () => {
  it('defaults to the filesystem under the data directory and a 1 MiB threshold', () => {
    expect(loadBlobConfig({}, storage)).toEqual({
      type: 'fs',
      thresholdBytes: 1048576,
      dir: '/var/lib/wormhole/blobs',
    });
    expect(loadBlobConfig({ BLOB_DIR: '/mnt/blobs', BLOB_THRESHOLD_BYTES: '1024' }, storage)).toMatchObject({
      dir: '/mnt/blobs',
      thresholdBytes: 1024,
    });
  });

  it('reads the S3 settings, with AWS defaults', () => {
    expect(loadBlobConfig(S3_ENV, storage).s3).toEqual({
      bucket: 'payloads',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      forcePathStyle: false,
    });
    const minio = loadBlobConfig(
      {
        ...S3_ENV,
        S3_ENDPOINT: 'http://minio:9000',
        S3_REGION: 'eu-central-1',
        S3_FORCE_PATH_STYLE: 'true',
        S3_SESSION_TOKEN: 'tok',
      },
      storage,
    ).s3;
    expect(minio).toMatchObject({
      endpoint: 'http://minio:9000',
      region: 'eu-central-1',
      forcePathStyle: true,
      credentials: { sessionToken: 'tok' },
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown store', { BLOB_STORE: 'gcs' }, /^BLOB_STORE: /],
    ['a threshold below a reference', { BLOB_THRESHOLD_BYTES: '100' }, /^BLOB_THRESHOLD_BYTES: must be at least/],
    ['a threshold that is not a number', { BLOB_THRESHOLD_BYTES: '1mb' }, /^BLOB_THRESHOLD_BYTES: /],
    ['s3 without a bucket', { ...S3_ENV, S3_BUCKET: '' }, /^S3_BUCKET: is required/],
    ['an invalid bucket name', { ...S3_ENV, S3_BUCKET: 'My_Bucket' }, /^S3_BUCKET: not a valid bucket/],
    ['s3 without a secret', { ...S3_ENV, S3_SECRET_ACCESS_KEY: '' }, /^S3_SECRET_ACCESS_KEY: is required/],
    ['a non-http endpoint', { ...S3_ENV, S3_ENDPOINT: 'ftp://x' }, /^S3_ENDPOINT: /],
    ['a path style that is not a boolean', { ...S3_ENV, S3_FORCE_PATH_STYLE: 'maybe' }, /^S3_FORCE_PATH_STYLE: /],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    expect(() => loadBlobConfig(env, storage)).toThrow(ConfigurationError);
    expect(() => loadBlobConfig(env, storage)).toThrow(message);
  });

  it('ignores S3 settings unless the store is s3', () => {
    expect(loadBlobConfig({ S3_BUCKET: 'My_Bucket' }, storage).s3).toBeUndefined();
  });
});

describe('createBlobStore', () => {
  it('refuses a directory it cannot create, naming BLOB_DIR and the fixes', async () => {
    // A regular file where a parent directory should be: mkdir fails (as on a read-only image).
    const parent = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-blobcfg-')), 'a-file');
    await fs.writeFile(parent, '');
    try {
      const opening = createBlobStore(loadBlobConfig({ BLOB_DIR: path.join(parent, 'blobs') }, storage));
      await expect(opening).rejects.toBeInstanceOf(ConfigurationError);
      await expect(opening).rejects.toThrow(/^BLOB_DIR: .*cannot write to .*a-file.*BLOB_STORE=s3/);
    } finally {
      await fs.rm(path.dirname(parent), { recursive: true, force: true });
    }
  });
});
