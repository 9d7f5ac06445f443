import type { BlobStore, Database, JsonValue, Logger } from '@wormhole/interfaces';
import { isBlobRef, scheduleCorrelationIds } from '@wormhole/interfaces';
import { everyItem } from '@wormhole/platform';
import { BLOB_REFRESH_MS } from './blob-codec';

export interface BlobCollection {
  /** Blobs old enough to be considered. */
  readonly candidates: number;
  readonly deleted: number;
}

/**
 * Garbage collection of blobs: deletes the blobs that no stored record references and that were
 * not stored for `graceMs`. Wormhole never deletes executions, so what it finds are the blobs
 * left by records that were replaced or deleted (a snapshot's earlier state, a deleted
 * `schedule.on.all` correlation history), by events that went only through the stream (a large
 * event no listen took), and by writes that failed after their upload.
 *
 * Mark, then sweep. The mark reads, tenant by tenant, every execution's row, step runs, history
 * and snapshot, and every workflow version's correlation history, through the database as stored
 * (`db` must be the undecorated one: the offloading decorator would resolve the references). The
 * sweep then lists the blobs last stored before (mark start − grace) and deletes those not marked.
 * A record written during the mark references a blob stored at most BLOB_REFRESH_MS before it
 * (the codec stores a cached blob again after that), so within the grace: never a candidate. A
 * stream message in flight longer than the grace (a dead letter) may lose its blob: redriving it
 * then fails with the blob not found.
 */
export class BlobCollector {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {
    if (graceMs < 2 * BLOB_REFRESH_MS) {
      throw new RangeError(`the grace period must be at least ${2 * BLOB_REFRESH_MS} ms, got ${graceMs}`);
    }
  }

  async collect(now: number = Date.now()): Promise<BlobCollection> {
    const before = new Date(now - this.graceMs);
    const marked = new Map<string, Set<string>>();
    let candidates = 0;
    let deleted = 0;
    // The tenants with old blobs are marked first, then their old blobs listed again: a blob
    // listed the first time and stored again meanwhile is then no longer listed.
    const tenants = new Set<string>();
    for await (const blob of this.blobs.listStoredBefore(before)) tenants.add(blob.tenantId);
    for (const tenantId of tenants) marked.set(tenantId, await this.mark(tenantId));
    for await (const blob of this.blobs.listStoredBefore(before)) {
      const references = marked.get(blob.tenantId);
      // A tenant whose first old blob appeared after its mark is left to the next collection.
      if (references === undefined) continue;
      candidates++;
      if (references.has(blob.key)) continue;
      await this.blobs.delete(blob.tenantId, blob.key);
      deleted++;
    }
    if (deleted > 0) this.logger.info('unreferenced blobs deleted', { deleted, stored_before: before.toISOString() });
    return { candidates, deleted };
  }

  /** Every blob key the tenant's stored records reference. */
  private async mark(tenantId: string): Promise<Set<string>> {
    const keys = new Set<string>();
    const history = async (id: string): Promise<void> => {
      for (const event of await this.db.events.list(tenantId, id)) collectRefs(event.data as JsonValue, keys);
      collectRefs((await this.db.snapshots.load(tenantId, id))?.state ?? null, keys);
    };
    const executions = everyItem((offset, limit) =>
      this.db.executions.list(tenantId, { sortBy: 'started_at', sortOrder: 'asc', offset, limit }),
    );
    for await (const execution of executions) {
      collectRefs(execution.input ?? null, keys);
      collectRefs(execution.output ?? null, keys);
      for (const step of await this.db.steps.listByExecution(tenantId, execution.id)) {
        collectRefs(step.input ?? null, keys);
        collectRefs(step.output ?? null, keys);
      }
      await history(execution.id);
    }
    const workflows = everyItem((offset, limit) =>
      this.db.workflows.list(tenantId, { sortBy: 'created_at', sortOrder: 'asc', offset, limit }),
    );
    for await (const workflow of workflows) {
      for (const id of scheduleCorrelationIds(workflow.id, workflow.version)) await history(id);
    }
    return keys;
  }
}

/** Adds the key of every reference inside `value` (references sit at known fields; all are looked at). */
function collectRefs(value: JsonValue | undefined, keys: Set<string>): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  if (isBlobRef(value)) {
    keys.add(value.$blob);
    return;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) collectRefs(item, keys);
}
