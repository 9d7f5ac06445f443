import { Router } from 'express';
import type { Request } from 'express';
import type { Database, ExecutionListQuery, JsonValue } from '@wormhole/interfaces';
import { EXECUTION_STATUSES, ValidationError } from '@wormhole/interfaces';
import type { ExecutionService } from '../engine/execution-service';
import { objectBody } from '../http/body';
import { QueryReader, listEnvelope, readPaging, readSortOrder } from '../http/query';
import { tenantOf } from '../http/tenant';
import { streamExecution } from './execution-stream';

const SORT_FIELDS = ['started_at', 'completed_at', 'status'] as const;

/** Executions: list, get, events, logs, cancel, live stream. */
export function executionRoutes(db: Database, executions: ExecutionService): Router {
  const router = Router({ mergeParams: true });

  router.get('/executions', async (req, res) => {
    res.json(await listExecutions(db, tenantOf(res), req.query, {}));
  });

  router.get('/executions/:executionId', async (req, res) => {
    res.json(await db.executions.get(tenantOf(res), req.params.executionId));
  });

  router.get('/executions/:executionId/events', async (req, res) => {
    const tenant = tenantOf(res);
    await db.executions.get(tenant, req.params.executionId);
    const events = await db.events.list(tenant, req.params.executionId);
    res.json({ items: events });
  });

  router.get('/executions/:executionId/steps', async (req, res) => {
    const tenant = tenantOf(res);
    await db.executions.get(tenant, req.params.executionId);
    res.json({ items: await db.steps.listByExecution(tenant, req.params.executionId) });
  });

  router.get('/executions/:executionId/logs', async (req, res) => {
    const tenant = tenantOf(res);
    const q = new QueryReader(req.query);
    const level = q.oneOf('level', ['debug', 'info', 'warn', 'error'] as const);
    const stepRunId = q.filter('step_run_id');
    const limit = q.int('limit', 1, 10_000);
    q.done();
    await db.executions.get(tenant, req.params.executionId);
    const items = await db.logs.list(tenant, req.params.executionId, {
      ...(level ? { level } : {}),
      ...(stepRunId ? { stepRunId } : {}),
      ...(limit ? { limit } : {}),
    });
    res.json({ items });
  });

  router.post('/executions/:executionId/cancel', async (req, res) => {
    const reason = reasonOf(req);
    res.json(await executions.cancel(tenantOf(res), req.params.executionId, reason));
  });

  router.get('/executions/:executionId/stream', async (req, res) => {
    await streamExecution(db, tenantOf(res), req.params.executionId, req, res);
  });

  return router;
}

/** Lists executions with api.md's paging, sorting and filters (shared with a workflow's executions). */
export async function listExecutions(
  db: Database,
  tenantId: string,
  rawQuery: Request['query'],
  fixed: { workflowId?: string },
): Promise<ReturnType<typeof listEnvelope>> {
  const q = new QueryReader(rawQuery);
  const paging = readPaging(q);
  const sortBy = q.oneOf('sort_by', SORT_FIELDS) ?? 'started_at';
  const sortOrder = readSortOrder(q, 'desc');
  const status = q.oneOf('status', EXECUTION_STATUSES);
  if (status) q.applied.status = status;
  const workflowId = fixed.workflowId ?? q.filter('workflow_id');
  const correlationId = q.filter('correlation_id');
  const startedFrom = q.date('started_from');
  const startedTo = q.date('started_to');
  q.done();
  const query: ExecutionListQuery = {
    ...paging,
    sortBy,
    sortOrder,
    ...(status ? { status } : {}),
    ...(workflowId ? { workflowId } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(startedFrom ? { startedFrom } : {}),
    ...(startedTo ? { startedTo } : {}),
  };
  const page = await db.executions.list(tenantId, query);
  return listEnvelope(page.items, page.total, paging, q.applied, { field: sortBy, order: sortOrder });
}

function reasonOf(req: Request): string | undefined {
  const reason: JsonValue | undefined = objectBody(req).reason;
  if (reason === undefined || reason === null) return undefined;
  if (typeof reason !== 'string' || reason.length > 1000) {
    throw new ValidationError('`reason` must be a string of at most 1000 characters', [
      { path: '/reason', message: 'invalid' },
    ]);
  }
  return reason;
}
