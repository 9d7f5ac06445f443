import type { ExecutionStarter, StartRequest } from '@wormhole/backends';
import type { Logger } from '@wormhole/interfaces';
import { ConflictError, LimitExceededError, WorkflowNotFoundError, ensureError } from '@wormhole/interfaces';
import type { ScheduledWorkflow } from './scheduled-workflows';

/**
 * Starts one scheduled execution. The outcomes that are normal for a schedule are not errors:
 * the workflow was deleted or deactivated since the list was read (nothing starts), or the
 * tenant is at TENANT_MAX_ACTIVE_EXECUTIONS (this start is skipped, as a client's would be
 * refused). Anything else is thrown.
 * @returns whether an execution exists for the key now (created now or before)
 */
export async function startScheduled(
  starter: ExecutionStarter,
  logger: Logger,
  scheduled: ScheduledWorkflow,
  request: StartRequest & { readonly idempotency_key: string },
): Promise<boolean> {
  const { workflow } = scheduled;
  const ids = { tenant_id: workflow.tenant_id, workflow_id: workflow.id, idempotency_key: request.idempotency_key };
  try {
    const { execution, created } = await starter.start(workflow.tenant_id, workflow.id, request);
    if (created) logger.info('scheduled execution started', { ...ids, execution_id: execution.id });
    return true;
  } catch (e) {
    const error = ensureError(e);
    if (error instanceof WorkflowNotFoundError || error instanceof ConflictError) {
      logger.debug('scheduled workflow gone or inactive', { ...ids, error: error.message });
      return false;
    }
    if (error instanceof LimitExceededError) {
      logger.warn('scheduled execution skipped: tenant at its limit', { ...ids, error: error.message });
      return false;
    }
    throw error;
  }
}
