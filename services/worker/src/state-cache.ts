import type { Database, JsonObject } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import { toSnapshot } from '@wormhole/dsl';
import type { OpenSteps } from './projection';

export interface CachedExecution {
  readonly state: ExecutionState;
  readonly openSteps: OpenSteps;
  /** `eventCount` of the state when it was last snapshotted. */
  readonly snapshotEventCount?: number;
}

/**
 * The states of recently advanced executions, so the next event of a run needs no snapshot read.
 * A hit is only trusted after checking the history has nothing newer (another worker may have
 * advanced the run): see state-loader.
 */
export class StateCache {
  private readonly entries = new Map<string, CachedExecution>();

  constructor(private readonly capacity: number) {}

  get(executionId: string): CachedExecution | undefined {
    return this.entries.get(executionId);
  }

  remember(executionId: string, entry: CachedExecution): void {
    const previous = this.entries.get(executionId);
    this.entries.delete(executionId);
    this.entries.set(executionId, { snapshotEventCount: previous?.snapshotEventCount ?? 0, ...entry });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(executionId: string): void {
    this.entries.delete(executionId);
  }

  async snapshot(db: Database, tenantId: string, executionId: string, entry: CachedExecution): Promise<void> {
    const { sequence, state } = toSnapshot(entry.state);
    await db.snapshots.save(tenantId, executionId, {
      sequence,
      state: { runtime: state, open_steps: entry.openSteps as unknown as JsonObject },
    });
    this.entries.set(executionId, { ...entry, snapshotEventCount: entry.state.eventCount });
  }
}
