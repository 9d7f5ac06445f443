import type { Database } from '@wormhole/interfaces';
import type { WorkflowDocument } from '@wormhole/dsl';

/**
 * Workflow documents by (tenant, workflow, version). Versions are immutable, so an entry never
 * goes stale; the cache is bounded so a tenant with many workflows cannot grow it without limit.
 */
export class DefinitionCache {
  private readonly entries = new Map<string, WorkflowDocument>();

  constructor(
    private readonly db: Database,
    private readonly capacity: number,
  ) {}

  async get(tenantId: string, workflowId: string, version: number): Promise<WorkflowDocument> {
    const key = `${tenantId}\u0000${workflowId}\u0000${version}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const document = (await this.db.workflows.getVersion(tenantId, workflowId, version)) as unknown as WorkflowDocument;
    this.entries.set(key, document);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return document;
  }
}
