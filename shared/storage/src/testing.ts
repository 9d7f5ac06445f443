import type { Database } from '@wormhole/interfaces';
import { mongoTestUrl, openTestMongo } from './mongo';
import { openTestPostgres } from './postgres';
import { openTestRedis } from './redis';

export type TestBackend = 'postgres' | 'redis' | 'mongo';

/**
 * The backends tests run against: Postgres and Redis always (they run on every machine), Mongo
 * when MONGODB_URL is set. In CI a missing Mongo server is an error, never a silent skip.
 */
export function testBackends(env: Readonly<Record<string, string | undefined>> = process.env): TestBackend[] {
  if (mongoTestUrl(env)) return ['postgres', 'redis', 'mongo'];
  if (env.CI === 'true') throw new Error('MONGODB_URL is not set in CI: the Mongo suites may not be skipped');
  return ['postgres', 'redis'];
}

/** A fresh, isolated database of the given backend (own schema / key prefix / database). */
export function openTestDatabase(type: TestBackend): Promise<{ db: Database; cleanup(): Promise<void> }> {
  switch (type) {
    case 'postgres':
      return openTestPostgres();
    case 'redis':
      return openTestRedis();
    case 'mongo':
      return openTestMongo();
  }
}
