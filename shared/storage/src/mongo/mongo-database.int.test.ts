import { databaseContract } from '../__tests__/database.contract';
import { mongoTestUrl, openTestMongo } from './testing';

if (!mongoTestUrl() && process.env.CI === 'true') {
  throw new Error('MONGODB_URL is not set in CI: the Mongo suites may not be skipped (see .ci/run)');
}

if (mongoTestUrl()) {
  databaseContract('mongo', () => openTestMongo());
} else {
  describe.skip('Database contract: mongo (skipped: MONGODB_URL not set; MONGODB_URL=$(bash .ci/mongo.sh) starts the test server)', () => {
    it('runs when MONGODB_URL is set', () => undefined);
  });
}
