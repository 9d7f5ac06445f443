import type { DslError, JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { isWithin, listPointerOf, taskList } from './document';
import { DslFault, configurationFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import { evaluateCondition, evaluateField } from './expressions';
import type { StepContext } from './scope';
import { taskDescriptor, workflowArguments } from './scope';
import type { TaskRun } from './state';

/*
 * Moving through task lists. A step that carries a result on (a task's transformed output and
 * the new $context) writes them into the next event: the next task's task.started, the enclosing
 * task's task.completed, or execution.completed. That is how the fold learns what it cannot compute.
 */

/** The data a step carries from one task to the next. */
export interface Carry {
  readonly output: JsonValue;
  readonly context: JsonObject;
}

/** The innermost run that contains `path` (a task or a task list), or undefined for the workflow itself. */
export function ownerRun(ctx: StepContext, path: string): TaskRun | undefined {
  return ctx.state.tasks.filter((run) => isWithin(path, run.path)).pop();
}

/** `context` for an event, when the step changed it. */
export function contextChange(ctx: StepContext, context: JsonObject): { context?: JsonObject } {
  return context === ctx.state.context ? {} : { context };
}

export function taskRef(entry: Pick<TaskEntry, 'path' | 'name' | 'type'>) {
  return { task_path: entry.path, task_name: entry.name, task_type: entry.type };
}

/** Runs the task list at `list` from `index` on, with `carry.output` as the next task's raw input. */
export function enterList(ctx: StepContext, list: string, index: number, carry: Carry): EventDraft[] {
  const tasks = taskList(ctx.document, list);
  for (let i = index; i < tasks.length; i++) {
    const entry = tasks[i];
    if (entry === undefined) break;
    const started = startTask(ctx, entry, carry);
    if (started !== undefined) return started;
  }
  return completeScope(ctx, ownerRun(ctx, list), carry);
}

/** task.started for `entry`, or undefined when its `if` skips it (its raw input then flows on). */
function startTask(ctx: StepContext, entry: TaskEntry, carry: Carry): EventDraft[] | undefined {
  const { definition } = entry;
  const args = { ...workflowArguments(ctx, carry.context), task: taskDescriptor(entry, carry.output) };
  try {
    if (definition.if !== undefined && !evaluateCondition(ctx.evaluator, definition.if, carry.output, args)) {
      return undefined;
    }
    const from = definition.input?.from;
    const input = from === undefined ? carry.output : evaluateField(ctx.evaluator, from, carry.output, args);
    return [
      draft('io.wormhole.task.started', {
        ...taskRef(entry),
        attempt: 1,
        input,
        ...(from !== undefined && { raw_input: carry.output }),
        ...contextChange(ctx, carry.context),
      }),
    ];
  } catch (e) {
    return [taskFailed(ctx, entry, 1, faultOf(e, entry.path), carry.context)];
  }
}

/** Where a finished task's flow directive leads. */
export function follow(ctx: StepContext, run: TaskRun, directive: string, carry: Carry): EventDraft[] {
  const list = listPointerOf(run.path);
  if (directive === 'end') return completeWorkflow(ctx, carry);
  if (directive === 'exit') return completeScope(ctx, ownerRun(ctx, run.path), carry);
  const tasks = taskList(ctx.document, list);
  const index =
    directive === 'continue'
      ? (tasks.find((entry) => entry.path === run.path)?.index ?? tasks.length) + 1
      : tasks.findIndex((entry) => entry.name === directive);
  if (index < 0) {
    const fault = configurationFault(`flow directive '${directive}' names no task in its list`, run.path);
    return [taskFailed(ctx, run, run.attempt, fault.error, carry.context)];
  }
  return enterList(ctx, list, index, carry);
}

/** The scope of `owner` (the workflow when undefined) is done, with the last task's output as its own. */
function completeScope(ctx: StepContext, owner: TaskRun | undefined, carry: Carry): EventDraft[] {
  if (owner === undefined) return completeWorkflow(ctx, carry);
  return [
    draft('io.wormhole.task.completed', {
      ...taskRef(owner),
      attempt: owner.attempt,
      output: carry.output,
      ...contextChange(ctx, carry.context),
    }),
  ];
}

/** Applies the workflow's `output.as` and completes the execution. */
export function completeWorkflow(ctx: StepContext, carry: Carry): EventDraft[] {
  const as = ctx.document.output?.as;
  try {
    const output =
      as === undefined
        ? carry.output
        : evaluateField(ctx.evaluator, as, carry.output, workflowArguments(ctx, carry.context));
    return [draft('io.wormhole.execution.completed', { output })];
  } catch (e) {
    return [draft('io.wormhole.execution.faulted', { error: faultOf(e, '/output/as') })];
  }
}

export function taskFailed(
  ctx: StepContext,
  task: Pick<TaskEntry, 'path' | 'name' | 'type'>,
  attempt: number,
  error: DslError,
  context: JsonObject,
): EventDraft {
  return draft('io.wormhole.task.failed', {
    ...taskRef(task),
    attempt,
    error,
    retryable: false,
    ...contextChange(ctx, context),
  });
}

/** The DSL error of a fault, attributed to `instance`; anything else is an engine bug and rethrown. */
export function faultOf(e: unknown, instance: string): DslError {
  if (e instanceof DslFault) return e.at(instance).error;
  throw e;
}
