export { RedisDatabase } from './redis-database';
export { openTestRedis } from './testing';
