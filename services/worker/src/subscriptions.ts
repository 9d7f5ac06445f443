import type { Database, EngineEvent } from '@wormhole/interfaces';
import { isTerminalStatus } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import { subscriptionFilters, waitingListens } from '@wormhole/dsl';

/**
 * Whether syncSubscriptions has anything to store or remove: only a listen that started in
 * `decided`, or one the execution waited in before (`before`), changes them.
 */
export function touchesSubscriptions(
  before: readonly { id: string; path: string }[],
  decided: readonly EngineEvent[],
): boolean {
  return before.length > 0 || decided.some((e) => e.type === 'io.wormhole.listen.started');
}

/**
 * Keeps the stored event subscriptions equal to the listens the execution waits in: a listen that
 * started gets one (after its `listen.started` is in the history, so a redelivery stores it
 * again), one that completed, failed or timed out loses it, and an ended execution loses all.
 * An event published before the subscription is stored is not delivered (nothing is buffered).
 */
export async function syncSubscriptions(
  db: Database,
  cause: EngineEvent,
  before: readonly { id: string; path: string }[],
  after: ExecutionState,
  decided: readonly EngineEvent[],
): Promise<void> {
  const tenant = cause.tenantid;
  if (isTerminalStatus(after.status)) {
    if (before.length > 0 || decided.some((e) => e.type === 'io.wormhole.listen.started')) {
      await db.subscriptions.remove(tenant, cause.executionid);
    }
    return;
  }
  const waiting = waitingListens(after);
  for (const event of decided) {
    if (event.type !== 'io.wormhole.listen.started') continue;
    if (!waiting.some((l) => l.id === event.data.listen_id)) continue;
    await db.subscriptions.put({
      tenant_id: tenant,
      workflow_id: event.workflowid,
      execution_id: event.executionid,
      listen_id: event.data.listen_id,
      task_path: event.data.task_path,
      // With an `until` strategy, its filters too: the decider tells the two apart.
      filters: subscriptionFilters(event.data),
      created_at: event.time ?? new Date().toISOString(),
    });
  }
  for (const ended of before.filter((l) => !waiting.some((w) => w.id === l.id))) {
    await db.subscriptions.remove(tenant, cause.executionid, ended.id);
  }
}
