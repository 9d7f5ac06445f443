import type { BlobStore } from '@wormhole/interfaces';
import type { BlobConfig } from './config';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** Opens the blob store of BLOB_STORE. Called only from composition roots (via openBackends). */
export async function createBlobStore(config: BlobConfig): Promise<BlobStore> {
  switch (config.type) {
    case 'fs':
      return FilesystemBlobStore.create(config.dir);
    case 's3':
      // loadBlobConfig sets `s3` exactly when the type is s3.
      if (!config.s3) throw new Error('BLOB_STORE=s3 without S3 settings');
      return new S3BlobStore(config.s3);
  }
}
