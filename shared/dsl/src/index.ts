export * from './validation';
export * from './runtime';
export * from './schedule';
