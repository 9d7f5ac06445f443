import { randomUUID } from 'node:crypto';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import type { StorageDeps } from '../deps';
import { MongoDatabase } from './mongo-database';

/** The Mongo test server's URL (env MONGODB_URL), if one is configured. */
export function mongoTestUrl(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return env.MONGODB_URL || undefined;
}

/** A MongoDatabase in a fresh database `wh_test_<random>`; cleanup drops it. */
export async function openTestMongo(
  deps: StorageDeps = { logger: new MemoryLogger(), metrics: new NoopMetrics() },
): Promise<{ db: MongoDatabase; cleanup(): Promise<void> }> {
  const url = mongoTestUrl();
  if (!url) throw new Error('MONGODB_URL is not set: start the test server with `MONGODB_URL=$(bash .ci/mongo.sh)`');
  const database = `wh_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = await MongoDatabase.create({ url, database, logRetentionDays: 1 }, deps);
  return {
    db,
    cleanup: async () => {
      const { MongoClient } = await import('mongodb');
      const client = new MongoClient(url);
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
        await db.close();
      }
    },
  };
}
