export type { Backends, BackendsConfig, BackendsDeps } from './open-backends';
export { openBackends } from './open-backends';
export { withEventOffload } from './offload-event-stream';
export type { ExecutionStarterOptions, StartRequest } from './execution-starter';
export { ExecutionStarter } from './execution-starter';
export { documentOf, workflowsByDocumentName } from './workflows-by-document-name';
