/**
 * The error hierarchy shared by every service. Each error carries a stable `code`; the API maps
 * codes to HTTP statuses in one place (services/api error middleware). Storage and the engine
 * throw these, never HTTP-aware errors.
 */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'CONFIGURATION_ERROR'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INTERNAL_ERROR';

export interface ErrorDetail {
  /** JSON pointer (or field name) of the offending value, when known. */
  readonly path?: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super('VALIDATION_ERROR', message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(
    readonly resource: string,
    readonly tenantId: string,
    readonly resourceId: string,
  ) {
    super('NOT_FOUND', `${resource} '${resourceId}' not found`);
  }
}

export class WorkflowNotFoundError extends NotFoundError {
  constructor(tenantId: string, workflowId: string) {
    super('workflow', tenantId, workflowId);
  }
}

export class ExecutionNotFoundError extends NotFoundError {
  constructor(tenantId: string, executionId: string) {
    super('execution', tenantId, executionId);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(readonly limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(readonly contentType: string) {
    super('UNSUPPORTED_MEDIA_TYPE', `unsupported content type '${contentType}'`);
  }
}

/** A tenant reached one of its limits; the same request may succeed after `retryAfterSeconds`. */
export class LimitExceededError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('LIMIT_EXCEEDED', message);
  }
}

/** A tenant sends requests faster than its rate allows; a retry after `retryAfterSeconds` may pass. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** No credentials, or credentials that match no (unrevoked) key. Never says which. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)') {
    super('UNAUTHENTICATED', message);
  }
}

/** Valid credentials that may not do this (a tenant key on an admin route). */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** A backend (database, stream) cannot be reached; the operation may succeed if retried. */
export class UnavailableError extends AppError {
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('UNAVAILABLE', `${backend}: ${message}`, options);
  }
}

/** An invalid setting; the process must not start. `variable` names the environment variable. */
export class ConfigurationError extends AppError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIGURATION_ERROR', `${variable}: ${message}`);
  }
}

/** Normalises anything thrown into an Error, so `catch (e)` handlers have one shape to deal with. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  // Errors from another realm (vm contexts, jest environments) fail `instanceof` but are errors.
  if (Object.prototype.toString.call(value) === '[object Error]') return value as Error;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return new Error(`non-error thrown: ${text}`);
}
