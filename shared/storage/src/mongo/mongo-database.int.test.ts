import { databaseContract } from '../__tests__/database.contract';
import { openTestMongo } from './testing';

// Skipped (and listed at the end of the run) when MONGODB_URL is not set or does not answer;
// MONGODB_URL=$(bash .ci/mongo.sh) starts the test server. In CI nothing may be skipped.
databaseContract('mongo', () => openTestMongo(), ['mongo']);
