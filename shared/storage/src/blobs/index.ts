export type { BlobConfig, BlobStoreType } from './config';
export { BLOB_STORE_TYPES, loadBlobConfig } from './config';
export { createBlobStore } from './factory';
export { FilesystemBlobStore } from './filesystem-blob-store';
export type { S3Settings } from './s3-blob-store';
export { S3BlobStore } from './s3-blob-store';
export type { S3Credentials } from './s3-signer';
export { BlobCodec } from './blob-codec';
