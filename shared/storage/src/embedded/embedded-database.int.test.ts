import { databaseContract } from '../__tests__/database.contract';
import { openTestEmbedded } from './testing';

// Each open() gets its own temporary data directory: the contract opens a second database.
databaseContract('embedded', () => openTestEmbedded());
