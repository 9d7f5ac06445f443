import type { BlobStore } from '@wormhole/interfaces';
import { ConfigurationError } from '@wormhole/interfaces';
import type { BlobConfig } from './config';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** Opens the blob store of BLOB_STORE. Called only from composition roots (via openBackends). */
export async function createBlobStore(config: BlobConfig): Promise<BlobStore> {
  switch (config.type) {
    case 'fs':
      try {
        return await FilesystemBlobStore.create(config.dir);
      } catch (e) {
        // Read-only images (Kubernetes readOnlyRootFilesystem) need a volume here, or S3.
        const reason = e instanceof Error ? e.message : String(e);
        throw new ConfigurationError(
          'BLOB_DIR',
          `${reason}; mount a writable volume there (shared by every role) or set BLOB_STORE=s3`,
        );
      }
    case 's3':
      // loadBlobConfig sets `s3` exactly when the type is s3.
      if (!config.s3) throw new Error('BLOB_STORE=s3 without S3 settings');
      return new S3BlobStore(config.s3);
  }
}
