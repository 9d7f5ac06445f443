import type {
  Database,
  EventStream,
  JsonObject,
  JsonValue,
  TaskExecutor,
  TaskOutcome,
  TaskRequest,
  WorkflowDefinition,
} from '@wormhole/interfaces';
import { childIdempotencyKey, dslError, isTerminalStatus } from '@wormhole/interfaces';
import { ExecutionStarter, documentOf, workflowsByDocumentName } from '@wormhole/backends';

const SOURCE = 'wormhole/executor';
/** Workflows read per page while looking for the one a `run: workflow` names. */

/**
 * `run: workflow`: starts a child execution of the tenant's workflow whose document has the given
 * `namespace`, `name` and `version`. The child's idempotency key names the parent task and its
 * attempt, so a redelivered request (a crash between the start and its report) finds the child
 * it already created instead of starting a second one. When awaited, the outcome is reported by
 * the child's worker when the child ends (`deferred`): nothing holds a worker or an executor
 * slot meanwhile. With `await: false` the task completes at once with its input (dsl-reference,
 * "Run": a process not awaited outputs its transformed input).
 */
export class RunWorkflowExecutor implements TaskExecutor {
  readonly kind = 'run:workflow';

  /** The start path of every execution (API, scheduler, children): row, then start event. */
  private readonly starter: ExecutionStarter;

  constructor(
    private readonly db: Database,
    stream: EventStream,
  ) {
    this.starter = new ExecutionStarter(db, stream, { source: SOURCE });
  }

  async execute(request: TaskRequest): Promise<TaskOutcome> {
    const run = asObject(request.task.run);
    const target = asObject(run?.workflow);
    if (!run || !target) return configurationError(request, "'run.workflow' must be an object");
    const { namespace, name } = target;
    const version = target.version ?? 'latest';
    if (typeof namespace !== 'string' || typeof name !== 'string' || typeof version !== 'string') {
      return configurationError(request, "'run.workflow' needs a string namespace, name and version");
    }
    const awaited = run.await !== false;
    const workflow = await this.find(request.tenantId, namespace, name, version);
    if (!workflow) {
      return configurationError(
        request,
        `no active workflow '${namespace}/${name}' at version '${version}' is registered`,
      );
    }
    const { execution, created } = await this.starter.start(request.tenantId, workflow.id, {
      input: target.input ?? {},
      idempotency_key: childIdempotencyKey({
        workflow_id: request.workflowId,
        execution_id: request.executionId,
        task_path: request.taskPath,
        attempt: request.attempt,
        ...(request.iteration !== undefined && { iteration: request.iteration }),
        awaited,
      }),
    });
    if (!awaited) return { kind: 'completed', output: request.input };
    // A redelivered request whose child already ended reports the child's outcome itself (the
    // child's own report may have been dropped by the parent, which was not waiting yet).
    if (!created && isTerminalStatus(execution.status)) {
      if (execution.status === 'completed') return { kind: 'completed', output: execution.output ?? null };
      return {
        kind: 'failed',
        error:
          execution.error ??
          dslError('runtime', {
            detail: `child execution '${execution.id}' ${execution.status}`,
            instance: request.taskPath,
          }),
      };
    }
    return { kind: 'deferred' };
  }

  /** The tenant's active workflow whose document has this namespace, name and version ("latest": the newest). */
  private async find(
    tenantId: string,
    namespace: string,
    name: string,
    version: string,
  ): Promise<WorkflowDefinition | undefined> {
    for await (const workflow of workflowsByDocumentName(this.db, tenantId, namespace, name, 'active')) {
      if (version === 'latest' || documentOf(workflow)?.version === version) return workflow;
    }
    return undefined;
  }
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function configurationError(request: TaskRequest, detail: string): TaskOutcome {
  return { kind: 'failed', error: dslError('configuration', { detail, instance: request.taskPath }) };
}
