import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthenticatedError, ensureError } from '@wormhole/interfaces';
import { context } from '../http/context';
import type { KeyVerifier } from './key-verifier';

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '')?.[1];
  const header = req.header('x-api-key')?.trim();
  return bearer ?? (header !== undefined && header !== '' ? header : undefined);
}

/** Every /api/v1 request must carry a valid key; binds who it belongs to (see bindTenant). */
export function authenticate(verifier: KeyVerifier) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = presentedKey(req);
    if (key === undefined) {
      next(new UnauthenticatedError());
      return;
    }
    verifier.verify(key).then(
      (principal) => {
        if (principal === undefined) {
          next(new UnauthenticatedError('the API key is not valid'));
          return;
        }
        const ctx = context(res);
        ctx.principal = principal;
        next();
      },
      (error: unknown) => next(ensureError(error)),
    );
  };
}

/** Admin routes: the admin key only. */
export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  next(context(res).principal?.kind === 'admin' ? undefined : new ForbiddenError('this route needs the admin key'));
}
