import type { EventSubscription } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';

const subscription = (tenant: string, execution: string, listen: string, at: string): EventSubscription => ({
  tenant_id: tenant,
  workflow_id: 'wf_1',
  execution_id: execution,
  listen_id: listen,
  task_path: '/do/0/wait',
  filters: [{ type: 'com.example.order.paid', data: { orderId: 'o-1', 'a.b': { $x: 1 } } }],
  created_at: at,
});

/** The waiting listens the worker's event router matches events against. */
export function subscriptionContract(ctx: ContractContext): void {
  describe('event subscriptions', () => {
    it('stores, lists oldest first, replaces on the same key, and keeps tenants apart', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const other = ctx.tenant();
      const second = subscription(tenant, 'ex_b', 'l1', '2026-01-01T00:00:02.000Z');
      const first = subscription(tenant, 'ex_a', 'l1', '2026-01-01T00:00:01.000Z');
      await db.subscriptions.put(second);
      await db.subscriptions.put(first);
      await db.subscriptions.put(subscription(other, 'ex_c', 'l1', '2026-01-01T00:00:00.000Z'));
      expect(await db.subscriptions.listByTenant(tenant)).toEqual([first, second]);

      const replaced = { ...first, filters: [{ type: 'other' }] };
      await db.subscriptions.put(replaced);
      expect(await db.subscriptions.listByTenant(tenant)).toEqual([replaced, second]);
      expect(await db.subscriptions.listByTenant(ctx.tenant())).toEqual([]);
    });

    it('removes one listen, or every listen of an execution, and only in its tenant', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const other = ctx.tenant();
      const at = '2026-01-01T00:00:01.000Z';
      await db.subscriptions.put(subscription(tenant, 'ex_a', 'l1', at));
      await db.subscriptions.put(subscription(tenant, 'ex_a', 'l2', at));
      await db.subscriptions.put(subscription(tenant, 'ex_b', 'l1', at));
      await db.subscriptions.put(subscription(other, 'ex_a', 'l1', at));

      await db.subscriptions.remove(tenant, 'ex_a', 'l2');
      const keys = async (t: string): Promise<string[]> =>
        (await db.subscriptions.listByTenant(t)).map((s) => `${s.execution_id}/${s.listen_id}`);
      expect(await keys(tenant)).toEqual(['ex_a/l1', 'ex_b/l1']);

      await db.subscriptions.remove(tenant, 'ex_a');
      expect(await keys(tenant)).toEqual(['ex_b/l1']);
      expect(await keys(other)).toEqual(['ex_a/l1']);
      await db.subscriptions.remove(tenant, 'ex_missing');
      await db.subscriptions.remove(tenant, 'ex_b', 'l_missing');
      expect(await keys(tenant)).toEqual(['ex_b/l1']);
    });
  });
}
