import type { Specification } from '@serverlessworkflow/sdk';
import type { DslError, JsonObject } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { taskAt } from './document';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { checkVariableName, evaluateCondition } from './expressions';
import { enterList } from './flow';
import { retryDelay, retryPolicy } from './retry';
import { sameErrorType } from './standard-errors';
import type { StepContext } from './scope';
import { taskDescriptor, workflowArguments } from './scope';
import type { TaskRun } from './state';
import { OWN_EVENT_ID, faultOf, taskCompleted, taskFailed, taskRef } from './task-events';
import { deadlineDrafts } from './timeouts';

/*
 * try/catch/retry. A failure inside a try's block stops at the try: if its catch takes the error,
 * the try either runs its block again (task.retrying, a durable `retry` timer, then task.started
 * with the next attempt, so every task inside is a new attempt too) or runs `catch.do` with the
 * error bound as `$<catch.as>` (a task.started of the running try carrying the error). A caught
 * error with neither completes the try with its input. Anything not caught rises on.
 */

/** A `try` that just started (or caught): its block, or its `catch.do`. */
export function runTry(ctx: StepContext, run: TaskRun): EventDraft[] {
  const task = taskAt(ctx.document, run.path).definition as Specification.TryTask;
  const carry = { output: run.input, context: ctx.state.context };
  if (run.caught === undefined) return enterList(ctx, `${run.path}/try`, 0, carry);
  if (task.catch?.do === undefined) return [taskCompleted(ctx, run, run.input)];
  return enterList(ctx, `${run.path}/catch/do`, 0, carry);
}

/**
 * The events of a try catching `error` raised inside its block, or undefined when its catch does
 * not take it (the error then rises past the try). A catch that itself fails (an expression, a
 * bad policy) fails the try.
 */
export function catchFailure(ctx: StepContext, run: TaskRun, error: DslError): EventDraft[] | undefined {
  const entry = taskAt(ctx.document, run.path);
  const handler = (entry.definition as Specification.TryTask).catch ?? {};
  try {
    if (!matchesErrorFilter(handler.errors?.with, error)) return undefined;
    const as = checkVariableName(handler.as ?? 'error', 'catch.as');
    const variables: JsonObject = { ...run.variables, [as]: errorValue(error) };
    const args = catchArguments(ctx, entry, run, variables);
    if (handler.when !== undefined && !evaluateCondition(ctx.evaluator, handler.when, run.input, args)) {
      return undefined;
    }
    if (handler.exceptWhen !== undefined && evaluateCondition(ctx.evaluator, handler.exceptWhen, run.input, args)) {
      return undefined;
    }
    const policy = retryPolicy(ctx.document, handler.retry);
    if (policy !== undefined) {
      const retryContext = { ...ctx, executionId: ctx.state.identity?.executionId ?? '' };
      const delay = retryDelay(retryContext, run, policy, run.input, args);
      if (delay !== undefined) {
        return [draft('io.wormhole.task.retrying', { ...taskRef(run), attempt: run.attempt, delay_ms: delay, error })];
      }
      // Retries are spent (or the policy declined): only a `catch.do` still handles the error.
      if (handler.do === undefined) return undefined;
    }
    return [
      draft('io.wormhole.task.started', {
        ...taskRef(run),
        attempt: run.attempt,
        input: run.input,
        variables,
        body: { kind: 'catch', error },
      }),
    ];
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), ctx.state.context)];
  }
}

/** A try waiting to retry: its durable delay, or the next attempt at once. */
export function retryTry(ctx: StepContext, run: TaskRun): EventDraft[] {
  const delay = run.retryDelayMs ?? 0;
  if (delay <= 0) return restartTry(ctx, run);
  return [
    draft('io.wormhole.timer.scheduled', {
      ...taskRef(run),
      timer_id: OWN_EVENT_ID,
      due_at: new Date(ctx.now.getTime() + delay).toISOString(),
      kind: 'retry',
    }),
  ];
}

/** The next attempt of a try: the same input, a new attempt number (and a new timeout, per attempt). */
export function restartTry(ctx: StepContext, run: TaskRun): EventDraft[] {
  const entry = taskAt(ctx.document, run.path);
  const attempt = run.attempt + 1;
  const args = catchArguments(ctx, entry, run, run.variables);
  try {
    return [
      draft('io.wormhole.task.started', {
        ...taskRef(run),
        attempt,
        input: run.input,
        ...(run.rawInput !== undefined && { raw_input: run.rawInput }),
        ...(run.variables !== undefined && { variables: run.variables }),
      }),
      ...deadlineDrafts(ctx, entry.definition.timeout, run, run.input, args),
    ];
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), ctx.state.context)];
  }
}

/**
 * `catch.errors.with`: every property it sets must equal the error's (a standard type matches
 * under any of the spec's base URIs). The schema spells the detail filter `details`; both are read.
 */
export function matchesErrorFilter(filter: Specification.ErrorFilter | undefined, error: DslError): boolean {
  if (filter === undefined) return true;
  const detail = filter.detail ?? filter.details;
  return (
    (filter.type === undefined || sameErrorType(filter.type, error.type)) &&
    (filter.status === undefined || Number(filter.status) === error.status) &&
    (filter.instance === undefined || filter.instance === error.instance) &&
    (filter.title === undefined || filter.title === error.title) &&
    (detail === undefined || detail === error.detail)
  );
}

function errorValue(error: DslError): JsonObject {
  return { ...error };
}

function catchArguments(
  ctx: StepContext,
  entry: TaskEntry,
  run: TaskRun,
  variables: JsonObject | undefined,
): ExpressionArguments {
  return {
    ...workflowArguments(ctx, ctx.state.context),
    input: run.input,
    task: taskDescriptor(entry, run.input, run),
    ...(variables !== undefined && { variables }),
  };
}
