import type { Database, EngineEvent } from '@wormhole/interfaces';
import { newId, scheduleCorrelationId } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';
import { sampleDefinition } from './helpers';

function received(tenant: string, workflowId: string, historyId: string): EngineEvent {
  return {
    specversion: '1.0',
    id: newId('event'),
    source: 'wormhole/router',
    type: 'io.wormhole.event.received',
    tenantid: tenant,
    workflowid: workflowId,
    executionid: historyId,
    data: { event: { specversion: '1.0', id: 'e-1', source: 'shop', type: 'order.paid' }, filters: [0] },
  };
}

/** Stores one event and a snapshot in the history, as the worker's correlation does. */
async function fill(db: Database, tenant: string, workflowId: string, historyId: string): Promise<void> {
  await db.events.append(tenant, historyId, [received(tenant, workflowId, historyId)]);
  await db.snapshots.save(tenant, historyId, { sequence: 1, state: { slots: [null, null] } });
}

async function present(db: Database, tenant: string, historyId: string): Promise<boolean> {
  const [events, snapshot] = await Promise.all([
    db.events.list(tenant, historyId),
    db.snapshots.load(tenant, historyId),
  ]);
  return events.length > 0 || snapshot !== undefined;
}

/**
 * The `schedule.on.all` correlation histories (services/worker/src/scheduler/event-correlation.ts)
 * go with the workflow: deleting it, deactivating it or giving it a new definition drops the
 * partial sets of every version, and the maintenance port deletes histories by id.
 */
export function correlationHistoryContract(ctx: ContractContext): void {
  describe('schedule.on.all correlation histories', () => {
    it('deletes histories by id, events and snapshot, only in their tenant', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const other = ctx.tenant();
      await fill(db, tenant, 'wf_a', 'sched-all_wf_a_v1');
      await fill(db, tenant, 'wf_a', 'sched-all_wf_a_v2');
      await fill(db, other, 'wf_a', 'sched-all_wf_a_v1');

      await db.maintenance.deleteHistories(tenant, ['sched-all_wf_a_v1', 'sched-all_missing']);
      expect(await present(db, tenant, 'sched-all_wf_a_v1')).toBe(false);
      expect(await present(db, tenant, 'sched-all_wf_a_v2')).toBe(true);
      expect(await present(db, other, 'sched-all_wf_a_v1')).toBe(true);
      await db.maintenance.deleteHistories(tenant, []);

      // A deleted history starts again from sequence 1.
      const [again] = await db.events.append(tenant, 'sched-all_wf_a_v1', [
        received(tenant, 'wf_a', 'sched-all_wf_a_v1'),
      ]);
      expect(again?.sequence).toBe(1);
    });

    it('drops every version’s history when the workflow is deleted', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const wf = await db.workflows.create(tenant, {
        name: 'all',
        spec_version: '1.0.0',
        definition: sampleDefinition('a'),
      });
      await db.workflows.update(tenant, wf.id, { definition: sampleDefinition('b') });
      await fill(db, tenant, wf.id, scheduleCorrelationId(wf.id, 1));
      await fill(db, tenant, wf.id, scheduleCorrelationId(wf.id, 2));
      await fill(db, tenant, 'wf_other', scheduleCorrelationId('wf_other', 1));

      await db.workflows.delete(tenant, wf.id);
      expect(await present(db, tenant, scheduleCorrelationId(wf.id, 1))).toBe(false);
      expect(await present(db, tenant, scheduleCorrelationId(wf.id, 2))).toBe(false);
      expect(await present(db, tenant, scheduleCorrelationId('wf_other', 1))).toBe(true);
    });

    it('drops them on deactivation and on a new definition, not on other changes', async () => {
      const db = ctx.db();
      const tenant = ctx.tenant();
      const wf = await db.workflows.create(tenant, {
        name: 'all',
        spec_version: '1.0.0',
        definition: sampleDefinition('a'),
      });
      const v1 = scheduleCorrelationId(wf.id, 1);
      await fill(db, tenant, wf.id, v1);

      await db.workflows.update(tenant, wf.id, { tags: ['x'], name: 'renamed', state: 'active' });
      expect(await present(db, tenant, v1)).toBe(true);

      await db.workflows.update(tenant, wf.id, { state: 'inactive' });
      expect(await present(db, tenant, v1)).toBe(false);

      await db.workflows.update(tenant, wf.id, { state: 'active' });
      await fill(db, tenant, wf.id, v1);
      const updated = await db.workflows.update(tenant, wf.id, { definition: sampleDefinition('b') });
      expect(updated.version).toBe(2);
      expect(await present(db, tenant, v1)).toBe(false);
    });
  });
}
