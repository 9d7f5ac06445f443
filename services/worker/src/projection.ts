import { createHash } from 'node:crypto';
import type {
  ExecutionPatch,
  ExecutionStatus,
  JsonValue,
  LogEntry,
  LogLevel,
  StepRun,
  StoredEngineEvent,
  TaskRef,
} from '@wormhole/interfaces';

/** Steps that have started and not yet finished, kept in the worker's snapshot between events. */
export type OpenSteps = Record<string, StepRun>;

export interface Projection {
  /** Changes to the execution row; empty when nothing changed. */
  readonly patch: ExecutionPatch;
  /** Step runs to upsert (each with its latest state). */
  readonly steps: StepRun[];
  readonly logs: LogEntry[];
  /** The open steps after these events. */
  readonly open: OpenSteps;
}

interface Subject {
  readonly tenantId: string;
  readonly executionId: string;
  /** When the execution started (for its duration). */
  readonly startedAt: string;
}

/**
 * Turns engine events into the rows users query: the execution's status and result, one step
 * run per task attempt, and log lines. Pure: the worker applies the result to the database.
 */
export function project(subject: Subject, events: readonly StoredEngineEvent[], open: OpenSteps): Projection {
  const patch: { -readonly [K in keyof ExecutionPatch]: ExecutionPatch[K] } = {};
  const touched = new Map<string, StepRun>();
  const logs: LogEntry[] = [];
  const steps: OpenSteps = { ...open };
  const log = (event: StoredEngineEvent, level: LogLevel, message: string, task?: TaskRef, stepId?: string): void => {
    logs.push({
      tenant_id: subject.tenantId,
      execution_id: subject.executionId,
      ...(stepId ? { step_run_id: stepId } : {}),
      ...(task ? { task: task.task_path } : {}),
      level,
      message,
      context: { event_type: event.type, event_id: event.id },
      timestamp: event.time ?? new Date().toISOString(),
    });
  };
  const setStatus = (status: ExecutionStatus): void => {
    patch.status = status;
  };
  const finish = (event: StoredEngineEvent, status: ExecutionStatus): void => {
    setStatus(status);
    const at = event.time ?? new Date().toISOString();
    patch.completed_at = at;
    patch.duration_ms = Math.max(0, Date.parse(at) - Date.parse(subject.startedAt));
  };
  const startStep = (event: StoredEngineEvent, task: TaskRef, attempt: number, input?: JsonValue): StepRun => {
    const step: StepRun = {
      id: stepRunId(subject.executionId, task.task_path, attempt, event),
      tenant_id: subject.tenantId,
      execution_id: subject.executionId,
      task_name: task.task_name,
      task_path: task.task_path,
      task_type: task.task_type,
      status: 'running',
      attempt,
      ...(input !== undefined ? { input } : {}),
      started_at: event.time ?? new Date().toISOString(),
    };
    steps[task.task_path] = step;
    touched.set(step.id, step);
    patch.current_task = task.task_path;
    return step;
  };
  const endStep = (event: StoredEngineEvent, task: TaskRef, attempt: number, fields: Partial<StepRun>): StepRun => {
    const current = steps[task.task_path] ?? startStep(event, task, attempt);
    const at = event.time ?? new Date().toISOString();
    const step: StepRun = {
      ...current,
      ...fields,
      completed_at: at,
      duration_ms: Math.max(0, Date.parse(at) - Date.parse(current.started_at)),
    };
    delete steps[task.task_path];
    ended[task.task_path] = step;
    touched.set(step.id, step);
    return step;
  };
  // Steps that ended in this batch, by path. A task extended with `after` lists completes, and
  // in the same decision (so the same batch) moves to those lists: its own step opens again
  // rather than a second one for the same attempt.
  const ended: Record<string, StepRun> = {};
  const reopenForAfterStage = (event: StoredEngineEvent, task: TaskRef, attempt: number): boolean => {
    const previous = ended[task.task_path];
    if (previous?.attempt !== attempt || !startsAfterStage(event.data)) return false;
    const { completed_at: _completedAt, duration_ms: _duration, output: _output, ...rest } = previous;
    const step: StepRun = { ...rest, status: 'running' };
    steps[task.task_path] = step;
    touched.set(step.id, step);
    patch.current_task = task.task_path;
    return true;
  };

  // A task that ends (or retries) drops whatever still ran inside it, as the fold does: a losing
  // fork branch, the call inside a `do` that timed out. Its open steps end as cancelled.
  const closeInside = (event: StoredEngineEvent, path?: string): void => {
    for (const open of Object.keys(steps)) {
      if (path === undefined || open.startsWith(`${path}/`)) {
        endStep(event, steps[open]!, steps[open]!.attempt, { status: 'cancelled' });
      }
    }
  };

  for (const event of events) {
    switch (event.type) {
      case 'io.wormhole.execution.started':
        setStatus('running');
        log(event, 'info', 'execution started');
        break;
      case 'io.wormhole.execution.completed':
        closeInside(event);
        finish(event, 'completed');
        patch.output = event.data.output;
        log(event, 'info', 'execution completed');
        break;
      case 'io.wormhole.execution.faulted':
        closeInside(event);
        finish(event, 'faulted');
        patch.error = event.data.error;
        log(event, 'error', `execution faulted: ${event.data.error.title ?? event.data.error.type}`);
        break;
      case 'io.wormhole.execution.cancelled':
        finish(event, 'cancelled');
        log(event, 'warn', `execution cancelled${event.data.reason ? `: ${event.data.reason}` : ''}`);
        closeInside(event);
        break;
      case 'io.wormhole.task.requested':
      case 'io.wormhole.task.started': {
        const input = event.type === 'io.wormhole.task.requested' ? event.data.input : undefined;
        if (steps[event.data.task_path]?.attempt === event.data.attempt) break;
        if (reopenForAfterStage(event, event.data, event.data.attempt)) break;
        const step = startStep(event, event.data, event.data.attempt, input);
        log(event, 'debug', `task ${event.data.task_name} started`, event.data, step.id);
        break;
      }
      case 'io.wormhole.task.completed': {
        closeInside(event, event.data.task_path);
        const step = endStep(event, event.data, event.data.attempt, { status: 'completed', output: event.data.output });
        log(event, 'info', `task ${event.data.task_name} completed`, event.data, step.id);
        setStatus('running');
        break;
      }
      case 'io.wormhole.task.failed': {
        closeInside(event, event.data.task_path);
        const step = endStep(event, event.data, event.data.attempt, { status: 'faulted', error: event.data.error });
        const detail = event.data.error.detail ?? event.data.error.title ?? event.data.error.type;
        log(event, 'error', `task ${event.data.task_name} failed: ${detail}`, event.data, step.id);
        break;
      }
      case 'io.wormhole.task.retrying': {
        closeInside(event, event.data.task_path);
        const error = event.data.error;
        const step = endStep(event, event.data, event.data.attempt, { status: 'faulted', ...(error ? { error } : {}) });
        log(event, 'warn', `task ${event.data.task_name} retrying in ${event.data.delay_ms} ms`, event.data, step.id);
        startStep(event, event.data, event.data.attempt + 1, step.input);
        break;
      }
      case 'io.wormhole.timer.scheduled':
        // A timeout's timer runs beside the task it bounds: nothing waits for it.
        if (event.data.kind === 'timeout') {
          log(event, 'debug', `times out at ${event.data.due_at}`, event.data);
          break;
        }
        setStatus('waiting');
        if (!steps[event.data.task_path]) startStep(event, event.data, 1);
        log(event, 'debug', `waiting until ${event.data.due_at}`, event.data);
        break;
      case 'io.wormhole.timer.fired':
        setStatus('running');
        break;
      case 'io.wormhole.listen.started':
        setStatus('waiting');
        log(
          event,
          'debug',
          `listening (${event.data.mode}) for ${event.data.filters.length} event filter(s)`,
          event.data,
        );
        break;
      case 'io.wormhole.event.emitted':
      case 'io.wormhole.event.received':
      case 'io.wormhole.event.published':
        log(
          event,
          'debug',
          `${event.type === 'io.wormhole.event.emitted' ? 'emitted' : 'received'} ${event.data.event.type}`,
        );
        break;
    }
  }
  return { patch, steps: [...touched.values()], logs, open: steps };
}

/** A task.started by which an extended task moves to its extensions' `after` lists (dsl runtime, `extensions.ts`). */
function startsAfterStage(data: unknown): boolean {
  const body: unknown = data !== null && typeof data === 'object' ? (data as { body?: unknown }).body : undefined;
  if (body === null || typeof body !== 'object') return false;
  const { kind, stage } = body as { kind?: unknown; stage?: unknown };
  return kind === 'extension' && stage === 'after';
}

/**
 * Derived from the event that started the step (event ids are deterministic), so every transition
 * of one run upserts the same row and a task run again in a loop gets a row of its own. It begins
 * with that event's history sequence so that steps started in the same millisecond (inline tasks)
 * list in the order they ran: storage orders step runs by start time, attempt, then id.
 */
export function stepRunId(
  executionId: string,
  taskPath: string,
  attempt: number,
  startedBy: { readonly id: string; readonly sequence: number },
): string {
  const digest = createHash('sha1').update(`${executionId}\n${taskPath}\n${startedBy.id}`).digest('hex').slice(0, 12);
  return `st_${String(startedBy.sequence).padStart(10, '0')}_${digest}_${attempt}`;
}
