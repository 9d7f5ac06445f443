import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@wormhole/interfaces';
import type { ConnectionPool, Queryable } from './pool';
import { queryRows, withTransaction } from './pool';
import type { Tables } from './sql-names';
import { advisoryKey, tablesFor } from './sql-names';

/** Resolves from both src/postgres (jest) and dist/postgres (built): the package root is two up. */
export const POSTGRES_MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations/postgres');

const FILE_PATTERN = /^(\d{6})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
  readonly id: number;
  /** The file name, e.g. "000001_initial.sql". */
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrateOptions {
  readonly logger?: Logger;
  /** Where the NNNNNN_name.sql files are; the package's own by default. */
  readonly directory?: string;
}

/** The migration files in order of their number. Two files with one number are an error. */
export async function loadMigrations(directory: string = POSTGRES_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(directory)).filter((name) => FILE_PATTERN.test(name)).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const id = Number(FILE_PATTERN.exec(name)?.[1]);
    if (files.some((f) => f.id === id)) throw new Error(`two postgres migrations are numbered ${id}`);
    const sql = await readFile(path.join(directory, name), 'utf8');
    files.push({ id, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

interface LedgerRow {
  id: number;
  name: string;
  checksum: string;
}

/**
 * Brings `schema` up to the newest migration: creates the schema and the ledger if missing, then
 * applies each pending file in its own transaction and records it in `<schema>.migrations`.
 * Every transaction first takes an advisory lock on the schema's name, so concurrent migrators
 * (several replicas starting at once) queue up and each file is applied exactly once.
 * @returns the names of the files this call applied (empty when already up to date)
 */
export async function migrate(pool: ConnectionPool, schema: string, options: MigrateOptions = {}): Promise<string[]> {
  const tables = tablesFor(schema);
  const files = await loadMigrations(options.directory);
  const ledger = await withTransaction(pool, async (tx) => {
    await lockSchema(tx, schema);
    await ensureLedger(tx, schema, tables);
    return queryRows<LedgerRow>(tx, `SELECT id, name, checksum FROM ${tables.migrations} ORDER BY id`);
  });
  checkLedger(ledger, files, schema, options.logger);

  const applied: string[] = [];
  for (const file of files.filter((f) => !ledger.some((row) => row.id === f.id))) {
    if (await applyOne(pool, schema, tables, file)) {
      applied.push(file.name);
      options.logger?.info('applied postgres migration', { schema, migration: file.name });
    }
  }
  return applied;
}

async function lockSchema(tx: Queryable, schema: string): Promise<void> {
  // Must come first in every migration transaction, so concurrent migrators wait here.
  await queryRows(tx, 'SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`wormhole:migrate:${schema}`)]);
}

async function ensureLedger(tx: Queryable, schema: string, tables: Tables): Promise<void> {
  // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when it exists.
  const existing = await queryRows(tx, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (existing.length === 0) await queryRows(tx, `CREATE SCHEMA ${tables.schema}`);
  await queryRows(
    tx,
    `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
       id integer PRIMARY KEY,
       name text NOT NULL,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
}

function checkLedger(ledger: LedgerRow[], files: MigrationFile[], schema: string, logger?: Logger): void {
  for (const row of ledger) {
    const file = files.find((f) => f.id === row.id);
    if (!file) {
      throw new Error(`schema '${schema}' has migration ${row.name}, unknown to this build: the database is newer`);
    }
    // Migrations are append-only; an edited file is not re-applied, so say so loudly.
    if (file.checksum !== row.checksum) {
      logger?.warn('postgres migration changed after it was applied', { schema, migration: row.name });
    }
  }
}

async function applyOne(pool: ConnectionPool, schema: string, tables: Tables, file: MigrationFile): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    await lockSchema(tx, schema);
    // Another process may have applied it while we waited for the lock.
    const done = await queryRows(tx, `SELECT 1 FROM ${tables.migrations} WHERE id = $1`, [file.id]);
    if (done.length > 0) return false;
    // Migration files use unqualified names; LOCAL ends with this transaction.
    await queryRows(tx, `SET LOCAL search_path TO ${tables.schema}`);
    await queryRows(tx, file.sql);
    await queryRows(tx, `INSERT INTO ${tables.migrations} (id, name, checksum) VALUES ($1, $2, $3)`, [
      file.id,
      file.name,
      file.checksum,
    ]);
    return true;
  });
}
