import type {
  Database,
  EngineEvent,
  EngineEventOf,
  EventStream,
  JsonObject,
  JsonValue,
  Logger,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import { childIdempotencyKey, engineEvent, isTerminalStatus } from '@wormhole/interfaces';
import type { ExecutionState } from '@wormhole/dsl';
import { pendingWork } from '@wormhole/dsl';
import { workflowsByDocumentName } from '@wormhole/backends';

const SOURCE = 'wormhole/worker';
/** Workflows read per page while looking for the ones a `run: workflow` may have started. */

/** One attempt of a task handed to the executor. */
export interface TaskAttempt {
  readonly path: string;
  readonly attempt: number;
}

type TaskRequested = EngineEventOf<'io.wormhole.task.requested'>;

/**
 * Cancels the child executions (`run: workflow`, awaited) of tasks their parent no longer waits
 * for: the parent was cancelled, faulted or timed out, or the task itself timed out. A child not
 * awaited (`await: false`) is left running: it was detached, and outlives its parent by design.
 *
 * The children are found from the parent's history (each `task.requested` of a `run: workflow`
 * names the target workflow; the child's idempotency key names the parent task and attempt), so
 * the work can be repeated after a crash. The cancellation of a child is the same CloudEvent
 * (`<child id>.cancelled`) as the API's, so sending it twice is one event in the child's history.
 * A cancelled child cancels its own children the same way, so grandchildren follow.
 */
export class ChildCancellation {
  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly logger: Logger,
  ) {}

  /**
   * The `run` tasks that waited for the executor before `cause` was applied and no longer do
   * after it, without `cause` being their own outcome: the tasks the parent abandoned.
   */
  static abandoned(before: ExecutionState, after: ExecutionState, cause: EngineEvent): TaskAttempt[] {
    // An ended run abandoned its tasks when it ended; later events (a child's report) change nothing.
    if (isTerminalStatus(before.status)) return [];
    const runs = new Set(before.tasks.filter((run) => run.type === 'run').map((run) => key(run)));
    const still = isTerminalStatus(after.status) ? new Set<string>() : new Set(pendingWork(after).tasks.map(key));
    const outcome =
      cause.type === 'io.wormhole.task.completed' || cause.type === 'io.wormhole.task.failed'
        ? key({ path: cause.data.task_path, attempt: cause.data.attempt })
        : undefined;
    return pendingWork(before).tasks.filter(
      (task) => runs.has(key(task)) && !still.has(key(task)) && key(task) !== outcome,
    );
  }

  /**
   * The awaited `run: workflow` requests of a history that the run (in `state`) no longer waits
   * for and whose child did not report: what a redelivered event re-checks after a crash.
   */
  static unansweredRequests(history: readonly StoredEngineEvent[], state: ExecutionState): TaskRequested[] {
    const still = isTerminalStatus(state.status) ? new Set<string>() : new Set(pendingWork(state).tasks.map(key));
    const reported = new Set(
      history
        .filter(
          (e) => (e.type === 'io.wormhole.task.completed' || e.type === 'io.wormhole.task.failed') && !byDecider(e),
        )
        .map((e) => key({ path: taskPathOf(e), attempt: attemptOf(e) })),
    );
    return awaitedChildRequests(history).filter((request) => {
      const k = key({ path: request.data.task_path, attempt: request.data.attempt });
      return !still.has(k) && !reported.has(k);
    });
  }

  /** Cancels the children of the abandoned tasks, reading the parent's history to find them. */
  async cancelAbandoned(parent: EngineEvent, tasks: readonly TaskAttempt[], why: string): Promise<void> {
    if (tasks.length === 0) return;
    const history = await this.db.events.list(parent.tenantid, parent.executionid);
    const wanted = new Set(tasks.map(key));
    const requests = awaitedChildRequests(history).filter((request) =>
      wanted.has(key({ path: request.data.task_path, attempt: request.data.attempt })),
    );
    await this.cancelChildren(parent, requests, why);
  }

  /** Cancels the unfinished child started by each request; a child not (yet) created is skipped. */
  async cancelChildren(parent: EngineEvent, requests: readonly TaskRequested[], why: string): Promise<void> {
    for (const request of requests) {
      const target = asObject(asObject(request.data.task.run)?.workflow);
      const namespace = target?.namespace;
      const name = target?.name;
      if (typeof namespace !== 'string' || typeof name !== 'string') continue;
      const idempotencyKey = childIdempotencyKey({
        workflow_id: parent.workflowid,
        execution_id: parent.executionid,
        task_path: request.data.task_path,
        attempt: request.data.attempt,
        ...(request.data.iteration !== undefined && { iteration: request.data.iteration }),
        awaited: true,
      });
      // Every workflow with that namespace and name, whatever its version or state now: the key
      // names this parent, so it matches the one child of this task attempt or nothing.
      for await (const workflow of workflowsByDocumentName(this.db, parent.tenantid, namespace, name)) {
        const child = await this.db.executions.findByIdempotencyKey(parent.tenantid, workflow.id, idempotencyKey);
        if (!child || isTerminalStatus(child.status)) continue;
        await this.stream.publish(
          engineEvent(
            'io.wormhole.execution.cancelled',
            SOURCE,
            { tenantid: parent.tenantid, workflowid: child.workflow_id, executionid: child.id },
            { reason: `parent execution '${parent.executionid}' ${why}` },
            { id: `${child.id}.cancelled` },
          ),
        );
        this.logger.info('child execution cancelled with its parent', {
          tenant_id: parent.tenantid,
          execution_id: parent.executionid,
          child_execution_id: child.id,
          task_path: request.data.task_path,
        });
      }
    }
  }

  /**
   * A child whose awaiting parent had already ended when the child started: the parent looked for
   * its children before this one existed, so the child cancels itself. (The parent's row is
   * written as ended before it looks, and the child's row exists before it starts.)
   */
  async cancelIfOrphaned(child: EngineEvent, state: ExecutionState): Promise<void> {
    const parent = state.identity?.parent;
    if (child.type !== 'io.wormhole.execution.started' || !parent?.awaited || isTerminalStatus(state.status)) return;
    const parentRow = await this.db.executions.get(child.tenantid, parent.execution_id).catch(() => undefined);
    if (parentRow && !isTerminalStatus(parentRow.status)) return;
    await this.stream.publish(
      engineEvent(
        'io.wormhole.execution.cancelled',
        SOURCE,
        child,
        { reason: `parent execution '${parent.execution_id}' ${parentRow?.status ?? 'is gone'}` },
        { id: `${child.executionid}.cancelled` },
      ),
    );
  }
}

/** The `task.requested` events of `run: workflow` tasks whose parent awaits the child. */
function awaitedChildRequests(history: readonly EngineEvent[]): TaskRequested[] {
  return history.filter((e): e is TaskRequested => {
    if (e.type !== 'io.wormhole.task.requested' || e.data.task_type !== 'run') return false;
    const run = asObject(e.data.task.run);
    return asObject(run?.workflow) !== undefined && run?.await !== false;
  });
}

/** An outcome the decider wrote itself (a timeout), not a child's report or the executor's. */
function byDecider(event: EngineEvent): boolean {
  return event.source === SOURCE && !event.id.endsWith('.parent-report');
}

function taskPathOf(event: EngineEvent): string {
  return 'task_path' in event.data ? String(event.data.task_path) : '';
}

function attemptOf(event: EngineEvent): number {
  return 'attempt' in event.data && typeof event.data.attempt === 'number' ? event.data.attempt : 0;
}

function key(task: TaskAttempt): string {
  return `${task.attempt} ${task.path}`;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}
