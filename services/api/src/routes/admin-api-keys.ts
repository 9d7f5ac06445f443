import { Router } from 'express';
import type { Database } from '@wormhole/interfaces';
import { ValidationError, isValidTenantId } from '@wormhole/interfaces';
import { generateApiKey, hashApiKey } from '../auth/api-keys';
import { objectBody } from '../http/body';

/** Key management for the admin key: create (the plaintext is in this answer only), list, revoke. */
export function adminApiKeyRoutes(db: Database): Router {
  const router = Router({ mergeParams: true });
  const tenantParam = (params: Record<string, string | undefined>): string => {
    const tenantId = params.tenantId ?? '';
    if (!isValidTenantId(tenantId)) {
      throw new ValidationError(`invalid tenant id '${tenantId.slice(0, 80)}'`, [
        { path: 'tenant_id', message: 'must match ^[a-z0-9][a-z0-9_-]{0,62}$' },
      ]);
    }
    return tenantId;
  };

  router.post('/admin/tenants/:tenantId/api-keys', async (req, res) => {
    const tenantId = tenantParam(req.params);
    const body = objectBody(req);
    const name = body.name ?? 'api key';
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      throw new ValidationError('`name` must be a non-empty string of at most 200 characters', [
        { path: '/name', message: 'invalid' },
      ]);
    }
    const key = generateApiKey();
    const created = await db.apiKeys.create(tenantId, { name: name.trim(), hash: hashApiKey(key) });
    res.status(201).json({ ...created, key });
  });

  router.get('/admin/tenants/:tenantId/api-keys', async (req, res) => {
    res.json({ items: await db.apiKeys.list(tenantParam(req.params)) });
  });

  router.delete('/admin/tenants/:tenantId/api-keys/:keyId', async (req, res) => {
    res.json(await db.apiKeys.revoke(tenantParam(req.params), req.params.keyId));
  });

  return router;
}
