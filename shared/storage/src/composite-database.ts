import type { BackendHealth, Database, LogRepository } from '@wormhole/interfaces';
import { advanceInOrder } from './advance-in-order';

/**
 * A database whose execution logs live in a separate store (the storage design puts logs in
 * Mongo whenever a Mongo URL is configured, whatever DATABASE_TYPE is).
 */
export function withLogStore(
  db: Database,
  logs: LogRepository & { health(): Promise<BackendHealth>; close(): Promise<void> },
): Database {
  const composite: Database = {
    backend: db.backend,
    workflows: db.workflows,
    executions: db.executions,
    steps: db.steps,
    events: db.events,
    snapshots: db.snapshots,
    subscriptions: db.subscriptions,
    logs,
    stats: db.stats,
    maintenance: db.maintenance,
    apiKeys: db.apiKeys,
    // Separate writes: the log lines go to the other store, between the step runs and the row.
    advance: (tenantId, executionId, events, expectedSequence, derive) =>
      advanceInOrder(composite, tenantId, executionId, events, expectedSequence, derive),
    health: async (): Promise<BackendHealth[]> => [...(await db.health()), await logs.health()],
    close: async (): Promise<void> => {
      await Promise.all([db.close(), logs.close()]);
    },
  };
  return composite;
}
