import type { Database } from '@wormhole/interfaces';
import { JqWasmEvaluator } from '@wormhole/dsl';
import type { TestBackend } from '@wormhole/storage';
import { openTestDatabase, testBackends } from '@wormhole/storage';
import { RecordingStream, listen, published, routerOver } from './__tests__/routing-fixture';

describe.each(testBackends())('EventRouter on %s', (backend: TestBackend) => {
  let opened: { db: Database; cleanup(): Promise<void> };
  let evaluator: JqWasmEvaluator;

  beforeAll(async () => {
    opened = await openTestDatabase(backend);
    evaluator = await JqWasmEvaluator.create();
  });
  afterAll(() => opened.cleanup());

  it('reaches every listen whose filters match, whatever their kind, and no other', async () => {
    const db = opened.db;
    const tenant = `t-router-${backend}`;
    const parked = [
      listen(tenant, 'ex_type', [{ type: 'order.paid' }]),
      listen(tenant, 'ex_type_data', [{ type: 'order.paid', data: { orderId: 'o-1' } }]),
      listen(tenant, 'ex_type_data_other', [{ type: 'order.paid', data: { orderId: 'o-2' } }]),
      listen(tenant, 'ex_either', [{ type: 'order.shipped' }, { type: 'order.paid' }]),
      listen(tenant, 'ex_source', [{ source: 'shop' }]),
      listen(tenant, 'ex_source_other', [{ source: 'warehouse' }]),
      listen(tenant, 'ex_type_predicate', [{ type: '${ startswith("order.") }' }]),
      listen(tenant, 'ex_type_predicate_no', [{ type: '${ startswith("invoice.") }' }]),
      listen(tenant, 'ex_data_predicate', [{ type: 'order.paid', data: '${ .total > 100 }' }]),
      listen(tenant, 'ex_data_predicate_no', [{ type: 'order.paid', data: '${ .total > 1000 }' }]),
      listen(tenant, 'ex_every', []),
      listen(tenant, 'ex_shipped', [{ type: 'order.shipped' }]),
      listen(`${tenant}-other`, 'ex_other_tenant', [{ type: 'order.paid' }]),
    ];
    for (const subscription of parked) await db.subscriptions.put(subscription);
    const stream = new RecordingStream();

    const delivered = await routerOver(db, stream, evaluator).route(
      published(tenant, { id: 'e-1', type: 'order.paid', data: { orderId: 'o-1', total: 150 } }),
    );

    const reached = stream.published.map((e) => e.executionid).sort();
    expect(reached).toEqual(
      [
        'ex_type',
        'ex_type_data',
        'ex_either',
        'ex_source',
        'ex_type_predicate',
        'ex_data_predicate',
        'ex_every',
      ].sort(),
    );
    expect(delivered).toBe(7);
    const either = stream.published.find((e) => e.executionid === 'ex_either');
    expect(either).toMatchObject({ type: 'io.wormhole.event.received', data: { listen_id: 'l1', filters: [1] } });
  });
});
