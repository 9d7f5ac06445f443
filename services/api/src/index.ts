export * from './app';
export * from './boot';
export * from './config';
export * from './server';
export * from './openapi';
export * from './engine/execution-service';
