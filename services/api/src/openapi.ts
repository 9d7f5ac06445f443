/**
 * The OpenAPI 3.0 document served at GET /docs. A test walks the Express router and fails when a
 * route is missing here, so the document cannot fall behind the code.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema): Schema => ({ 'application/json': { schema } });
const ok = (description: string, schema?: Schema): Schema => ({
  description,
  ...(schema ? { content: json(schema) } : {}),
});
const errors = (...statuses: number[]): Record<string, Schema> =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));

const tenantParam = {
  name: 'tenant_id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
};
const idParam = (name: string): Schema => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const query = (name: string, schema: Schema = { type: 'string' }): Schema => ({ name, in: 'query', schema });
const paging = [
  query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
  query('offset', { type: 'integer', minimum: 0 }),
  query('page', { type: 'integer', minimum: 1 }),
  query('size', { type: 'integer', minimum: 1, maximum: 100 }),
  query('sort_order', { type: 'string', enum: ['asc', 'desc'] }),
];
const executionFilters = [
  query('sort_by', { type: 'string', enum: ['started_at', 'completed_at', 'status'] }),
  query('status', {
    type: 'string',
    enum: ['pending', 'running', 'waiting', 'suspended', 'cancelled', 'faulted', 'completed'],
  }),
  query('correlation_id'),
  query('started_from', { type: 'string', format: 'date-time' }),
  query('started_to', { type: 'string', format: 'date-time' }),
];

/** Tenant API keys, managed with the admin key (routes exist only with AUTH_MODE=apikey). */
function adminPaths(): Record<string, Schema> {
  const keys = '/api/v1/admin/tenants/{tenant_id}/api-keys';
  const apiKey = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      tenant_id: { type: 'string' },
      name: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      revoked: { type: 'boolean' },
      revoked_at: { type: 'string', format: 'date-time' },
    },
  };
  return {
    [keys]: {
      post: {
        summary: 'Create an API key for the tenant; the plaintext `key` is in this answer only',
        parameters: [tenantParam],
        requestBody: { content: json({ type: 'object', properties: { name: { type: 'string' } } }) },
        responses: {
          201: ok('Created', { ...apiKey, properties: { ...apiKey.properties, key: { type: 'string' } } }),
          ...errors(400, 401, 403),
        },
      },
      get: {
        summary: "The tenant's API keys (never the keys themselves)",
        parameters: [tenantParam],
        responses: {
          200: ok('Keys', { type: 'object', properties: { items: { type: 'array', items: apiKey } } }),
          ...errors(401, 403),
        },
      },
    },
    [`${keys}/{key_id}`]: {
      delete: {
        summary: 'Revoke an API key (it stays listed as revoked)',
        parameters: [tenantParam, idParam('key_id')],
        responses: { 200: ok('Revoked', apiKey), ...errors(401, 403, 404) },
      },
    },
  };
}

function tenantPaths(prefix: string): Record<string, Schema> {
  const wf = `${prefix}/workflows/{workflow_id}`;
  const ex = `${prefix}/executions/{execution_id}`;
  const wfParams = [tenantParam, idParam('workflow_id')];
  const exParams = [tenantParam, idParam('execution_id')];
  return {
    [`${prefix}/workflows`]: {
      post: {
        summary: 'Register a workflow (JSON wrapper, or a raw DSL document as YAML or JSON)',
        parameters: [tenantParam],
        requestBody: {
          required: true,
          content: {
            ...json(ref('NewWorkflow')),
            'application/yaml': { schema: { type: 'object', description: 'A Serverless Workflow DSL 1.0.x document' } },
          },
        },
        responses: { 201: ok('Created', ref('Workflow')), ...errors(400, 413, 415) },
      },
      get: {
        summary: 'List workflows',
        parameters: [
          tenantParam,
          ...paging,
          query('sort_by', { type: 'string', enum: ['name', 'created_at', 'updated_at'] }),
          query('status', { type: 'string', enum: ['active', 'inactive'] }),
          query('name'),
          query('tags', { type: 'string', description: 'comma list; all must match' }),
          query('search'),
          query('created_at_from', { type: 'string', format: 'date-time' }),
          query('created_at_to', { type: 'string', format: 'date-time' }),
        ],
        responses: { 200: ok('A page of workflows', ref('WorkflowList')), ...errors(400) },
      },
    },
    [wf]: {
      get: {
        summary: 'Get a workflow',
        parameters: wfParams,
        responses: { 200: ok('The workflow', ref('Workflow')), ...errors(404) },
      },
      put: {
        summary: 'Update a workflow; a new definition bumps the version',
        parameters: wfParams,
        requestBody: { required: true, content: json(ref('WorkflowPatch')) },
        responses: { 200: ok('Updated', ref('Workflow')), ...errors(400, 404, 415) },
      },
      delete: { summary: 'Delete a workflow', parameters: wfParams, responses: { 204: ok('Deleted'), ...errors(404) } },
    },
    [`${wf}/execute`]: {
      post: {
        summary: 'Start an execution',
        parameters: wfParams,
        requestBody: { content: json(ref('ExecuteRequest')) },
        responses: { 202: ok('Started', ref('ExecutionStarted')), ...errors(400, 404, 409, 429) },
      },
    },
    [`${wf}/executions`]: {
      get: {
        summary: "A workflow's executions",
        parameters: [...wfParams, ...paging, ...executionFilters],
        responses: { 200: ok('A page of executions', ref('ExecutionList')), ...errors(400, 404) },
      },
    },
    [`${prefix}/executions`]: {
      get: {
        summary: 'List executions',
        parameters: [tenantParam, ...paging, ...executionFilters, query('workflow_id')],
        responses: { 200: ok('A page of executions', ref('ExecutionList')), ...errors(400) },
      },
    },
    [ex]: {
      get: {
        summary: 'Get an execution',
        parameters: exParams,
        responses: { 200: ok('The execution', ref('Execution')), ...errors(404) },
      },
    },
    [`${ex}/events`]: {
      get: {
        summary: "An execution's CloudEvents, in order",
        parameters: exParams,
        responses: { 200: ok('Events', ref('ItemList')), ...errors(404) },
      },
    },
    [`${ex}/steps`]: {
      get: {
        summary: "An execution's step runs",
        parameters: exParams,
        responses: { 200: ok('Step runs', ref('ItemList')), ...errors(404) },
      },
    },
    [`${ex}/logs`]: {
      get: {
        summary: "An execution's log lines",
        parameters: [
          ...exParams,
          query('level', { type: 'string', enum: ['debug', 'info', 'warn', 'error'] }),
          query('step_run_id'),
          query('limit', { type: 'integer' }),
        ],
        responses: { 200: ok('Log lines', ref('ItemList')), ...errors(400, 404) },
      },
    },
    [`${ex}/cancel`]: {
      post: {
        summary: 'Cancel an execution: it stops at its next step boundary and never resumes',
        parameters: exParams,
        requestBody: { content: json({ type: 'object', properties: { reason: { type: 'string' } } }) },
        responses: { 200: ok('The execution', ref('Execution')), ...errors(404, 409) },
      },
    },
    [`${ex}/stream`]: {
      get: {
        summary: 'Server-Sent Events: status changes and events as they happen, ending when the run ends',
        parameters: exParams,
        responses: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errors(404),
        },
      },
    },
    [`${prefix}/events`]: {
      post: {
        summary:
          'Publish CloudEvents to the executions waiting in listen (duplicates by source and id are ignored; events sent before a listen starts are not kept)',
        parameters: [tenantParam],
        requestBody: {
          required: true,
          content: {
            ...json({ oneOf: [ref('CloudEvent'), { type: 'array', minItems: 1, items: ref('CloudEvent') }] }),
            'application/cloudevents+json': { schema: ref('CloudEvent') },
            'application/cloudevents-batch+json': { schema: { type: 'array', items: ref('CloudEvent') } },
          },
        },
        responses: {
          202: ok('Accepted', { type: 'object', properties: { accepted: { type: 'integer' } } }),
          ...errors(400, 413, 415),
        },
      },
    },
    [`${prefix}/dlq`]: {
      get: {
        summary: 'Dead-lettered messages',
        parameters: [tenantParam, query('limit', { type: 'integer' })],
        responses: { 200: ok('Dead letters', ref('ItemList')) },
      },
    },
    [`${prefix}/dlq/{dead_letter_id}/redrive`]: {
      post: {
        summary: 'Re-drive a dead letter',
        parameters: [tenantParam, idParam('dead_letter_id')],
        responses: { 202: ok('Re-driven'), ...errors(404) },
      },
    },
    [`${prefix}/stats`]: {
      get: {
        summary: 'Counts of workflows and executions by status',
        parameters: [tenantParam],
        responses: { 200: ok('Stats', { type: 'object' }) },
      },
    },
  };
}

const schemas: Record<string, Schema> = {
  CloudEvent: {
    type: 'object',
    description: 'A CloudEvents 1.0 event in structured JSON mode',
    required: ['specversion', 'id', 'source', 'type'],
    properties: {
      specversion: { type: 'string', enum: ['1.0'] },
      id: { type: 'string', minLength: 1 },
      source: { type: 'string', minLength: 1 },
      type: { type: 'string', minLength: 1 },
      subject: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { type: 'string' },
      dataschema: { type: 'string' },
      data: {},
    },
    additionalProperties: true,
  },
  Error: {
    type: 'object',
    required: ['error', 'message', 'request_id'],
    properties: {
      error: {
        type: 'string',
        enum: [
          'VALIDATION_ERROR',
          'NOT_FOUND',
          'CONFLICT',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
          'UNAVAILABLE',
          'INTERNAL_ERROR',
        ],
      },
      message: { type: 'string' },
      details: {
        type: 'array',
        items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
      request_id: { type: 'string' },
    },
  },
  NewWorkflow: {
    type: 'object',
    required: ['definition'],
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      definition: { type: 'object', description: 'A Serverless Workflow DSL 1.0.x document' },
    },
  },
  WorkflowPatch: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      definition: { type: 'object' },
      state: { type: 'string', enum: ['active', 'inactive'] },
    },
  },
  Workflow: {
    type: 'object',
    properties: {
      id: { type: 'string', example: 'wf_01JB8ZQ3F6V8Y9K2M4N6P8R0T2' },
      tenant_id: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      version: { type: 'integer' },
      spec_version: { type: 'string' },
      definition: { type: 'object' },
      state: { type: 'string', enum: ['active', 'inactive'] },
      tags: { type: 'array', items: { type: 'string' } },
      created_by: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  ExecuteRequest: {
    type: 'object',
    properties: {
      input: {},
      correlation_id: { type: 'string' },
      idempotency_key: {
        type: 'string',
        maxLength: 255,
        description:
          'Starting twice with one key returns the first execution. Keys starting with "wormhole-child " or "wormhole-schedule " are the engine\'s own (400).',
      },
    },
  },
  ExecutionStarted: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      workflow_id: { type: 'string' },
      status: { type: 'string' },
      correlation_id: { type: 'string' },
      started_at: { type: 'string' },
    },
  },
  Execution: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      workflow_id: { type: 'string' },
      tenant_id: { type: 'string' },
      status: { type: 'string' },
      correlation_id: { type: 'string' },
      input: {},
      output: {},
      error: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          status: { type: 'integer' },
          title: { type: 'string' },
          detail: { type: 'string' },
          instance: { type: 'string' },
        },
      },
      current_task: { type: 'string' },
      started_at: { type: 'string', format: 'date-time' },
      completed_at: { type: 'string', format: 'date-time' },
      duration_ms: { type: 'integer' },
    },
  },
  Pagination: {
    type: 'object',
    properties: Object.fromEntries(
      ['total', 'limit', 'offset', 'page', 'size', 'total_pages']
        .map((k) => [k, { type: 'integer' }])
        .concat([
          ['has_next', { type: 'boolean' }],
          ['has_previous', { type: 'boolean' }],
        ]),
    ),
  },
  WorkflowList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref('Workflow') },
      pagination: ref('Pagination'),
      filters: { type: 'object' },
      sort: { type: 'object' },
    },
  },
  ExecutionList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref('Execution') },
      pagination: ref('Pagination'),
      filters: { type: 'object' },
      sort: { type: 'object' },
    },
  },
  ItemList: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } },
};

const responses = Object.fromEntries(
  [
    [400, 'Invalid input'],
    [404, 'Not found'],
    [409, 'Conflict'],
    [413, 'Payload too large'],
    [415, 'Unsupported media type'],
    [
      429,
      'A tenant limit was reached (LIMIT_EXCEEDED: unfinished executions; RATE_LIMITED: start rate); retry after the Retry-After header',
    ],
  ].map(([status, description]) => [`E${status}`, { description, content: json(ref('Error')) }]),
);

export function openApiDocument(): Schema {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Wormhole API',
      version: '1.0.0',
      description: 'Serverless Workflow DSL 1.0.x engine (Flunq-compatible)',
    },
    paths: {
      '/health': {
        get: {
          summary: 'Liveness and each backend status',
          responses: { 200: ok('Healthy'), 503: ok('A backend is down') },
        },
      },
      '/live': { get: { summary: 'Liveness (no backend is asked)', responses: { 200: ok('Alive') } } },
      '/ready': { get: { summary: 'Readiness', responses: { 200: ok('Ready'), 503: ok('Not ready') } } },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain exposition format' } } },
      },
      '/docs': { get: { summary: 'This document', responses: { 200: ok('OpenAPI 3 document') } } },
      ...tenantPaths('/api/v1/{tenant_id}'),
      ...adminPaths(),
    },
    // With AUTH_MODE=apikey every /api/v1 route needs one of these; with none (the default) no key.
    security: [{ bearerKey: [] }, { headerKey: [] }],
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (whk_…) or the admin key' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
