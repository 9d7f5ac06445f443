export * from './validation';
export * from './runtime';
