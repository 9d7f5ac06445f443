import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonValue } from '@wormhole/interfaces';
import { dslError } from '@wormhole/interfaces';
import { taskAt, taskList } from './document';
import { DslFault } from './errors';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { checkVariableName, evaluateField } from './expressions';
import { enterList, forkOutput, nextIteration, startTask } from './flow';
import type { StepContext } from './scope';
import type { TaskRun } from './state';
import { taskCompleted, taskRef } from './task-events';

/*
 * The first step of `for` and `fork` runs. What follows (the next iteration, a finished branch)
 * is in flow.ts, where a task list ends.
 */

/**
 * `for`: evaluates `for.in` and starts the first iteration; once an iteration has started (the
 * run holds its position), runs `do` with that iteration's input.
 * @throws DslFault for a bad variable name, a failing `in`, or an `in` that is not an array
 */
export function runFor(ctx: StepContext, run: TaskRun, args: ExpressionArguments): EventDraft[] {
  if (run.loop !== undefined) {
    return enterList(ctx, `${run.path}/do`, 0, { output: run.loop.input, context: ctx.state.context });
  }
  const task = taskAt(ctx.document, run.path).definition as Specification.ForTask;
  checkVariableName(task.for?.each ?? 'item', 'for.each');
  checkVariableName(task.for?.at ?? 'index', 'for.at');
  const collection = evaluateField(ctx.evaluator, task.for?.in ?? '', run.input, args);
  if (collection !== null && !Array.isArray(collection)) {
    throw new DslFault(dslError('validation', { detail: `for.in must give an array, not ${typeName(collection)}` }));
  }
  return nextIteration(ctx, run, 0, { output: run.input, context: ctx.state.context }, collection ?? []);
}

/**
 * `fork`: starts every branch at once with the fork's input. The worker handles one execution at
 * a time, so "concurrently" means the branches' steps interleave in a fixed order while their
 * executor tasks and timers really run side by side. A branch skipped by its `if` finishes at once
 * with its input (it never wins a competition).
 */
export function runFork(ctx: StepContext, run: TaskRun): EventDraft[] {
  const task = taskAt(ctx.document, run.path).definition as Specification.ForkTask;
  const compete = task.fork?.compete === true;
  const branches = taskList(ctx.document, `${run.path}/fork/branches`);
  const carry = { output: run.input, context: ctx.state.context };
  const started: EventDraft[] = [];
  const skipped: string[] = [];
  for (const entry of branches) {
    const drafts = startTask(ctx, entry, carry);
    if (drafts === undefined) skipped.push(entry.path);
    else started.push(...drafts);
  }
  if (started.length === 0) {
    const outputs = Object.fromEntries(skipped.map((path) => [path, run.input]));
    return [taskCompleted(ctx, run, compete ? run.input : forkOutput(branches, outputs))];
  }
  if (compete) return started;
  return [
    ...started,
    ...skipped.map((path) =>
      draft('io.wormhole.task.started', {
        ...taskRef(run),
        attempt: run.attempt,
        input: run.input,
        ...(run.variables !== undefined && { variables: run.variables }),
        body: { kind: 'branch', path, output: run.input },
      }),
    ),
  ];
}

function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
