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

    it('finds the subscriptions an event type may match: its literal type, and those of any type', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const other = ctx.tenant();
      const at = (n: number): string => `2026-01-01T00:00:0${n}.000Z`;
      const put = (execution: string, n: number, filters: EventSubscription['filters']): Promise<void> =>
        db.subscriptions.put({ ...subscription(tenant, execution, 'l1', at(n)), filters });
      await put('ex_paid', 1, [{ type: 'order.paid', data: { orderId: 'o-1' } }]);
      await put('ex_shipped', 2, [{ type: 'order.shipped' }]);
      await put('ex_either', 3, [{ type: 'order.shipped' }, { type: 'order.paid' }]);
      await put('ex_source', 4, [{ source: 'shop' }]);
      await put('ex_predicate', 5, [{ type: '${ startswith("order.") }' }]);
      await put('ex_every', 6, []);
      await put('ex_mixed', 7, [{ type: 'order.refunded' }, { data: '${ .total > 100 }' }]);
      await db.subscriptions.put(subscription(other, 'ex_other', 'l1', at(0)));
      const executions = async (type: string): Promise<string[]> =>
        (await db.subscriptions.listForEventType(tenant, type)).map((s) => s.execution_id);
      const anyType = ['ex_source', 'ex_predicate', 'ex_every', 'ex_mixed'];

      expect(await executions('order.paid')).toEqual(['ex_paid', 'ex_either', ...anyType]);
      expect(await executions('order.shipped')).toEqual(['ex_shipped', 'ex_either', ...anyType]);
      expect(await executions('order.refunded')).toEqual(anyType);
      expect(await executions('unknown')).toEqual(anyType);
      const [paid] = await db.subscriptions.listForEventType(tenant, 'order.paid');
      expect(paid).toEqual({
        ...subscription(tenant, 'ex_paid', 'l1', at(1)),
        filters: [{ type: 'order.paid', data: { orderId: 'o-1' } }],
      });

      // Replaced filters move it between types and the any-type set.
      await put('ex_paid', 1, [{ type: 'order.cancelled' }]);
      await put('ex_source', 4, [{ type: 'order.cancelled' }]);
      await put('ex_shipped', 2, [{ source: 'warehouse' }]);
      expect(await executions('order.paid')).toEqual([
        'ex_shipped',
        'ex_either',
        'ex_predicate',
        'ex_every',
        'ex_mixed',
      ]);
      expect(await executions('order.cancelled')).toEqual([
        'ex_paid',
        'ex_shipped',
        'ex_source',
        'ex_predicate',
        'ex_every',
        'ex_mixed',
      ]);

      // Removed ones are gone from every type; other tenants are never seen.
      await db.subscriptions.remove(tenant, 'ex_either');
      await db.subscriptions.remove(tenant, 'ex_paid', 'l1');
      await db.subscriptions.remove(tenant, 'ex_every');
      expect(await executions('order.shipped')).toEqual(['ex_shipped', 'ex_predicate', 'ex_mixed']);
      expect(await executions('order.cancelled')).toEqual(['ex_shipped', 'ex_source', 'ex_predicate', 'ex_mixed']);
      expect(
        (await db.subscriptions.listForEventType(other, 'com.example.order.paid')).map((s) => s.execution_id),
      ).toEqual(['ex_other']);
      expect(await db.subscriptions.listForEventType(ctx.tenant(), 'order.paid')).toEqual([]);
    });
  });
}
