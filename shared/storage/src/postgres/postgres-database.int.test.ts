import { databaseContract } from '../__tests__/database.contract';
import { openTestPostgres } from './testing';

databaseContract('postgres', () => openTestPostgres(), ['postgres']);
