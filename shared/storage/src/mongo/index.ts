export { MongoDatabase, migrateMongo } from './mongo-database';
export { MongoLogRepository, EXECUTION_LOGS } from './log-repository';
export type { ExecutionLogDoc } from './log-repository';
export { mongoTestUrl, openTestMongo } from './testing';
