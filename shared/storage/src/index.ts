export * from './config';
export * from './deps';
export * from './postgres';
export * from './redis';
export * from './mongo';
