export { DataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock';
export { openEmbeddedPostgres, PGDATA_DIR } from './open-embedded-postgres';
export type { EmbeddedPostgres } from './open-embedded-postgres';
export { EmbeddedDatabase, EMBEDDED_BACKEND, EMBEDDED_SCHEMA } from './embedded-database';
export type { EmbeddedHealth } from './embedded-database';
export { makeTempDataDir, openTestEmbedded } from './testing';
export type { TestEmbedded } from './testing';
