import type { ExecutionStatus } from './execution';
import type { WorkflowState } from './workflow';

export interface TenantStats {
  readonly tenant_id: string;
  readonly workflows: { readonly total: number } & Record<WorkflowState, number>;
  readonly executions: { readonly total: number } & Record<ExecutionStatus, number>;
}
