import type { NextFunction, Request, Response } from 'express';
import type { ErrorCode } from '@wormhole/interfaces';
import {
  AppError,
  LimitExceededError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ValidationError,
  ensureError,
} from '@wormhole/interfaces';
import { context } from './context';

/** The one place where error codes become HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  CONFIGURATION_ERROR: 500,
  LIMIT_EXCEEDED: 429,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INTERNAL_ERROR: 500,
};

/** Errors from body parsing (raw-body, express) carry a `type` and a `status`. */
function fromHttpLayer(error: Error & { type?: string; status?: number; limit?: number }): AppError | undefined {
  if (error.type === 'entity.too.large') return new PayloadTooLargeError(error.limit ?? 0);
  if (error.type === 'request.aborted') return new ValidationError('the request was aborted by the client');
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
  }
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    return new ValidationError(error.message);
  }
  return undefined;
}

export function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const raw = ensureError(error);
  const appError = raw instanceof AppError ? raw : fromHttpLayer(raw);
  const ctx = context(res);
  const status = appError ? STATUS[appError.code] : 500;
  if (status >= 500) ctx.logger.error('request failed', { err: raw });
  const body = {
    error: appError?.code ?? 'INTERNAL_ERROR',
    message: appError && status < 500 ? appError.message : status === 503 ? raw.message : 'internal error',
    ...(appError instanceof ValidationError && appError.details.length > 0 ? { details: appError.details } : {}),
    request_id: ctx.requestId,
  };
  if (res.headersSent) {
    res.end();
    return;
  }
  if (appError instanceof LimitExceededError || appError instanceof RateLimitedError) {
    res.set('Retry-After', String(appError.retryAfterSeconds));
  }
  res.status(status).json(body);
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError('route', '', `${req.method} ${req.path}`));
}
