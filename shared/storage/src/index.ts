export * from './config';
export * from './deps';
export * from './factory';
export * from './instrumented-database';
export * from './composite-database';
export * from './postgres';
export * from './redis';
export * from './mongo';
