export * from './workflow-validator';
export * from './document-parser';
