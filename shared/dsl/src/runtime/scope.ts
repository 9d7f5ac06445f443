import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry, WorkflowDocument } from './document';
import { extendedPathOf, taskAt } from './document';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import type { ExecutionState, TaskRun } from './state';

/** What one decision step works with. `state` is the state the step decides from. */
export interface StepContext {
  readonly document: WorkflowDocument;
  readonly state: ExecutionState;
  readonly evaluator: ExpressionEvaluator;
  readonly now: Date;
  readonly runtime: JsonObject;
  readonly secrets: JsonObject;
  /** Id the first event of this step will get (a timer takes its scheduling event's id). */
  readonly nextEventId: string;
}

/** The DSL's dateTimeDescriptor. */
export function dateTimeDescriptor(iso: string | undefined): JsonValue {
  if (iso === undefined || iso === '') return null;
  const milliseconds = Date.parse(iso);
  if (Number.isNaN(milliseconds)) return { iso8601: iso };
  return { iso8601: iso, epoch: { seconds: Math.floor(milliseconds / 1000), milliseconds } };
}

export function workflowDescriptor(ctx: StepContext): JsonObject {
  return {
    id: ctx.state.identity?.executionId ?? null,
    // The document is parsed JSON; the SDK's type merely does not say so.
    definition: ctx.document as unknown as JsonObject,
    input: ctx.state.input,
    startedAt: dateTimeDescriptor(ctx.state.startedAt),
  };
}

/**
 * The DSL's taskDescriptor; `run` is absent while the task has not started (its `if`, `input.from`).
 * Given `ctx`, a task run by an extension is described as the task it extends (`extensions.ts`).
 */
export function taskDescriptor(entry: TaskEntry, rawInput: JsonValue, run?: TaskRun, ctx?: StepContext): JsonObject {
  const extendedPath = ctx === undefined ? undefined : extendedPathOf(entry.path);
  const extended =
    extendedPath === undefined ? undefined : ctx?.state.tasks.find((candidate) => candidate.path === extendedPath);
  if (ctx !== undefined && extended !== undefined) {
    return taskDescriptor(taskAt(ctx.document, extended.path), extended.input, extended);
  }
  return {
    name: entry.name,
    reference: entry.path,
    definition: entry.definition as unknown as JsonObject,
    input: run === undefined ? rawInput : (run.rawInput ?? run.input),
    output: run?.output ?? null,
    startedAt: dateTimeDescriptor(run?.startedAt),
  };
}

/** Arguments shared by every expression of a workflow: the ones that do not depend on a task. */
export function workflowArguments(ctx: StepContext, context: JsonObject): ExpressionArguments {
  return {
    context,
    secrets: ctx.secrets,
    workflow: workflowDescriptor(ctx),
    runtime: ctx.runtime,
  };
}
