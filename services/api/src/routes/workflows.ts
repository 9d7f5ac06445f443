import { Router } from 'express';
import type { Request } from 'express';
import type { Database, JsonObject, JsonValue, Metrics, NewWorkflow, WorkflowPatch } from '@wormhole/interfaces';
import { ValidationError, isReservedIdempotencyKey } from '@wormhole/interfaces';
import { validateWorkflowDocument } from '@wormhole/dsl';
import type { ExecutionService } from '../engine/execution-service';
import { objectBody, parsedBody } from '../http/body';
import { tenantOf } from '../http/tenant';
import { QueryReader, listEnvelope, readPaging, readSortOrder } from '../http/query';
import { listExecutions } from './executions';

const SORT_FIELDS = ['name', 'created_at', 'updated_at'] as const;
const MAX_TAGS = 50;

/** Workflow definitions: create, list, get, update, delete, execute, and a workflow's executions. */
export function workflowRoutes(db: Database, executions: ExecutionService, metrics: Metrics): Router {
  const router = Router({ mergeParams: true });
  // Counts by operation only: a tenant label would grow without bound.
  const changes = metrics.counter({
    name: 'wormhole_workflow_changes_total',
    help: 'Workflow definitions created, given a new version or settings (update), and deleted',
    labelNames: ['operation'],
  });
  const started = metrics.counter({
    name: 'wormhole_executions_started_total',
    help: 'Executions started over the API',
  });

  router.post('/workflows', async (req, res) => {
    const workflow = await db.workflows.create(tenantOf(res), newWorkflowFrom(req));
    changes.inc({ operation: 'create' });
    res.status(201).json(workflow);
  });

  router.get('/workflows', async (req, res) => {
    const q = new QueryReader(req.query);
    const paging = readPaging(q);
    const sortBy = q.oneOf('sort_by', SORT_FIELDS) ?? 'created_at';
    const sortOrder = readSortOrder(q, 'desc');
    const state = q.oneOf('status', ['active', 'inactive'] as const);
    if (state) q.applied.status = state;
    const tags = q
      .filter('tags')
      ?.split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const query = {
      ...paging,
      sortBy,
      sortOrder,
      ...(state ? { state } : {}),
      ...optional('name', q.filter('name')),
      ...(tags && tags.length > 0 ? { tags } : {}),
      ...optional('search', q.filter('search')),
      ...optional('createdFrom', q.date('created_at_from')),
      ...optional('createdTo', q.date('created_at_to')),
    };
    q.done();
    const page = await db.workflows.list(tenantOf(res), query);
    res.json(listEnvelope(page.items, page.total, paging, q.applied, { field: sortBy, order: sortOrder }));
  });

  router.get('/workflows/:workflowId', async (req, res) => {
    res.json(await db.workflows.get(tenantOf(res), req.params.workflowId));
  });

  router.put('/workflows/:workflowId', async (req, res) => {
    const updated = await db.workflows.update(tenantOf(res), req.params.workflowId, patchFrom(req));
    changes.inc({ operation: 'update' });
    res.json(updated);
  });

  router.delete('/workflows/:workflowId', async (req, res) => {
    await db.workflows.delete(tenantOf(res), req.params.workflowId);
    changes.inc({ operation: 'delete' });
    res.status(204).end();
  });

  router.post('/workflows/:workflowId/execute', async (req, res) => {
    const body = objectBody(req);
    const { execution, created } = await executions.start(tenantOf(res), req.params.workflowId, {
      ...(body.input !== undefined ? { input: body.input } : {}),
      ...optional('correlation_id', shortString(body, 'correlation_id')),
      ...optional('idempotency_key', clientIdempotencyKey(body)),
    });
    if (created) started.inc();
    res.status(202).json({
      id: execution.id,
      workflow_id: execution.workflow_id,
      status: execution.status,
      ...optional('correlation_id', execution.correlation_id),
      started_at: execution.started_at,
    });
  });

  router.get('/workflows/:workflowId/executions', async (req, res) => {
    await db.workflows.get(tenantOf(res), req.params.workflowId);
    res.json(await listExecutions(db, tenantOf(res), req.query, { workflowId: req.params.workflowId }));
  });

  return router;
}

/** A JSON wrapper `{name, description?, tags?, definition}`, or a raw DSL document (YAML or JSON). */
function newWorkflowFrom(req: Request): NewWorkflow {
  const { format, value } = parsedBody(req);
  if (format === 'none') throw new ValidationError('a workflow definition is required');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('the request body must be an object');
  }
  const raw = format === 'yaml' || 'document' in value;
  const definition = raw ? value : value.definition;
  if (definition === undefined) {
    throw new ValidationError('`definition` is required', [{ path: '/definition', message: 'required' }]);
  }
  const summary = validateWorkflowDocument(definition);
  const body: Record<string, JsonValue> = raw ? {} : value;
  return {
    name: shortString(body, 'name') ?? summary.title ?? summary.name,
    description: longString(body, 'description') ?? summary.summary ?? '',
    definition: definition as JsonObject,
    spec_version: summary.spec_version,
    tags: tagsOf(body),
    ...optional('state', stateOf(body)),
  };
}

function patchFrom(req: Request): WorkflowPatch {
  const body = objectBody(req);
  const known = ['name', 'description', 'tags', 'definition', 'state'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(
      `unknown fields: ${unknown.join(', ')}`,
      unknown.map((k) => ({ path: `/${k}`, message: 'not a workflow field' })),
    );
  }
  if (Object.keys(body).length === 0) throw new ValidationError(`nothing to update: send any of ${known.join(', ')}`);
  const summary = body.definition !== undefined ? validateWorkflowDocument(body.definition) : undefined;
  return {
    ...optional('name', shortString(body, 'name')),
    ...optional('description', longString(body, 'description')),
    ...(body.tags !== undefined ? { tags: tagsOf(body) } : {}),
    ...(summary ? { definition: body.definition as JsonObject, spec_version: summary.spec_version } : {}),
    ...optional('state', stateOf(body)),
  };
}

/**
 * The client's idempotency key. The forms of a child execution's key (which names the parent to
 * report to) and of a scheduled execution's key are the engine's own: a client using them could
 * make a run report into another run, or take a schedule's tick.
 */
function clientIdempotencyKey(body: Record<string, JsonValue>): string | undefined {
  const key = shortString(body, 'idempotency_key');
  if (key !== undefined && isReservedIdempotencyKey(key)) {
    throw new ValidationError(
      '`idempotency_key` may not start with "wormhole-child " or "wormhole-schedule ", which the engine reserves',
      [{ path: '/idempotency_key', message: 'reserved prefix' }],
    );
  }
  return key;
}

function shortString(body: Record<string, JsonValue>, field: string): string | undefined {
  return stringField(body, field, 255);
}

function longString(body: Record<string, JsonValue>, field: string): string | undefined {
  return stringField(body, field, 10_000);
}

function stringField(body: Record<string, JsonValue>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ValidationError(`\`${field}\` must be a string`, [{ path: `/${field}`, message: 'must be a string' }]);
  }
  const trimmed = value.trim();
  if (field === 'name' && trimmed === '') {
    throw new ValidationError('`name` must not be empty', [{ path: '/name', message: 'empty' }]);
  }
  if (trimmed.length > max) {
    throw new ValidationError(`\`${field}\` is longer than ${max} characters`, [
      { path: `/${field}`, message: 'too long' },
    ]);
  }
  return trimmed;
}

function tagsOf(body: Record<string, JsonValue>): string[] {
  const tags = body.tags;
  if (tags === undefined || tags === null) return [];
  const valid =
    Array.isArray(tags) &&
    tags.length <= MAX_TAGS &&
    tags.every((t) => typeof t === 'string' && /^[^\s,]{1,64}$/.test(t));
  if (!valid) {
    throw new ValidationError(`\`tags\` must be an array of at most ${MAX_TAGS} strings without spaces or commas`, [
      { path: '/tags', message: 'invalid tags' },
    ]);
  }
  return [...new Set(tags as string[])];
}

function stateOf(body: Record<string, JsonValue>): 'active' | 'inactive' | undefined {
  const state = body.state;
  if (state === undefined || state === null) return undefined;
  if (state !== 'active' && state !== 'inactive') {
    throw new ValidationError('`state` must be active or inactive', [{ path: '/state', message: 'invalid state' }]);
  }
  return state;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
