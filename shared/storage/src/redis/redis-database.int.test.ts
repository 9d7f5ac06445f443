import { databaseContract } from '../__tests__/database.contract';
import { openTestRedis } from './testing';

databaseContract('redis', () => openTestRedis(), ['redis']);
