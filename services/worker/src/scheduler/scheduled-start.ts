import type { ExecutionStarter, StartRequest } from '@wormhole/backends';
import type { Counter, Logger, Metrics } from '@wormhole/interfaces';
import { ConflictError, LimitExceededError, WorkflowNotFoundError, ensureError } from '@wormhole/interfaces';
import type { ScheduledWorkflow } from './scheduled-workflows';

/** What started the execution: a timed tick or a tenant event (`schedule.on`). */
export type ScheduleTrigger = 'tick' | 'event';

/**
 * Starts scheduled executions through the shared starter. The outcomes that are normal for a
 * schedule are not errors: the workflow was deleted or deactivated since the list was read
 * (nothing starts), or the tenant is at TENANT_MAX_ACTIVE_EXECUTIONS (this start is skipped, as a
 * client's would be refused). Anything else is thrown. `wormhole_scheduled_starts_total` counts
 * each outcome: `started`, `existing` (another replica, or an earlier pass, created it), `skipped`.
 */
export class ScheduledStart {
  private readonly starts: Counter;

  constructor(
    private readonly starter: ExecutionStarter,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.starts = metrics.counter({
      name: 'wormhole_scheduled_starts_total',
      help: 'Executions started by workflow schedules, by trigger and outcome',
      labelNames: ['trigger', 'outcome'],
    });
  }

  /** @returns whether an execution exists for the key now (created now or before) */
  async start(
    scheduled: ScheduledWorkflow,
    trigger: ScheduleTrigger,
    request: StartRequest & { readonly idempotency_key: string },
  ): Promise<boolean> {
    const { workflow } = scheduled;
    const ids = { tenant_id: workflow.tenant_id, workflow_id: workflow.id, idempotency_key: request.idempotency_key };
    try {
      const { execution, created } = await this.starter.start(workflow.tenant_id, workflow.id, request);
      this.starts.inc({ trigger, outcome: created ? 'started' : 'existing' });
      if (created) this.logger.info('scheduled execution started', { ...ids, execution_id: execution.id });
      return true;
    } catch (e) {
      const error = ensureError(e);
      if (error instanceof WorkflowNotFoundError || error instanceof ConflictError) {
        this.logger.debug('scheduled workflow gone or inactive', { ...ids, error: error.message });
        return false;
      }
      if (error instanceof LimitExceededError) {
        this.starts.inc({ trigger, outcome: 'skipped' });
        this.logger.warn('scheduled execution skipped: tenant at its limit', { ...ids, error: error.message });
        return false;
      }
      throw error;
    }
  }
}
