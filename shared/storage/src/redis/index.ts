export { RedisDatabase } from './redis-database';
export { deleteTestRedisKeys, openTestRedis } from './testing';
