import { Router } from 'express';
import type { EventStream } from '@wormhole/interfaces';
import { QueryReader } from '../http/query';
import { tenantOf } from '../http/tenant';

/** The tenant's dead-lettered messages, and re-driving one. */
export function deadLetterRoutes(stream: EventStream): Router {
  const router = Router({ mergeParams: true });
  router.get('/dlq', async (req, res) => {
    const q = new QueryReader(req.query);
    const limit = q.int('limit', 1, 1000) ?? 100;
    q.done();
    res.json({ items: await stream.listDeadLetters(tenantOf(res), limit) });
  });
  router.post('/dlq/:deadLetterId/redrive', async (req, res) => {
    await stream.redrive(tenantOf(res), req.params.deadLetterId);
    res.status(202).json({ redriven: req.params.deadLetterId });
  });
  return router;
}
