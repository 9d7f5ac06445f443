import type { WorkflowDefinition, WorkflowListQuery } from '@wormhole/interfaces';
import { NotFoundError, WorkflowNotFoundError } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';
import { ISO_MS, sampleDefinition, sleep } from './helpers';

const baseQuery: WorkflowListQuery = { limit: 20, offset: 0, sortBy: 'created_at', sortOrder: 'asc' };

async function createNamed(
  ctx: ContractContext,
  tenant: string,
  name: string,
  extra: { description?: string; tags?: string[]; state?: 'active' | 'inactive' } = {},
): Promise<WorkflowDefinition> {
  return ctx.db().workflows.create(tenant, {
    name,
    definition: sampleDefinition(name),
    spec_version: '1.0.0',
    ...extra,
  });
}

export function workflowContract(ctx: ContractContext): void {
  describe('workflows', () => {
    it('creates a workflow at version 1 and reads it back unchanged', async () => {
      const tenant = ctx.tenant();
      const created = await ctx.db().workflows.create(tenant, {
        name: 'Order processing',
        description: 'Takes orders',
        definition: sampleDefinition('orders', { input: { from: '${ .order }' } }),
        spec_version: '1.0.1',
        tags: ['orders', 'prod'],
        created_by: 'alice',
      });
      expect(created.id).toMatch(/^wf_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(created).toMatchObject({
        tenant_id: tenant,
        name: 'Order processing',
        description: 'Takes orders',
        version: 1,
        spec_version: '1.0.1',
        state: 'active',
        tags: ['orders', 'prod'],
        created_by: 'alice',
      });
      expect(created.definition).toEqual(sampleDefinition('orders', { input: { from: '${ .order }' } }));
      expect(created.created_at).toMatch(ISO_MS);
      expect(created.updated_at).toMatch(ISO_MS);
      expect(await ctx.db().workflows.get(tenant, created.id)).toEqual(created);
    });

    it('defaults description to empty, tags to none and state to active', async () => {
      const tenant = ctx.tenant();
      const created = await createNamed(ctx, tenant, 'bare');
      expect(created).toMatchObject({ description: '', tags: [], state: 'active' });
      expect(created.created_by).toBeUndefined();
    });

    it('keeps unicode, quotes and deep JSON in definitions exactly', async () => {
      const tenant = ctx.tenant();
      const definition = sampleDefinition('unicode', {
        metadata: { text: 'żółw 🐢 "quoted" \\ back', nested: { a: [1, 2.5, null, true, { b: [] }] }, empty: {} },
      });
      const created = await ctx.db().workflows.create(tenant, {
        name: 'Żółw "turtle"',
        definition,
        spec_version: '1.0.0',
      });
      const read = await ctx.db().workflows.get(tenant, created.id);
      expect(read.name).toBe('Żółw "turtle"');
      expect(read.definition).toEqual(definition);
    });

    it('throws WorkflowNotFoundError for an unknown id', async () => {
      const error = await ctx
        .db()
        .workflows.get(ctx.tenant(), 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowNotFoundError);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).code).toBe('NOT_FOUND');
    });

    it("never shows one tenant's workflow to another", async () => {
      const a = ctx.tenant();
      const b = ctx.tenant();
      const wf = await createNamed(ctx, a, 'secret');
      const db = ctx.db();
      await expect(db.workflows.get(b, wf.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(db.workflows.getVersion(b, wf.id, 1)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(db.workflows.update(b, wf.id, { name: 'stolen' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(db.workflows.delete(b, wf.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect(await db.workflows.list(b, baseQuery)).toEqual({ items: [], total: 0 });
      expect((await db.stats.get(b)).workflows.total).toBe(0);
      expect((await db.workflows.get(a, wf.id)).name).toBe('secret');
    });

    it('updates fields without a new version unless the definition changes', async () => {
      const tenant = ctx.tenant();
      const wf = await createNamed(ctx, tenant, 'v1', { tags: ['a'] });
      await sleep(2);
      const renamed = await ctx
        .db()
        .workflows.update(tenant, wf.id, { name: 'renamed', description: 'd', tags: ['b', 'c'], state: 'inactive' });
      expect(renamed).toMatchObject({ name: 'renamed', description: 'd', tags: ['b', 'c'], state: 'inactive' });
      expect(renamed.version).toBe(1);
      expect(renamed.created_at).toBe(wf.created_at);
      expect(renamed.updated_at > wf.updated_at).toBe(true);

      const v2def = sampleDefinition('v2');
      const v2 = await ctx.db().workflows.update(tenant, wf.id, { definition: v2def, spec_version: '1.0.2' });
      expect(v2).toMatchObject({ version: 2, spec_version: '1.0.2', name: 'renamed', definition: v2def });
      expect(v2.updated_at > renamed.updated_at).toBe(true);
      expect(await ctx.db().workflows.getVersion(tenant, wf.id, 1)).toEqual(sampleDefinition('v1'));
      expect(await ctx.db().workflows.getVersion(tenant, wf.id, 2)).toEqual(v2def);
      await expect(ctx.db().workflows.getVersion(tenant, wf.id, 3)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect(await ctx.db().workflows.get(tenant, wf.id)).toEqual(v2);
    });

    it('loses no version under concurrent definition updates', async () => {
      const tenant = ctx.tenant();
      const wf = await createNamed(ctx, tenant, 'concurrent');
      const updates = Array.from({ length: 10 }, (_, i) =>
        ctx.db().workflows.update(tenant, wf.id, { definition: sampleDefinition(`c${i}`) }),
      );
      const results = await Promise.all(updates);
      expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const final = await ctx.db().workflows.get(tenant, wf.id);
      expect(final.version).toBe(11);
      const names = new Set<string>();
      for (let v = 2; v <= 11; v++) {
        const def = await ctx.db().workflows.getVersion(tenant, wf.id, v);
        names.add(JSON.stringify(def));
      }
      expect(names.size).toBe(10);
      // The current definition is the one stored as the latest version.
      expect(await ctx.db().workflows.getVersion(tenant, wf.id, 11)).toEqual(final.definition);
    });

    it('keeps every field under concurrent updates of different fields', async () => {
      const tenant = ctx.tenant();
      const wf = await createNamed(ctx, tenant, 'fields');
      await Promise.all([
        ctx.db().workflows.update(tenant, wf.id, { description: 'new description' }),
        ctx.db().workflows.update(tenant, wf.id, { tags: ['x'] }),
        ctx.db().workflows.update(tenant, wf.id, { state: 'inactive' }),
      ]);
      const read = await ctx.db().workflows.get(tenant, wf.id);
      expect(read).toMatchObject({ description: 'new description', tags: ['x'], state: 'inactive', version: 1 });
    });

    it('deletes a workflow and its versions', async () => {
      const tenant = ctx.tenant();
      const wf = await createNamed(ctx, tenant, 'doomed');
      const keep = await createNamed(ctx, tenant, 'kept');
      await ctx.db().workflows.delete(tenant, wf.id);
      await expect(ctx.db().workflows.get(tenant, wf.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(ctx.db().workflows.getVersion(tenant, wf.id, 1)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(ctx.db().workflows.delete(tenant, wf.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(ctx.db().workflows.update(tenant, wf.id, { name: 'x' })).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
      const list = await ctx.db().workflows.list(tenant, baseQuery);
      expect(list.items.map((w) => w.id)).toEqual([keep.id]);
      expect(list.total).toBe(1);
      expect((await ctx.db().stats.get(tenant)).workflows.total).toBe(1);
    });

    listContract(ctx);
  });
}

function listContract(ctx: ContractContext): void {
  describe('list', () => {
    const tenant = `list-${Math.random().toString(36).slice(2, 10)}`;
    const made: WorkflowDefinition[] = [];
    const list = (q: Partial<WorkflowListQuery>): ReturnType<ReturnType<ContractContext['db']>['workflows']['list']> =>
      ctx.db().workflows.list(tenant, { ...baseQuery, ...q });
    const ids = (ws: { items: WorkflowDefinition[] }): string[] => ws.items.map((w) => w.id);

    beforeAll(async () => {
      const specs = [
        { name: 'delta', description: 'Ships parcels to customers', tags: ['shipping', 'prod'] },
        { name: 'alpha', description: 'Order intake', tags: ['orders', 'prod'], state: 'inactive' as const },
        { name: 'charlie', description: 'Refund 100% of orders', tags: ['orders'] },
        { name: 'bravo_x', description: 'Payment capture', tags: [] },
        { name: 'echo', description: 'Nightly ORDER report', tags: ['reports', 'prod', 'orders'] },
      ];
      for (const spec of specs) {
        made.push(await createNamed(ctx, tenant, spec.name, spec));
        await sleep(3); // distinct created_at values for the range and sort tests
      }
      // updated_at order differs from created_at order: touch the first one last.
      made[0] = await ctx.db().workflows.update(tenant, made[0]!.id, { description: made[0]!.description });
    });

    it('sorts by created_at, name and updated_at in both directions', async () => {
      const [delta, alpha, charlie, bravo, echo] = made.map((w) => w.id);
      expect(ids(await list({}))).toEqual([delta, alpha, charlie, bravo, echo]);
      expect(ids(await list({ sortOrder: 'desc' }))).toEqual([echo, bravo, charlie, alpha, delta]);
      expect(ids(await list({ sortBy: 'name' }))).toEqual([alpha, bravo, charlie, delta, echo]);
      expect(ids(await list({ sortBy: 'name', sortOrder: 'desc' }))).toEqual([echo, delta, charlie, bravo, alpha]);
      expect(ids(await list({ sortBy: 'updated_at' }))).toEqual([alpha, charlie, bravo, echo, delta]);
      expect(ids(await list({ sortBy: 'updated_at', sortOrder: 'desc' }))).toEqual([
        delta,
        echo,
        bravo,
        charlie,
        alpha,
      ]);
    });

    it('pages with limit and offset and reports the total', async () => {
      const all = ids(await list({}));
      expect(await list({ limit: 2, offset: 0 })).toMatchObject({ total: 5 });
      expect(ids(await list({ limit: 2, offset: 0 }))).toEqual(all.slice(0, 2));
      expect(ids(await list({ limit: 2, offset: 2 }))).toEqual(all.slice(2, 4));
      expect(ids(await list({ limit: 2, offset: 4 }))).toEqual(all.slice(4));
      expect(await list({ limit: 2, offset: 5 })).toEqual({ items: [], total: 5 });
      expect(await list({ limit: 100, offset: 1000 })).toEqual({ items: [], total: 5 });
      expect(ids(await list({ limit: 1, offset: 4 }))).toEqual(all.slice(4));
      expect(ids(await list({ limit: 100 }))).toEqual(all);
    });

    it('returns full workflows in list items', async () => {
      const page = await list({ limit: 1 });
      expect(page.items[0]).toEqual(made[0]);
    });

    it('filters by state', async () => {
      expect(ids(await list({ state: 'inactive' }))).toEqual([made[1]!.id]);
      const active = await list({ state: 'active' });
      expect(active.total).toBe(4);
      expect(ids(active)).not.toContain(made[1]!.id);
    });

    it('filters by name as a case-insensitive substring, with wildcards taken literally', async () => {
      expect(ids(await list({ name: 'HAR' }))).toEqual([made[2]!.id]);
      expect(ids(await list({ name: 'a' })).length).toBe(4); // delta, alpha, charlie, bravo_x
      expect(ids(await list({ name: '_x' }))).toEqual([made[3]!.id]);
      expect(ids(await list({ name: '%' }))).toEqual([]);
      expect(ids(await list({ name: '.*' }))).toEqual([]);
      expect(await list({ name: 'zzz' })).toEqual({ items: [], total: 0 });
    });

    it('filters by tags, every tag listed must match', async () => {
      const [delta, alpha, charlie, , echo] = made.map((w) => w.id);
      expect(ids(await list({ tags: ['orders'] }))).toEqual([alpha, charlie, echo]);
      expect(ids(await list({ tags: ['orders', 'prod'] }))).toEqual([alpha, echo]);
      expect(ids(await list({ tags: ['prod'] }))).toEqual([delta, alpha, echo]);
      expect(ids(await list({ tags: ['orders', 'nope'] }))).toEqual([]);
    });

    it('searches words in name and description, case-insensitively', async () => {
      const [delta, alpha, charlie, bravo, echo] = made.map((w) => w.id);
      expect(ids(await list({ search: 'order' }))).toEqual([alpha, charlie, echo]);
      expect(ids(await list({ search: 'ORDER report' }))).toEqual([echo]);
      expect(ids(await list({ search: 'parcels' }))).toEqual([delta]);
      expect(ids(await list({ search: 'bravo' }))).toEqual([bravo]);
      expect(ids(await list({ search: '100%' }))).toEqual([charlie]);
      expect(await list({ search: 'nothing-like-this' })).toEqual({ items: [], total: 0 });
    });

    it('filters by an inclusive created_at range', async () => {
      const [, alpha, charlie, bravo] = made;
      const page = await list({ createdFrom: alpha!.created_at, createdTo: bravo!.created_at });
      expect(ids(page)).toEqual([alpha!.id, charlie!.id, bravo!.id]);
      expect(page.total).toBe(3);
      expect(ids(await list({ createdFrom: charlie!.created_at, createdTo: charlie!.created_at }))).toEqual([
        charlie!.id,
      ]);
    });

    it('combines filters, sort and paging, counting only matches', async () => {
      const [, , charlie, , echo] = made.map((w) => w.id);
      const page = await list({ tags: ['orders'], state: 'active', sortBy: 'name', sortOrder: 'desc', limit: 1 });
      expect(page.total).toBe(2);
      expect(ids(page)).toEqual([echo]);
      const next = await list({ tags: ['orders'], state: 'active', sortBy: 'name', sortOrder: 'desc', offset: 1 });
      expect(ids(next)).toEqual([charlie]);
    });
  });
}
