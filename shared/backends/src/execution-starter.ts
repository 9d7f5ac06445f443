import type { CreatedExecution, Database, EventStream, Execution, JsonValue } from '@wormhole/interfaces';
import { ConflictError, LimitExceededError, executionStartedEvent } from '@wormhole/interfaces';

export interface StartRequest {
  readonly input?: JsonValue;
  readonly correlation_id?: string;
  readonly idempotency_key?: string;
}

export interface ExecutionStarterOptions {
  /** The CloudEvent `source` of the start events, e.g. "wormhole/api". */
  readonly source: string;
  /** Unfinished executions one tenant may have (TENANT_MAX_ACTIVE_EXECUTIONS); 0 or absent: no limit. */
  readonly maxActivePerTenant?: number;
}

/**
 * Starts executions, for the API and the scheduler alike. The execution row is written first,
 * then its start event is published; if the process dies in between, the reconciler finds the
 * pending run without a history and publishes the start again (the event id is derived from the
 * execution id, so a repeated start is one event). With an idempotency key already used for the
 * workflow, the first execution is returned (`created: false`) and its start published again
 * only while it is still pending.
 */
export class ExecutionStarter {
  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly options: ExecutionStarterOptions,
  ) {}

  /**
   * Starts the workflow's current version.
   * @throws WorkflowNotFoundError, ConflictError (inactive workflow), LimitExceededError
   */
  async start(tenantId: string, workflowId: string, request: StartRequest): Promise<CreatedExecution> {
    const workflow = await this.db.workflows.get(tenantId, workflowId);
    if (workflow.state !== 'active') throw new ConflictError(`workflow '${workflowId}' is inactive`);
    await this.checkActiveLimit(tenantId);
    const result = await this.db.executions.create(tenantId, {
      workflow_id: workflowId,
      workflow_version: workflow.version,
      input: request.input ?? {},
      ...(request.correlation_id !== undefined ? { correlation_id: request.correlation_id } : {}),
      ...(request.idempotency_key !== undefined ? { idempotency_key: request.idempotency_key } : {}),
    });
    if (result.created || result.execution.status === 'pending') await this.publishStart(result.execution);
    return result;
  }

  /** Publishes the start event of a pending execution. */
  async publishStart(execution: Execution): Promise<void> {
    await this.stream.publish(executionStartedEvent(execution, this.options.source));
  }

  /**
   * One tenant may not have more than the configured number of unfinished executions, so a flood
   * from one tenant cannot fill the workers for all. A soft limit: starts racing each other may
   * pass it by a few.
   */
  private async checkActiveLimit(tenantId: string): Promise<void> {
    const limit = this.options.maxActivePerTenant ?? 0;
    if (limit <= 0) return;
    const { executions } = await this.db.stats.get(tenantId);
    const active = executions.pending + executions.running + executions.waiting;
    if (active >= limit) {
      throw new LimitExceededError(
        `tenant '${tenantId}' has ${active} unfinished executions, its limit is ${limit} (TENANT_MAX_ACTIVE_EXECUTIONS)`,
        1,
      );
    }
  }
}
