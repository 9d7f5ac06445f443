export type { TransportDeps, PoisonMessage } from './deps';
export type { TransportKeys } from './keys';
export { createKeys } from './keys';
export type { ParseResult } from './event-schema';
export { parseEngineEvent, validateEngineEvent, serializeEngineEvent, isEngineEventType } from './event-schema';
export { RedisEventStream } from './redis/redis-event-stream';
export type { RedisEventStreamSettings } from './redis/settings';
