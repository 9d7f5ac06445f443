import path from 'node:path';
import { ConfigurationError } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { EnvReader } from '@wormhole/platform';
import type { StorageConfig } from '../config';
import type { S3Settings } from './s3-blob-store';

export const BLOB_STORE_TYPES = ['fs', 's3'] as const;
export type BlobStoreType = (typeof BLOB_STORE_TYPES)[number];

export interface BlobConfig {
  readonly type: BlobStoreType;
  /** Values whose JSON is longer than this many bytes are stored out of line. */
  readonly thresholdBytes: number;
  /** Directory of the `fs` store. */
  readonly dir: string;
  /** Settings of the `s3` store; present exactly when `type` is `s3`. */
  readonly s3?: S3Settings;
}

/** 1 MiB, the default. */
const DEFAULT_THRESHOLD_BYTES = 1024 * 1024;
/** A reference is about 170 bytes of JSON: offloading anything near that size saves nothing. */
const MIN_THRESHOLD_BYTES = 256;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads where large payloads go (BLOB_*, S3_*; see the README's configuration table). The `fs`
 * store defaults to `blobs` inside WORMHOLE_DATA_DIR; `s3` needs a bucket and credentials.
 */
export function loadBlobConfig(env: Env, storage: Pick<StorageConfig, 'dataDir'>): BlobConfig {
  const r = new EnvReader(env);
  const type = r.oneOf('BLOB_STORE', BLOB_STORE_TYPES, 'fs');
  const thresholdBytes = r.int('BLOB_THRESHOLD_BYTES', DEFAULT_THRESHOLD_BYTES, {
    min: MIN_THRESHOLD_BYTES,
    max: 1024 * 1024 * 1024,
  });
  const dir = r.string('BLOB_DIR', path.join(storage.dataDir, 'blobs'));
  return { type, thresholdBytes, dir, ...(type === 's3' ? { s3: readS3(r) } : {}) };
}

function readS3(r: EnvReader): S3Settings {
  const required = (name: string): string => {
    const value = r.string(name);
    if (value === undefined) throw new ConfigurationError(name, 'is required when BLOB_STORE=s3');
    return value;
  };
  const bucket = required('S3_BUCKET');
  if (!BUCKET_PATTERN.test(bucket)) {
    throw new ConfigurationError('S3_BUCKET', `not a valid bucket name: '${bucket}'`);
  }
  const region = r.string('S3_REGION', 'us-east-1');
  if (!/^[a-z0-9-]+$/.test(region)) throw new ConfigurationError('S3_REGION', `not a valid region: '${region}'`);
  const endpoint = r.url('S3_ENDPOINT', ['http', 'https']);
  const sessionToken = r.string('S3_SESSION_TOKEN');
  return {
    ...(endpoint ? { endpoint } : {}),
    bucket,
    region,
    credentials: {
      accessKeyId: required('S3_ACCESS_KEY_ID'),
      secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
      ...(sessionToken ? { sessionToken } : {}),
    },
    forcePathStyle: r.bool('S3_FORCE_PATH_STYLE', false),
  };
}
