import type { Database } from '@wormhole/interfaces';
import { testServersReachable } from '@wormhole/platform';
import { openTestEmbedded } from './embedded';
import { mongoTestUrl, openTestMongo } from './mongo';
import { openTestPostgres } from './postgres';
import { openTestRedis } from './redis';

export type TestBackend = 'embedded' | 'postgres' | 'redis' | 'mongo';

/**
 * The backends tests run against: the embedded one always (it needs no server), Postgres and Redis
 * when reachable (they run on every machine of ours), Mongo when MONGODB_URL is set and answers.
 * Jest's global setup finds out what is reachable; in CI it fails the run instead of skipping.
 */
export function testBackends(env: Readonly<Record<string, string | undefined>> = process.env): TestBackend[] {
  const servers = (['postgres', 'redis', 'mongo'] as const).filter(
    (server) => testServersReachable([server], env) && (server !== 'mongo' || mongoTestUrl(env) !== undefined),
  );
  return ['embedded', ...servers];
}

/** A fresh, isolated database of the given backend (own schema / key prefix / database). */
export function openTestDatabase(type: TestBackend): Promise<{ db: Database; cleanup(): Promise<void> }> {
  switch (type) {
    case 'embedded':
      return openTestEmbedded();
    case 'postgres':
      return openTestPostgres();
    case 'redis':
      return openTestRedis();
    case 'mongo':
      return openTestMongo();
  }
}
