import type { JsonObject } from '../json';
import type { PageRequest, SortOrder } from '../paging';

export type WorkflowState = 'active' | 'inactive';

/**
 * A registered workflow definition. `definition` is a Serverless Workflow DSL 1.0.x document
 * (validated before it reaches storage). `version` starts at 1 and is bumped by every update that
 * changes the definition; each version's definition is kept and can be read back.
 */
export interface WorkflowDefinition {
  readonly id: string;
  readonly tenant_id: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  /** The document's `document.dsl`, e.g. "1.0.0". */
  readonly spec_version: string;
  readonly definition: JsonObject;
  readonly state: WorkflowState;
  readonly tags: string[];
  readonly created_by?: string;
  /** ISO 8601, UTC, millisecond precision. */
  readonly created_at: string;
  readonly updated_at: string;
}

export interface NewWorkflow {
  readonly name: string;
  readonly description?: string;
  readonly definition: JsonObject;
  readonly spec_version: string;
  readonly tags?: string[];
  readonly state?: WorkflowState;
  readonly created_by?: string;
}

/** Fields absent from the patch are left as they are. A new `definition` bumps the version. */
export interface WorkflowPatch {
  readonly name?: string;
  readonly description?: string;
  readonly definition?: JsonObject;
  readonly spec_version?: string;
  readonly tags?: string[];
  readonly state?: WorkflowState;
}

export type WorkflowSortField = 'name' | 'created_at' | 'updated_at';

export interface WorkflowListQuery extends PageRequest {
  readonly sortBy: WorkflowSortField;
  readonly sortOrder: SortOrder;
  readonly state?: WorkflowState;
  /** Case-insensitive substring of the name; `%`, `_` and regex characters are literal. */
  readonly name?: string;
  /** Every tag listed must be present on the workflow. */
  readonly tags?: readonly string[];
  /**
   * Free-text search: split on white space, every term must occur as a case-insensitive
   * substring of the name or of the description ("order" finds "Orders", "100%" is literal).
   */
  readonly search?: string;
  /** Inclusive bounds on created_at, ISO 8601. */
  readonly createdFrom?: string;
  readonly createdTo?: string;
}
