// The DSL runtime: a pure, event-sourced interpreter (see HOW_IT_WORKS.md).
export type { ExpressionArguments, ExpressionEvaluator } from './expressions';
export {
  EXPRESSION_ARGUMENT_NAMES,
  evaluateCondition,
  evaluateField,
  evaluateValue,
  expressionBody,
  isRuntimeExpression,
} from './expressions';
export { JqWasmEvaluator } from './jq-wasm-evaluator';
export { NativeJqEvaluator } from './native-jq-evaluator';
export type { NativeJqOptions } from './native-jq-evaluator';
export { ThreadedJqWasmEvaluator } from './threaded-jq-evaluator';
export type { ThreadedJqWasmOptions } from './threaded-jq-evaluator';
export { DslFault, ExpressionError } from './errors';
export type { TaskType, WorkflowDocument } from './document';
export { TASK_TYPES } from './document';
export { durationToMs } from './duration';
export type { ExecutionIdentity, ExecutionState, PendingWork, TaskPhase, TaskRun } from './state';
export {
  currentRun,
  currentTaskPath,
  fromSnapshot,
  initialState,
  markPersisted,
  pendingWork,
  toSnapshot,
} from './state';
export { applyEvent, applyEvents } from './fold';
export { matchesFilter, matchingFilters } from './event-filter';
export { subscriptionFilters, waitingListens } from './listen';
export type { RuntimePayloadExtras } from './events';
export { decide, DEFAULT_RUNTIME, deterministicEventId } from './decider';
export type { DecideOptions, Decision } from './decider';
export { concealSecrets, declaredSecrets, revealSecrets, secretPlaceholders } from './secrets';
export type { RevealedSecrets } from './secrets';
export { RESOURCES_CALL, RESOURCES_PATH, catalogReference } from './resources';
export type { ResourceKind, ResourceRequest, ResolvedResource, ResolvedResources } from './resources';
