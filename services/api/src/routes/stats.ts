import { Router } from 'express';
import type { Database } from '@wormhole/interfaces';
import { tenantOf } from '../http/tenant';

export function statsRoutes(db: Database): Router {
  const router = Router({ mergeParams: true });
  router.get('/stats', async (_req, res) => {
    res.json(await db.stats.get(tenantOf(res)));
  });
  return router;
}
