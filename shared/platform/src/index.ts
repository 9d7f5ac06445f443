export * from './config/env';
export * from './logging/winston-logger';
export * from './logging/memory-logger';
export * from './metrics/prom-metrics';
export * from './metrics/noop-metrics';
export * from './lifecycle/shutdown';
export * from './http/health-server';
export * from './testing/test-servers';
