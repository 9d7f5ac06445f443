import { Router } from 'express';
import type { BackendHealth, Metrics } from '@wormhole/interfaces';
import { openApiDocument } from '../openapi';

/** Liveness with each backend's status, readiness, Prometheus metrics, the OpenAPI document. */
export function operationRoutes(
  health: () => Promise<BackendHealth[]>,
  metrics: Metrics,
  isReady: () => boolean,
): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const backends = await health();
    const ok = backends.every((b) => b.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', backends });
  });
  // Liveness: the process answers; no backend is asked, so an outage never restarts a pod.
  router.get('/live', (_req, res) => {
    res.json({ live: true });
  });
  router.get('/ready', async (_req, res) => {
    const ready = isReady() && (await health()).every((b) => b.ok);
    res.status(ready ? 200 : 503).json({ ready });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.contentType).send(await metrics.render());
  });
  router.get('/docs', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
