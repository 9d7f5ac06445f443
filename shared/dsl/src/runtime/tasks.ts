import type { Specification } from '@serverlessworkflow/sdk';
import type { DslError, JsonObject, JsonValue } from '@wormhole/interfaces';
import { DSL_ERROR_TYPES, dslError } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { isWithin, taskAt } from './document';
import { durationToMs } from './duration';
import { configurationFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateCondition, evaluateField, evaluateValue } from './expressions';
import { resolveAuthenticationReferences } from './authentications';
import { functionOutputSchemas, resolveFunctionCall } from './functions';
import { runFor, runFork } from './composites';
import { emitEvent } from './emit';
import { foreachOf, startListen } from './listen';
import { resumeListen } from './listen-judge';
import { enterList, follow } from './flow';
import { validated } from './schemas';
import { standardErrorKind } from './standard-errors';
import type { StepContext } from './scope';
import { taskDescriptor, workflowArguments } from './scope';
import type { TaskRun } from './state';
import { exportedContext, faultOf, ownerRun, taskFailed, taskRef } from './task-events';
import { deadlineDrafts, timeoutError } from './timeouts';
import { catchFailure, restartTry, retryTry, runTry } from './try';
import { afterStep, extensionStep } from './extensions';

/*
 * The steps of the decider, one per situation of the innermost run. Each returns the events of
 * one transition; the decider folds them and asks again.
 */

/** Workflow `input.schema`, `input.from` and `timeout`, then the first task. */
export function startWorkflow(ctx: StepContext): EventDraft[] {
  const from = ctx.document.input?.from;
  const args = workflowArguments(ctx, ctx.state.context);
  let input: JsonValue;
  let deadline: EventDraft[];
  try {
    validated(ctx.document.input?.schema, ctx.state.input, 'input', '/input/schema', ctx.state.resources);
    input = from === undefined ? ctx.state.input : evaluateField(ctx.evaluator, from, ctx.state.input, args);
  } catch (e) {
    return [draft('io.wormhole.execution.faulted', { error: faultOf(e, '/input/from') })];
  }
  try {
    const ref = { path: '', name: ctx.document.document.name, type: 'workflow' };
    // Once: a workflow restarted from its first task (a `then` loop) keeps its first deadline.
    deadline = ctx.state.deadline === undefined ? deadlineDrafts(ctx, ctx.document.timeout, ref, input, args) : [];
  } catch (e) {
    return [draft('io.wormhole.execution.faulted', { error: faultOf(e, '/timeout') })];
  }
  return [...deadline, ...enterList(ctx, '/do', 0, { output: input, context: ctx.state.context })];
}

/** The outermost run whose timeout fired: it fails with the timeout error, and that error rises as any other. */
export function timedOut(ctx: StepContext): EventDraft[] {
  if (ctx.state.deadline?.fired) {
    return [draft('io.wormhole.execution.faulted', { error: timeoutError('') })];
  }
  const run = ctx.state.tasks.find(
    (candidate) => candidate.deadline?.fired && candidate.phase !== 'completed' && candidate.phase !== 'failed',
  );
  if (run === undefined) return [];
  return [taskFailed(ctx, run, run.attempt, timeoutError(run.path), ctx.state.context)];
}

/** A task that has just started: run it inline, hand it over, or descend into its tasks. */
export function runTask(ctx: StepContext, run: TaskRun): EventDraft[] {
  const entry = taskAt(ctx.document, run.path);
  const args = taskArguments(ctx, entry, run);
  const definition: unknown = entry.definition;
  try {
    const extended = extensionStep(ctx, entry, run, args);
    if (extended !== undefined) return extended;
    switch (entry.type) {
      case 'do':
        return enterList(ctx, `${run.path}/do`, 0, { output: run.input, context: ctx.state.context });
      case 'for':
        return runFor(ctx, run, args);
      case 'try':
        return runTry(ctx, run);
      case 'fork':
        return runFork(ctx, run);
      case 'emit':
        return emitEvent(ctx, entry, run, args);
      case 'set':
        return [
          completed(run, evaluateValue(ctx.evaluator, (definition as Specification.SetTask).set, run.input, args)),
        ];
      case 'switch':
        return [completed(run, run.input, chooseCase(ctx, definition as Specification.SwitchTask, run, args))];
      case 'raise':
        return [
          taskFailed(
            ctx,
            run,
            run.attempt,
            raisedError(ctx, definition as Specification.RaiseTask, run, args),
            ctx.state.context,
          ),
        ];
      case 'wait':
        return [scheduleTimer(ctx, definition as Specification.WaitTask, run, args)];
      case 'call':
      case 'run':
        return [requestTask(ctx, entry, run, args)];
      case 'listen': {
        // `foreach` runs its tasks on a consumed event the way `for` runs an iteration's.
        const list = foreachOf(entry)?.list;
        if (run.loop !== undefined && list !== undefined) {
          return enterList(ctx, list, 0, { output: run.loop.input, context: ctx.state.context });
        }
        return startListen(ctx, entry, run, args);
      }
    }
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), ctx.state.context)];
  }
}

/**
 * A timer fired: a `wait` completes with its input as output, a `try` runs its next attempt. A
 * listen that received events judges the next one, or completes once it ended.
 */
export function resumeTask(ctx: StepContext, run: TaskRun): EventDraft[] {
  if (run.type === 'try') return restartTry(ctx, run);
  if (run.listen !== undefined) return resumeListen(ctx, run, taskArguments(ctx, taskAt(ctx.document, run.path), run));
  return [completed(run, run.input)];
}

/** A `try` whose catch asked for a retry: wait for the delay, or go again at once. */
export function retryTask(ctx: StepContext, run: TaskRun): EventDraft[] {
  return retryTry(ctx, run);
}

/** A completed task: its extensions' `after` lists, `output.as`, `export.as`, then its flow directive. */
export function finishTask(ctx: StepContext, run: TaskRun): EventDraft[] {
  // Extensions' `after` lists see the raw output first; the transforms apply to theirs.
  const after = afterStep(ctx, run);
  if (after !== undefined) return after;
  const entry = taskAt(ctx.document, run.path);
  const { output: outputConfig, export: exportConfig, then } = entry.definition;
  const args = taskArguments(ctx, entry, run);
  const raw = run.output ?? null;
  let output: JsonValue;
  let context: JsonObject;
  try {
    // A custom function's own output.schema holds for what it returned, before the caller's transforms.
    if (entry.type === 'call') {
      const definition = entry.definition as unknown as JsonObject;
      for (const schema of functionOutputSchemas(ctx.document, definition, ctx.state.resources)) {
        validated(schema, raw, 'output', undefined, ctx.state.resources);
      }
    }
    output = outputConfig?.as === undefined ? raw : evaluateField(ctx.evaluator, outputConfig.as, raw, args);
    validated(outputConfig?.schema, output, 'output', undefined, ctx.state.resources);
    context =
      exportConfig?.as === undefined
        ? ctx.state.context
        : exportedContext(evaluateField(ctx.evaluator, exportConfig.as, output, { ...args, output }));
    if (context !== ctx.state.context) {
      validated(exportConfig?.schema, context, 'context', undefined, ctx.state.resources);
    }
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), ctx.state.context)];
  }
  return follow(ctx, run, run.then ?? then ?? 'continue', { output, context });
}

/** A failed task: its error rises to the enclosing task, and past the workflow it faults the execution. */
export function propagateFailure(ctx: StepContext, run: TaskRun): EventDraft[] {
  const error: DslError =
    run.error ?? dslError('runtime', { detail: 'task failed without an error', instance: run.path });
  const owner = ownerRun(ctx, run.path);
  if (owner === undefined) return [draft('io.wormhole.execution.faulted', { error })];
  if (owner.type === 'try' && owner.caught === undefined && isWithin(run.path, `${owner.path}/try`)) {
    const caught = catchFailure(ctx, owner, error);
    if (caught !== undefined) return caught;
  }
  return [taskFailed(ctx, owner, owner.attempt, error, ctx.state.context)];
}

/** Arguments of a started task's expressions (its definition, `output.as`, `export.as`). */
function taskArguments(ctx: StepContext, entry: TaskEntry, run: TaskRun): ExpressionArguments {
  return {
    ...workflowArguments(ctx, ctx.state.context),
    input: run.input,
    task: taskDescriptor(entry, run.input, run, ctx),
    ...(run.variables !== undefined && { variables: run.variables }),
  };
}

function completed(run: TaskRun, output: JsonValue, then?: string): EventDraft {
  return draft('io.wormhole.task.completed', {
    ...taskRef(run),
    attempt: run.attempt,
    output,
    ...(then !== undefined && { then }),
  });
}

/** The `then` of the first matching case; the default case (no `when`) only if no other matches. */
function chooseCase(
  ctx: StepContext,
  task: Specification.SwitchTask,
  run: TaskRun,
  args: ExpressionArguments,
): string | undefined {
  const cases = (task.switch ?? []).flatMap((item) => Object.values(item));
  for (const candidate of cases) {
    if (candidate.when !== undefined && evaluateCondition(ctx.evaluator, candidate.when, run.input, args)) {
      return candidate.then;
    }
  }
  return cases.find((candidate) => candidate.when === undefined)?.then;
}

/** The error a `raise` task raises: inline or named in `use.errors`, with its expressions evaluated. */
function raisedError(
  ctx: StepContext,
  task: Specification.RaiseTask,
  run: TaskRun,
  args: ExpressionArguments,
): DslError {
  const declared = task.raise?.error;
  const definition = typeof declared === 'string' ? ctx.document.use?.errors?.[declared] : declared;
  if (definition === undefined) throw configurationFault(`no error named '${String(declared)}' in use.errors`);
  const evaluated = evaluateValue(ctx.evaluator, definition, run.input, args);
  if (evaluated === null || typeof evaluated !== 'object' || Array.isArray(evaluated)) {
    throw configurationFault('the raised error is not an object');
  }
  const { type, title, detail, instance } = evaluated;
  // A standard type may leave its status out: it has a default one (dsl-reference.md, "Standard error types").
  const kind = typeof type === 'string' ? standardErrorKind(type) : undefined;
  const status = evaluated.status ?? (kind === undefined ? undefined : DSL_ERROR_TYPES[kind].status);
  if (typeof type !== 'string' || typeof status !== 'number') {
    throw configurationFault('the raised error needs a string type and a numeric status');
  }
  return {
    type,
    status,
    ...(typeof title === 'string' && { title }),
    ...(typeof detail === 'string' && { detail }),
    instance: typeof instance === 'string' ? instance : run.path,
  };
}

function scheduleTimer(
  ctx: StepContext,
  task: Specification.WaitTask,
  run: TaskRun,
  args: ExpressionArguments,
): EventDraft {
  const duration = evaluateValue(ctx.evaluator, task.wait, run.input, args);
  const dueAt = new Date(ctx.now.getTime() + durationToMs(duration)).toISOString();
  return draft('io.wormhole.timer.scheduled', {
    ...taskRef(run),
    // The id of its own timer.scheduled: unique across executions (the timer store is shared)
    // and the same when a decision is repeated.
    timer_id: ctx.nextEventId,
    due_at: dueAt,
  });
}

/** Fields of a task definition that belong to the engine, not to whoever executes the task. */
const FLOW_FIELDS: ReadonlySet<string> = new Set(['if', 'input', 'output', 'export', 'timeout', 'then', 'metadata']);

/** task.requested: the definition, without flow fields and with its runtime expressions evaluated. */
function requestTask(ctx: StepContext, entry: TaskEntry, run: TaskRun, args: ExpressionArguments): EventDraft {
  const definition = Object.fromEntries(Object.entries(entry.definition).filter(([key]) => !FLOW_FIELDS.has(key)));
  // A custom function runs as the task it is, on the caller's `with` as its input.
  const called = resolveFunctionCall(
    ctx.document,
    definition as JsonObject,
    ctx.evaluator,
    run.input,
    args,
    ctx.state.resources,
  );
  const input = called?.input ?? run.input;
  const withPolicies = resolveAuthenticationReferences(ctx.document, called?.definition ?? (definition as JsonObject));
  const task = evaluateValue(ctx.evaluator, withPolicies, input, { ...args, input });
  if (task === null || typeof task !== 'object' || Array.isArray(task)) {
    throw new Error('evaluated task is not an object');
  }
  return draft('io.wormhole.task.requested', { ...taskRef(run), input, attempt: run.attempt, task });
}
