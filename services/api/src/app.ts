import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { BackendHealth, Database, EventStream, Logger, Metrics } from '@wormhole/interfaces';
import type { ApiConfig } from './config';
import { authenticate, requireAdmin } from './auth/authenticate';
import { KeyVerifier } from './auth/key-verifier';
import { ExecutionService } from './engine/execution-service';
import { StartRateLimiter } from './engine/start-rate-limiter';
import { bodyReader } from './http/body';
import { requestContext } from './http/context';
import { errorHandler, notFoundHandler } from './http/errors';
import { DEFAULT_TENANT, bindTenant } from './http/tenant';
import { adminApiKeyRoutes } from './routes/admin-api-keys';
import { deadLetterRoutes } from './routes/dead-letters';
import { eventRoutes } from './routes/events';
import { executionRoutes } from './routes/executions';
import { operationRoutes } from './routes/operations';
import { statsRoutes } from './routes/stats';
import { workflowRoutes } from './routes/workflows';
import { roleHealth } from '@wormhole/platform';

export interface ApiDeps {
  readonly config: Pick<ApiConfig, 'bodyLimitBytes' | 'tenantMode' | 'cancelWaitMs'> &
    Partial<
      Pick<
        ApiConfig,
        | 'maxActiveExecutionsPerTenant'
        | 'tenantStartRate'
        | 'tenantStartBurst'
        | 'authMode'
        | 'adminApiKey'
        | 'apiKeyCacheMs'
      >
    >;
  readonly db: Database;
  readonly stream: EventStream;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Readiness beyond backend health (false while starting or shutting down). */
  readonly isReady?: () => boolean;
}

/** The REST API as an Express app, without `listen`, so tests drive it directly. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(bodyReader(deps.config.bodyLimitBytes));
  // The database (and log store) and the event transport: a role without either is not healthy.
  const health = (): Promise<BackendHealth[]> => roleHealth(deps.db, deps.stream);
  app.use(operationRoutes(health, deps.metrics, deps.isReady ?? (() => true)));

  const executions = new ExecutionService(deps.db, deps.stream, {
    cancelWaitMs: deps.config.cancelWaitMs,
    maxActivePerTenant: deps.config.maxActiveExecutionsPerTenant ?? 0,
    ...startLimiter(deps.config),
  });
  if (deps.config.authMode === 'apikey') {
    const verifier = new KeyVerifier(deps.db.apiKeys, deps.config.adminApiKey, deps.config.apiKeyCacheMs ?? 5000);
    app.use('/api/v1', authenticate(verifier));
    // Before the tenant routes: with authentication on, "admin" is not a tenant id.
    app.use('/api/v1', requireAdminOn('/admin'), adminApiKeyRoutes(deps.db));
  }
  const tenantRouter = express.Router({ mergeParams: true });
  tenantRouter.use(workflowRoutes(deps.db, executions, deps.metrics));
  tenantRouter.use(executionRoutes(deps.db, executions));
  tenantRouter.use(eventRoutes(deps.stream));
  tenantRouter.use(deadLetterRoutes(deps.stream));
  tenantRouter.use(statsRoutes(deps.db));

  if (!deps.config.tenantMode) {
    // Single-tenant deployments also answer without the tenant segment.
    app.use('/api/v1', bindTenant(DEFAULT_TENANT), tenantRouter);
  }
  app.use('/api/v1/:tenantId', bindTenant(), tenantRouter);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** requireAdmin for paths under `prefix` only. */
function requireAdminOn(prefix: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === prefix || req.path.startsWith(`${prefix}/`)) requireAdmin(req, res, next);
    else next();
  };
}

function startLimiter(config: ApiDeps['config']): { startLimiter?: StartRateLimiter } {
  const rate = config.tenantStartRate ?? 0;
  if (rate <= 0) return {};
  return { startLimiter: new StartRateLimiter(rate, config.tenantStartBurst ?? Math.max(1, Math.ceil(rate))) };
}

/** Request latency by method, route pattern (bounded cardinality, never the raw path) and status. */
function requestMetrics(metrics: Metrics) {
  const duration = metrics.histogram({
    name: 'wormhole_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const pattern = route ? `${req.baseUrl.replace(/\/api\/v1\/[^/]+/, '/api/v1/:tenant')}${route}` : 'unmatched';
      stop({ method: req.method, route: pattern, status: String(res.statusCode) });
    });
    next();
  };
}
