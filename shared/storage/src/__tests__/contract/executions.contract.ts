import type { Execution, ExecutionListQuery, JsonObject, NewExecution } from '@wormhole/interfaces';
import { ExecutionNotFoundError } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';
import { ISO_MS, sampleDefinition, sleep } from './helpers';

const baseQuery: ExecutionListQuery = { limit: 20, offset: 0, sortBy: 'started_at', sortOrder: 'asc' };

async function newWorkflowId(ctx: ContractContext, tenant: string): Promise<string> {
  const wf = await ctx.db().workflows.create(tenant, {
    name: 'runs',
    definition: sampleDefinition('runs'),
    spec_version: '1.0.0',
  });
  return wf.id;
}

export function executionContract(ctx: ContractContext): void {
  describe('executions', () => {
    it('creates a pending execution and reads it back', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const input = { order: { id: 7, items: ['a', 'b'] }, note: null };
      const { execution, created } = await ctx.db().executions.create(tenant, {
        workflow_id: workflowId,
        workflow_version: 1,
        input,
        correlation_id: 'corr-1',
      });
      expect(created).toBe(true);
      expect(execution.id).toMatch(/^ex_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(execution).toMatchObject({
        tenant_id: tenant,
        workflow_id: workflowId,
        workflow_version: 1,
        status: 'pending',
        correlation_id: 'corr-1',
        input,
      });
      expect(execution.started_at).toMatch(ISO_MS);
      expect(execution.output).toBeUndefined();
      expect(execution.error).toBeUndefined();
      expect(execution.completed_at).toBeUndefined();
      expect(await ctx.db().executions.get(tenant, execution.id)).toEqual(execution);
    });

    it('keeps scalar and null inputs as they are', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      for (const input of [null, 0, 'text', [1, 'two'], false]) {
        const { execution } = await ctx.db().executions.create(tenant, {
          workflow_id: workflowId,
          workflow_version: 1,
          input,
        });
        expect((await ctx.db().executions.get(tenant, execution.id)).input).toEqual(input);
      }
    });

    it('throws ExecutionNotFoundError for unknown ids and other tenants', async () => {
      const a = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, a);
      const { execution } = await ctx
        .db()
        .executions.create(a, { workflow_id: workflowId, workflow_version: 1, input: {} });
      const b = ctx.tenant();
      await expect(ctx.db().executions.get(b, execution.id)).rejects.toBeInstanceOf(ExecutionNotFoundError);
      await expect(ctx.db().executions.update(b, execution.id, { status: 'running' })).rejects.toBeInstanceOf(
        ExecutionNotFoundError,
      );
      await expect(ctx.db().executions.get(a, 'ex_01ARZ3NDEKTSV4RRFFQ69G5FAV')).rejects.toBeInstanceOf(
        ExecutionNotFoundError,
      );
      expect(await ctx.db().executions.list(b, baseQuery)).toEqual({ items: [], total: 0 });
      expect((await ctx.db().executions.get(a, execution.id)).status).toBe('pending');
    });

    it('returns the first execution for a repeated idempotency key', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const otherWorkflow = await newWorkflowId(ctx, tenant);
      const request: NewExecution = {
        workflow_id: workflowId,
        workflow_version: 1,
        input: { n: 1 },
        idempotency_key: 'k1',
      };
      const first = await ctx.db().executions.create(tenant, request);
      const again = await ctx.db().executions.create(tenant, { ...request, input: { n: 2 } });
      expect(first.created).toBe(true);
      expect(again).toEqual({ execution: first.execution, created: false });
      const elsewhere = await ctx.db().executions.create(tenant, { ...request, workflow_id: otherWorkflow });
      expect(elsewhere.created).toBe(true);
      const otherTenant = ctx.tenant();
      const theirs = await ctx.db().executions.create(otherTenant, request);
      expect(theirs.created).toBe(true);
      expect(theirs.execution.id).not.toBe(first.execution.id);
    });

    it('finds an execution by its workflow and idempotency key', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const otherWorkflow = await newWorkflowId(ctx, tenant);
      const { execution } = await ctx.db().executions.create(tenant, {
        workflow_id: workflowId,
        workflow_version: 1,
        input: {},
        idempotency_key: 'a b/c',
      });
      expect(await ctx.db().executions.findByIdempotencyKey(tenant, workflowId, 'a b/c')).toEqual(execution);
      expect(await ctx.db().executions.findByIdempotencyKey(tenant, workflowId, 'a b')).toBeUndefined();
      expect(await ctx.db().executions.findByIdempotencyKey(tenant, otherWorkflow, 'a b/c')).toBeUndefined();
      expect(await ctx.db().executions.findByIdempotencyKey(ctx.tenant(), workflowId, 'a b/c')).toBeUndefined();
    });

    it('creates exactly one execution for concurrent requests with one idempotency key', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          ctx.db().executions.create(tenant, {
            workflow_id: workflowId,
            workflow_version: 1,
            input: {},
            idempotency_key: 'race',
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.execution.id)).size).toBe(1);
      expect((await ctx.db().executions.list(tenant, baseQuery)).total).toBe(1);
    });

    it('applies patches and keeps terminal states final when asked', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const { execution } = await ctx
        .db()
        .executions.create(tenant, { workflow_id: workflowId, workflow_version: 1, input: {} });
      const running = await ctx
        .db()
        .executions.update(tenant, execution.id, { status: 'running', current_task: '/do/0/a' });
      expect(running).toMatchObject({ status: 'running', current_task: '/do/0/a' });
      const completedAt = new Date(Date.parse(execution.started_at) + 1500).toISOString();
      const done = await ctx.db().executions.update(tenant, execution.id, {
        status: 'completed',
        output: { result: [1, 2] },
        completed_at: completedAt,
        duration_ms: 1500,
      });
      expect(done).toMatchObject({
        status: 'completed',
        output: { result: [1, 2] },
        completed_at: completedAt,
        duration_ms: 1500,
      });
      const unchanged = await ctx
        .db()
        .executions.update(
          tenant,
          execution.id,
          { status: 'faulted', error: { type: 'x', status: 500 } },
          { onlyIfNotTerminal: true },
        );
      expect(unchanged).toEqual(await ctx.db().executions.get(tenant, execution.id));
      expect(unchanged.status).toBe('completed');
      expect(unchanged.error).toBeUndefined();
    });

    it('stores the DSL error object of a faulted run', async () => {
      const tenant = ctx.tenant();
      const workflowId = await newWorkflowId(ctx, tenant);
      const { execution } = await ctx
        .db()
        .executions.create(tenant, { workflow_id: workflowId, workflow_version: 1, input: {} });
      const error = {
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
        status: 503,
        title: 'Service Unavailable',
        detail: 'upstream said no',
        instance: '/do/0/call',
      };
      const faulted = await ctx
        .db()
        .executions.update(tenant, execution.id, { status: 'faulted', error }, { onlyIfNotTerminal: true });
      expect(faulted.error).toEqual(error);
      expect((await ctx.db().executions.get(tenant, execution.id)).error).toEqual(error);
    });

    executionListContract(ctx);
  });
}

function executionListContract(ctx: ContractContext): void {
  describe('list executions', () => {
    const tenant = `exl-${Math.random().toString(36).slice(2, 10)}`;
    const runs: Execution[] = [];
    let wfA = '';
    let wfB = '';
    const list = (q: Partial<ExecutionListQuery>): Promise<{ items: Execution[]; total: number }> =>
      ctx.db().executions.list(tenant, { ...baseQuery, ...q });
    const ids = (page: { items: Execution[] }): string[] => page.items.map((e) => e.id);

    beforeAll(async () => {
      wfA = await newWorkflowId(ctx, tenant);
      wfB = await newWorkflowId(ctx, tenant);
      const plan: [string, string | undefined][] = [
        [wfA, 'c1'],
        [wfB, 'c1'],
        [wfA, undefined],
        [wfA, 'c2'],
      ];
      for (const [workflow, correlation] of plan) {
        const { execution } = await ctx.db().executions.create(tenant, {
          workflow_id: workflow,
          workflow_version: 1,
          input: {},
          ...(correlation ? { correlation_id: correlation } : {}),
        });
        runs.push(execution);
        await sleep(3);
      }
      runs[1] = await ctx.db().executions.update(tenant, runs[1]!.id, { status: 'running' });
      runs[3] = await ctx.db().executions.update(tenant, runs[3]!.id, { status: 'completed', output: 1 });
    });

    it('sorts by started_at both ways and pages', async () => {
      const all = runs.map((r) => r.id);
      expect(ids(await list({}))).toEqual(all);
      expect(ids(await list({ sortOrder: 'desc' }))).toEqual([...all].reverse());
      expect(await list({ limit: 3, offset: 3 })).toMatchObject({ total: 4 });
      expect(ids(await list({ limit: 3, offset: 3 }))).toEqual(all.slice(3));
      expect(await list({ offset: 10 })).toEqual({ items: [], total: 4 });
    });

    it('filters by workflow, status and correlation id', async () => {
      const [r0, r1, r2, r3] = runs.map((r) => r.id);
      expect(ids(await list({ workflowId: wfA }))).toEqual([r0, r2, r3]);
      expect(ids(await list({ workflowId: wfB }))).toEqual([r1]);
      expect(ids(await list({ status: 'pending' }))).toEqual([r0, r2]);
      expect(ids(await list({ status: 'completed' }))).toEqual([r3]);
      expect(ids(await list({ correlationId: 'c1' }))).toEqual([r0, r1]);
      expect(ids(await list({ workflowId: wfA, status: 'pending', correlationId: 'c1' }))).toEqual([r0]);
      expect(await list({ status: 'faulted' })).toEqual({ items: [], total: 0 });
    });

    it('filters by an inclusive started_at range', async () => {
      const [, r1, r2] = runs;
      const page = await list({ startedFrom: r1!.started_at, startedTo: r2!.started_at });
      expect(ids(page)).toEqual([r1!.id, r2!.id]);
      expect(page.total).toBe(2);
    });

    it('counts executions by status in stats', async () => {
      const stats = await ctx.db().stats.get(tenant);
      expect(stats.tenant_id).toBe(tenant);
      expect(stats.workflows).toMatchObject({ total: 2, active: 2, inactive: 0 });
      expect(stats.executions).toEqual({
        total: 4,
        pending: 2,
        running: 1,
        waiting: 0,
        suspended: 0,
        cancelled: 0,
        faulted: 0,
        completed: 1,
      });
    });
  });
}

export function maintenanceContract(ctx: ContractContext): void {
  describe('maintenance', () => {
    it('finds unfinished executions of every tenant not updated since a time, oldest first', async () => {
      const a = ctx.tenant();
      const b = ctx.tenant();
      const wfA = await newWorkflowId(ctx, a);
      const wfB = await newWorkflowId(ctx, b);
      const make = async (tenant: string, workflow: string): Promise<Execution> =>
        (await ctx.db().executions.create(tenant, { workflow_id: workflow, workflow_version: 1, input: {} })).execution;
      const pending = await make(a, wfA);
      await sleep(3);
      const running = await ctx.db().executions.update(b, (await make(b, wfB)).id, { status: 'running' });
      await sleep(3);
      const done = await ctx.db().executions.update(a, (await make(a, wfA)).id, { status: 'completed' });
      await sleep(3);
      const cutoff = new Date().toISOString();
      await sleep(3);
      const fresh = await make(b, wfB);
      const found = (await ctx.db().maintenance.findUnfinished(cutoff, 1000)).map((e) => e.id);
      expect(found).toContain(pending.id);
      expect(found).toContain(running.id);
      expect(found).not.toContain(done.id);
      expect(found).not.toContain(fresh.id);
      expect(found.indexOf(pending.id)).toBeLessThan(found.indexOf(running.id));
      const limited = await ctx.db().maintenance.findUnfinished(cutoff, 1);
      expect(limited).toHaveLength(1);
      const [first] = await ctx.db().maintenance.findUnfinished(running.updated_at, 1000);
      expect(first?.updated_at === undefined || first.updated_at < running.updated_at).toBe(true);
    });

    it('finds the active workflows of every tenant whose current definition has a schedule', async () => {
      const a = ctx.tenant();
      const b = ctx.tenant();
      const create = (tenant: string, name: string, extra: JsonObject = {}, state?: 'inactive') =>
        ctx.db().workflows.create(tenant, {
          name,
          definition: sampleDefinition(name, extra),
          spec_version: '1.0.0',
          ...(state ? { state } : {}),
        });
      const every = await create(a, 'every', { schedule: { every: { seconds: 1 } } });
      const cron = await create(b, 'cron', { schedule: { cron: '* * * * *' } });
      const plain = await create(a, 'plain');
      // A nested `schedule` key is not the document's schedule.
      const nested = await create(a, 'nested', { metadata: { schedule: 'nightly' } });
      const inactive = await create(b, 'inactive', { schedule: { every: { seconds: 1 } } }, 'inactive');
      const dropped = await create(b, 'dropped', { schedule: { after: { seconds: 1 } } });
      const added = await create(a, 'added');
      const deleted = await create(a, 'deleted', { schedule: { every: { seconds: 1 } } });
      await ctx.db().workflows.update(b, dropped.id, { definition: sampleDefinition('dropped') });
      await ctx.db().workflows.update(a, added.id, {
        definition: sampleDefinition('added', { schedule: { cron: '0 * * * *' } }),
      });
      await ctx.db().workflows.delete(a, deleted.id);
      const mine = (await ctx.db().maintenance.findScheduled()).filter((w) => w.tenant_id === a || w.tenant_id === b);
      expect(mine.map((w) => w.id).sort()).toEqual([every.id, cron.id, added.id].sort());
      const found = mine.find((w) => w.id === added.id);
      expect(found).toMatchObject({ tenant_id: a, version: 2, state: 'active' });
      expect(found?.definition.schedule).toEqual({ cron: '0 * * * *' });
      expect(
        [plain.id, nested.id, inactive.id, dropped.id, deleted.id].some((id) => mine.some((w) => w.id === id)),
      ).toBe(false);
      const tenants = mine.map((w) => w.tenant_id);
      expect(tenants).toEqual([...tenants].sort());
    });
  });
}
