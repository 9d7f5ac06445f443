import type { Collection } from 'mongodb';
import type { EventDoc, EventHeadDoc, SnapshotDoc } from './history-repositories';

/**
 * Deletes histories (events, sequence head, snapshot) by id: the maintenance port's
 * `deleteHistories`, and what the workflow writes call for a workflow's `schedule.on.all`
 * correlation histories. Without transactions the three go one after another; what a replica
 * appends meanwhile the worker's correlation check removes (event-correlation.ts).
 */
export class MongoHistoryDeletion {
  constructor(
    private readonly events: Collection<EventDoc>,
    private readonly heads: Collection<EventHeadDoc>,
    private readonly snapshots: Collection<SnapshotDoc>,
  ) {}

  async delete(tenantId: string, historyIds: readonly string[]): Promise<void> {
    if (historyIds.length === 0) return;
    const ids = historyIds.map((id) => `${tenantId}:${id}`);
    await this.events.deleteMany({ tenant_id: tenantId, execution_id: { $in: [...historyIds] } });
    await Promise.all([this.heads.deleteMany({ _id: { $in: ids } }), this.snapshots.deleteMany({ _id: { $in: ids } })]);
  }
}
