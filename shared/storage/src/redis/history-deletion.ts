import type { Redis } from 'ioredis';
import type { StorageKeys } from './keys';

/**
 * Deletes histories (event list, id hash, snapshot) by id: the maintenance port's
 * `deleteHistories`, and what the workflow writes call after their script for a workflow's
 * `schedule.on.all` correlation histories (the worker's correlation check covers an event a
 * replica appends in between, see services/worker/src/scheduler/event-correlation.ts).
 */
export async function deleteHistories(
  redis: Redis,
  keys: StorageKeys,
  tenantId: string,
  historyIds: readonly string[],
): Promise<void> {
  if (historyIds.length === 0) return;
  // One key per command: the keys of two histories may live on different cluster slots.
  await Promise.all(
    historyIds.flatMap((id) => [
      redis.del(keys.events(tenantId, id)),
      redis.del(keys.eventIds(tenantId, id)),
      redis.del(keys.snapshot(tenantId, id)),
    ]),
  );
}
