export * from './config';
export * from './executor';
export * from './task-runner';
export * from './timer-loop';
export * from './tasks/registry';
export * from './tasks/http-call-executor';
export * from './boot';
