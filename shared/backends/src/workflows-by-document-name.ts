import type { Database, JsonObject, WorkflowDefinition, WorkflowState } from '@wormhole/interfaces';
import { everyItem } from '@wormhole/platform';

/**
 * The tenant's workflows whose document has this `namespace` and `name` (the DSL's identity of a
 * workflow, which `run: workflow` names), most recently updated first, read a page at a time;
 * only those in `state` when it is given. Stop iterating to stop reading.
 */
export async function* workflowsByDocumentName(
  db: Database,
  tenantId: string,
  namespace: string,
  name: string,
  state?: WorkflowState,
): AsyncGenerator<WorkflowDefinition> {
  const workflows = everyItem((offset, limit) =>
    db.workflows.list(tenantId, {
      limit,
      offset,
      sortBy: 'updated_at',
      sortOrder: 'desc',
      ...(state !== undefined && { state }),
    }),
  );
  for await (const workflow of workflows) {
    const document = documentOf(workflow);
    if (document?.namespace === namespace && document.name === name) yield workflow;
  }
}

/** The workflow's `document` block (namespace, name, version), when it has one. */
export function documentOf(workflow: WorkflowDefinition): JsonObject | undefined {
  const document = workflow.definition.document;
  return document !== null && typeof document === 'object' && !Array.isArray(document) ? document : undefined;
}
