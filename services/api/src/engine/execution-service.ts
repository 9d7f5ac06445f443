import type { Database, EventStream, Execution, JsonValue } from '@wormhole/interfaces';
import type { StartRateLimiter } from './start-rate-limiter';
import {
  ConflictError,
  LimitExceededError,
  engineEvent,
  executionStartedEvent,
  isTerminalStatus,
} from '@wormhole/interfaces';

const SOURCE = 'wormhole/api';

export interface StartRequest {
  readonly input?: JsonValue;
  readonly correlation_id?: string;
  readonly idempotency_key?: string;
}

/**
 * Starts and cancels executions. The execution row is written first, then its start event is
 * published; if the process dies in between, the reconciler finds the pending run without a
 * history and publishes the start again (the event id is derived from the execution id, so a
 * repeated start is one event).
 */
export class ExecutionService {
  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly options: {
      cancelWaitMs: number;
      maxActivePerTenant?: number;
      /** Start attempts per tenant and second (checked first, before any database work). */
      startLimiter?: StartRateLimiter;
    } = { cancelWaitMs: 2000 },
  ) {}

  async start(
    tenantId: string,
    workflowId: string,
    request: StartRequest,
  ): Promise<{ execution: Execution; created: boolean }> {
    this.options.startLimiter?.take(tenantId);
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

  /** Publishes the start event of a pending execution (also used by the reconciler). */
  async publishStart(execution: Execution): Promise<void> {
    await this.stream.publish(executionStartedEvent(execution, SOURCE));
  }

  /**
   * Asks the run to stop at its next step boundary; it never resumes. Waits briefly for the
   * worker to record the cancellation so the answer usually shows the final status.
   * @throws ConflictError when the execution already ended
   */
  async cancel(tenantId: string, executionId: string, reason?: string): Promise<Execution> {
    const execution = await this.db.executions.get(tenantId, executionId);
    if (isTerminalStatus(execution.status)) {
      throw new ConflictError(`execution '${executionId}' already ended (${execution.status})`);
    }
    await this.stream.publish(
      engineEvent(
        'io.wormhole.execution.cancelled',
        SOURCE,
        { tenantid: tenantId, workflowid: execution.workflow_id, executionid: executionId },
        reason !== undefined ? { reason } : {},
        { id: `${executionId}.cancelled` },
      ),
    );
    return this.waitForEnd(tenantId, executionId);
  }

  private async waitForEnd(tenantId: string, executionId: string): Promise<Execution> {
    const deadline = Date.now() + this.options.cancelWaitMs;
    for (;;) {
      const execution = await this.db.executions.get(tenantId, executionId);
      if (isTerminalStatus(execution.status) || Date.now() >= deadline) return execution;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
