export * from './config';
export * from './worker';
export * from './projection';
export * from './boot';
export * from './expression-engine';
