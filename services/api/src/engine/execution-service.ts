import type { Database, EventStream, Execution } from '@wormhole/interfaces';
import type { StartRequest } from '@wormhole/backends';
import { ExecutionStarter } from '@wormhole/backends';
import type { StartRateLimiter } from './start-rate-limiter';
import { ConflictError, engineEvent, isTerminalStatus } from '@wormhole/interfaces';

const SOURCE = 'wormhole/api';

export type { StartRequest };

/**
 * Starts and cancels executions for the API. Starting is the shared `ExecutionStarter` (the
 * scheduler starts runs through it too) behind the API's own per-tenant start rate.
 */
export class ExecutionService {
  private readonly starter: ExecutionStarter;

  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly options: {
      cancelWaitMs: number;
      maxActivePerTenant?: number;
      /** Start attempts per tenant and second (checked first, before any database work). */
      startLimiter?: StartRateLimiter;
    } = { cancelWaitMs: 2000 },
  ) {
    this.starter = new ExecutionStarter(db, stream, {
      source: SOURCE,
      ...(options.maxActivePerTenant !== undefined ? { maxActivePerTenant: options.maxActivePerTenant } : {}),
    });
  }

  async start(
    tenantId: string,
    workflowId: string,
    request: StartRequest,
  ): Promise<{ execution: Execution; created: boolean }> {
    this.options.startLimiter?.take(tenantId);
    return this.starter.start(tenantId, workflowId, request);
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
