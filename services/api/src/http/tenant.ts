import type { NextFunction, Request, Response } from 'express';
import { NotFoundError, ValidationError, isValidTenantId } from '@wormhole/interfaces';
import { context } from './context';

export const DEFAULT_TENANT = 'default';

/** Takes the tenant from the path (or the single-tenant default) and binds it to the request. */
export function bindTenant(fixed?: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const tenantId = fixed ?? (req.params as Record<string, string | undefined>).tenantId ?? '';
    if (!isValidTenantId(tenantId)) {
      next(
        new ValidationError(`invalid tenant id '${tenantId.slice(0, 80)}'`, [
          { path: 'tenant_id', message: 'must match ^[a-z0-9][a-z0-9_-]{0,62}$' },
        ]),
      );
      return;
    }
    const ctx = context(res);
    if (ctx.principal?.kind === 'tenant' && ctx.principal.tenantId !== tenantId) {
      // Another tenant's key: answer as if nothing were there, so existence does not leak.
      next(new NotFoundError('route', '', `${req.method} ${req.path}`));
      return;
    }
    ctx.tenantId = tenantId;
    ctx.logger = ctx.logger.child({ tenant_id: tenantId });
    next();
  };
}

export function tenantOf(res: Response): string {
  const tenantId = context(res).tenantId;
  if (tenantId === undefined) throw new Error('tenant not bound: route mounted outside the tenant router');
  return tenantId;
}
