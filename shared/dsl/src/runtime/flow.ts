import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { listPointerOf, taskAt, taskList } from './document';
import { configurationFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import { evaluateCondition, evaluateField } from './expressions';
import type { StepContext } from './scope';
import { taskDescriptor, workflowArguments } from './scope';
import type { TaskRun } from './state';
import type { Carry } from './task-events';
import { contextChange, faultOf, iterationInside, ownerRun, taskCompleted, taskFailed, taskRef } from './task-events';
import { deadlineDrafts } from './timeouts';
import { validated } from './schemas';
import { listenItemDone } from './listen-judge';
import { extensionListDone, runsExtensionList } from './extensions';

export type { Carry } from './task-events';
export { faultOf, ownerRun, taskFailed, taskRef } from './task-events';

/*
 * Moving through task lists. A step that carries a result on (a task's transformed output and
 * the new $context) writes them into the next event: the next task's task.started, the enclosing
 * task's task.completed (or its next iteration, or its record of a finished branch), or
 * execution.completed. That is how the fold learns what it cannot compute.
 */

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

/**
 * task.started for `entry` (and its timeout's timer), or undefined when its `if` skips it (its raw
 * input then flows on). A task inherits the attempt, the loop iteration and the variables of the
 * run it is part of, so that tasks run again by a retry or a loop are told apart.
 */
export function startTask(ctx: StepContext, entry: TaskEntry, carry: Carry): EventDraft[] | undefined {
  const { definition } = entry;
  const owner = ownerRun(ctx, entry.path);
  // A try's attempts number the runs of its block; its catch.do runs once, as a first attempt.
  const attempt = owner === undefined || owner.caught !== undefined ? 1 : owner.attempt;
  const iteration = iterationInside(owner);
  const variables = owner?.variables;
  const ref = { ...entry, ...(iteration !== undefined && { iteration }) };
  const args = {
    ...workflowArguments(ctx, carry.context),
    task: taskDescriptor(entry, carry.output, undefined, ctx),
    ...(variables !== undefined && { variables }),
  };
  try {
    if (definition.if !== undefined && !evaluateCondition(ctx.evaluator, definition.if, carry.output, args)) {
      return undefined;
    }
    validated(definition.input?.schema, carry.output, 'input', undefined, ctx.state.resources);
    const from = definition.input?.from;
    const input = from === undefined ? carry.output : evaluateField(ctx.evaluator, from, carry.output, args);
    return [
      draft('io.wormhole.task.started', {
        ...taskRef(ref),
        attempt,
        input,
        ...(from !== undefined && { raw_input: carry.output }),
        ...contextChange(ctx, carry.context),
        ...(variables !== undefined && { variables }),
      }),
      ...deadlineDrafts(ctx, definition.timeout, ref, input, { ...args, input }),
    ];
  } catch (e) {
    return [taskFailed(ctx, ref, attempt, faultOf(e, entry.path), carry.context)];
  }
}

/** Where a finished task's flow directive leads. */
export function follow(ctx: StepContext, run: TaskRun, directive: string, carry: Carry): EventDraft[] {
  const list = listPointerOf(run.path);
  if (directive === 'end') return completeWorkflow(ctx, carry);
  const owner = ownerRun(ctx, run.path);
  // A branch of a fork ends with itself: its siblings are the other branches, not what comes next.
  if (owner?.type === 'fork' && list === `${owner.path}/fork/branches`) return branchFinished(ctx, owner, run, carry);
  if (directive === 'exit') return completeScope(ctx, owner, carry, true);
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

/**
 * The task list of `owner` (the workflow when undefined) is done (`exited`: by `then: exit`), with
 * the last task's output as its own: an extension's list moves the extended task on (`extensions.ts`); the owner completes, or, for a `for`, moves to its next item (a listen's `foreach`: its
 * consumed event is done).
 */
function completeScope(ctx: StepContext, owner: TaskRun | undefined, carry: Carry, exited = false): EventDraft[] {
  if (owner === undefined) return completeWorkflow(ctx, carry);
  // An extension's list of a `for` or a listen ends before or after the task, not an iteration.
  if (runsExtensionList(owner)) return extensionListDone(ctx, owner, carry, exited);
  if (owner.type === 'for' && owner.loop !== undefined) {
    return nextIteration(ctx, owner, owner.loop.index + 1, carry, owner.loop.items);
  }
  if (owner.type === 'listen' && owner.loop !== undefined) return listenItemDone(ctx, owner, carry);
  return [taskCompleted(ctx, owner, carry.output, carry.context)];
}

/**
 * A `for` run goes on with item `index` (its iteration: a task.started of the running `for`), or
 * completes when the items run out or its `while` no longer holds. Each iteration's input is the
 * previous one's output.
 */
export function nextIteration(
  ctx: StepContext,
  run: TaskRun,
  index: number,
  carry: Carry,
  items: readonly JsonValue[],
): EventDraft[] {
  if (index >= items.length) return [taskCompleted(ctx, run, carry.output, carry.context)];
  const entry = taskAt(ctx.document, run.path);
  const task = entry.definition as Specification.ForTask;
  const each = task.for?.each ?? 'item';
  const at = task.for?.at ?? 'index';
  const variables: JsonObject = { ...run.variables, [each]: items[index] ?? null, [at]: index };
  try {
    const args = {
      ...workflowArguments(ctx, carry.context),
      input: run.input,
      task: taskDescriptor(entry, run.input, run),
      variables,
    };
    if (task.while !== undefined && !evaluateCondition(ctx.evaluator, task.while, carry.output, args)) {
      return [taskCompleted(ctx, run, carry.output, carry.context)];
    }
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), carry.context)];
  }
  return [
    draft('io.wormhole.task.started', {
      ...taskRef(run),
      attempt: run.attempt,
      input: run.input,
      variables,
      // The collection travels once, with the first iteration; the fold keeps it for the rest.
      body: { kind: 'iteration', index, input: carry.output, ...(index === 0 && { items: [...items] }) },
      ...contextChange(ctx, carry.context),
    }),
  ];
}

/**
 * A fork's branch finished with `carry.output`: a competing fork completes with it (the other
 * branches are dropped, and what they still await is ignored when it arrives); otherwise the fork
 * records it, and completes with every branch's output, in declaration order, once all are in.
 */
function branchFinished(ctx: StepContext, fork: TaskRun, branch: TaskRun, carry: Carry): EventDraft[] {
  const task = taskAt(ctx.document, fork.path).definition as Specification.ForkTask;
  if (task.fork?.compete === true) return [taskCompleted(ctx, fork, carry.output, carry.context)];
  const recorded: Record<string, JsonValue> = { ...fork.branches, [branch.path]: carry.output };
  const branches = taskList(ctx.document, `${fork.path}/fork/branches`);
  if (branches.every((entry) => entry.path in recorded)) {
    return [taskCompleted(ctx, fork, forkOutput(branches, recorded), carry.context)];
  }
  return [
    draft('io.wormhole.task.started', {
      ...taskRef(fork),
      attempt: fork.attempt,
      input: fork.input,
      ...(fork.variables !== undefined && { variables: fork.variables }),
      body: { kind: 'branch', path: branch.path, output: carry.output },
      ...contextChange(ctx, carry.context),
    }),
  ];
}

/** The outputs of a fork's branches in declaration order (null for one that left none). */
export function forkOutput(branches: readonly TaskEntry[], recorded: Readonly<Record<string, JsonValue>>): JsonValue {
  return branches.map((entry) => recorded[entry.path] ?? null);
}

/** Applies the workflow's `output.as` (and `output.schema`) and completes the execution. */
export function completeWorkflow(ctx: StepContext, carry: Carry): EventDraft[] {
  const as = ctx.document.output?.as;
  try {
    const output =
      as === undefined
        ? carry.output
        : evaluateField(ctx.evaluator, as, carry.output, workflowArguments(ctx, carry.context));
    validated(ctx.document.output?.schema, output, 'output', '/output/schema', ctx.state.resources);
    return [draft('io.wormhole.execution.completed', { output })];
  } catch (e) {
    return [draft('io.wormhole.execution.faulted', { error: faultOf(e, '/output/as') })];
  }
}
