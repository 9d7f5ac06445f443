import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@wormhole/interfaces';

/** Per-request values, kept in `res.locals` under one typed key. */
export interface RequestContext {
  readonly requestId: string;
  logger: Logger;
  tenantId?: string;
  /** Who the API key belongs to (AUTH_MODE=apikey); absent when authentication is off. */
  principal?: Principal;
}

export type Principal = { readonly kind: 'admin' } | { readonly kind: 'tenant'; readonly tenantId: string };

const KEY = 'wormhole';
const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

export function context(res: Response): RequestContext {
  return (res.locals as Record<string, RequestContext>)[KEY]!;
}

/** Assigns the request id (the client's when it is a sane token) and a request logger. */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const sent = req.header('x-request-id');
    const requestId = sent && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
    res.setHeader('X-Request-ID', requestId);
    (res.locals as Record<string, RequestContext>)[KEY] = {
      requestId,
      logger: logger.child({ request_id: requestId }),
    };
    next();
  };
}
