import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry, TaskType } from './document';
import { extendedPathOf, extensionListPointer } from './document';
import { draft } from './events';
import type { EventDraft } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateCondition } from './expressions';
import { enterList } from './flow';
import type { StepContext } from './scope';
import type { ExtensionStage, TaskRun } from './state';
import type { Carry } from './task-events';
import { contextChange, taskCompleted, taskRef } from './task-events';

/*
 * `use.extensions` (dsl-reference.md, "Extension"): `before` tasks run "before the extended task",
 * `after` tasks "after the extended task", for each task whose type is `extend` (or `all`) and
 * whose `when` holds. The spec says no more about data than "Extensions enable the execution of
 * tasks prior to those they extend, offering the flexibility to potentially bypass the extended
 * task entirely using an `exit` workflow directive", and its mock example's `set` + `then: exit`
 * is "just returning what we injected". This runtime reads that as:
 *
 * - `when` is evaluated once, when the task has started (after its `if` and `input.from`), with
 *   the task's input as `.` and the task's descriptor as `$task`, over its definition's fields
 *   (`whenTask`);
 * - the `before` lists run in declaration order, the first on the task's input, each on the
 *   previous one's output; the last output is the input the task itself runs with;
 * - `then: exit` in a `before` list bypasses the task (and the remaining `before` lists): the
 *   list's output becomes the task's raw output, as if the task had returned it;
 * - the `after` lists run in declaration order on the task's raw output (before `output.as`), each
 *   on the previous one's output; the last output is the task's raw output, then `output.as`,
 *   `export.as` and the task's `then` apply as usual. They also run after a bypass;
 * - a task that fails runs no `after` list; a failing extension task fails the extended task;
 * - tasks run by an extension see the extended task as `$task` (the spec's logging example prints
 *   `$task.reference` from its `before` task), and are never extended themselves: an extension
 *   extending its own tasks (`extend: all` with a `set` before) would recurse without end.
 *
 * The lists run as task lists inside the extended run (`extensionListPointer`), and each move
 * between them is a task.started of the extended run with body `extension`, so the fold replays
 * every decision from the history (`when` is never evaluated again).
 */

interface DeclaredExtension {
  readonly index: number;
  readonly definition: Specification.Extension;
}

function declaredExtensions(ctx: StepContext): DeclaredExtension[] {
  return (ctx.document.use?.extensions ?? []).flatMap((item, index) =>
    Object.values(item).map((definition) => ({ index, definition })),
  );
}

/** `extend` names a task type; `composite` (the schema's name for tasks made of tasks) covers `do` and `fork`. */
function extendsType(extend: string, type: TaskType): boolean {
  return extend === 'all' || extend === type || (extend === 'composite' && (type === 'do' || type === 'fork'));
}

/**
 * The first time a run comes up (a `for` between iterations, a `try` running its catch or a
 * listen judging events come up again): only then do extensions apply, so a `when` that reads
 * `$context` is not asked again once the task moved on.
 */
function firstVisit(run: TaskRun): boolean {
  return (
    run.extension === undefined &&
    run.loop === undefined &&
    run.caught === undefined &&
    run.listen === undefined &&
    run.branches === undefined
  );
}

/**
 * The step of an extended run before or after its own work: records which extensions apply (the
 * first time), or runs the `before`/`after` list in progress. Undefined when the task itself runs.
 * @throws DslFault when a `when` does not evaluate (the task fails)
 */
export function extensionStep(
  ctx: StepContext,
  entry: TaskEntry,
  run: TaskRun,
  args: ExpressionArguments,
): EventDraft[] | undefined {
  const position = run.extension;
  if (position === undefined) {
    const declared = declaredExtensions(ctx);
    if (declared.length === 0 || !firstVisit(run) || extendedPathOf(run.path) !== undefined) return undefined;
    const whenArgs = { ...args, task: whenTask(entry, args) };
    const applied = declared
      .filter(({ definition }) => extendsType(definition.extend, entry.type))
      .filter(
        ({ definition }) =>
          definition.when === undefined || evaluateCondition(ctx.evaluator, definition.when, run.input, whenArgs),
      )
      .map(({ index }) => index);
    if (applied.length === 0) return undefined;
    const first = nextWithList(ctx, applied, 0, 'before');
    const stage = first === undefined ? 'body' : 'before';
    return [moved(ctx, run, stage, first ?? 0, run.input, ctx.state.context, applied)];
  }
  if (position.stage !== 'before' && position.stage !== 'after') return undefined;
  const index = position.applied[position.at] ?? -1;
  const list = extensionListPointer(run.path, index, position.stage);
  return enterList(ctx, list, 0, { output: position.input, context: ctx.state.context });
}

/**
 * `$task` in `when`: the task's descriptor (dsl.md), over the fields of its definition. The spec's
 * own examples test `$task.call` and `$task.with.endpoint` there, as if `$task` were the
 * definition; both readings work, and the descriptor wins where they clash (`input`, `output`).
 */
function whenTask(entry: TaskEntry, args: ExpressionArguments): JsonValue {
  const descriptor = args.task;
  const definition = entry.definition as unknown as JsonObject;
  return descriptor !== null && typeof descriptor === 'object' && !Array.isArray(descriptor)
    ? { ...definition, ...descriptor }
    : definition;
}

/** True when `owner` is running one of its extensions' lists (a list that ends is one of them). */
export function runsExtensionList(owner: TaskRun): boolean {
  return owner.extension?.stage === 'before' || owner.extension?.stage === 'after';
}

/**
 * An extension list of `owner` ended with `carry.output` (`exited`: by `then: exit`): the next
 * list runs; after the last `before` list the task itself runs on that output, and after the last
 * `after` list the task completes with it. `exit` in a `before` list bypasses the task.
 */
export function extensionListDone(ctx: StepContext, owner: TaskRun, carry: Carry, exited: boolean): EventDraft[] {
  const position = owner.extension;
  if (position === undefined) return [taskCompleted(ctx, owner, carry.output, carry.context)];
  if (position.stage === 'before') {
    if (exited) return [taskCompleted(ctx, owner, carry.output, carry.context)];
    const next = nextWithList(ctx, position.applied, position.at + 1, 'before');
    return next === undefined
      ? [moved(ctx, owner, 'body', position.at, carry.output, carry.context)]
      : [moved(ctx, owner, 'before', next, carry.output, carry.context)];
  }
  const next = nextWithList(ctx, position.applied, position.at + 1, 'after');
  return next === undefined
    ? [taskCompleted(ctx, owner, carry.output, carry.context)]
    : [moved(ctx, owner, 'after', next, carry.output, carry.context)];
}

/**
 * A completed extended task whose `after` lists have not run: the first one starts on its raw
 * output. Undefined when there is none (or they ran), and the task's output is carried on.
 */
export function afterStep(ctx: StepContext, run: TaskRun): EventDraft[] | undefined {
  const position = run.extension;
  if (position === undefined || position.stage === 'after' || position.stage === 'done') return undefined;
  const first = nextWithList(ctx, position.applied, 0, 'after');
  if (first === undefined) return undefined;
  return [moved(ctx, run, 'after', first, run.output ?? null, ctx.state.context)];
}

/** Position in `applied` of the first extension from `from` on that has a non-empty `stage` list. */
function nextWithList(
  ctx: StepContext,
  applied: readonly number[],
  from: number,
  stage: 'before' | 'after',
): number | undefined {
  const declared = declaredExtensions(ctx);
  for (let at = from; at < applied.length; at++) {
    const extension = declared.find(({ index }) => index === applied[at]);
    if ((extension?.definition[stage]?.length ?? 0) > 0) return at;
  }
  return undefined;
}

function moved(
  ctx: StepContext,
  run: TaskRun,
  stage: Exclude<ExtensionStage, 'done'>,
  at: number,
  input: JsonValue,
  context: JsonObject,
  applied?: readonly number[],
): EventDraft {
  return draft('io.wormhole.task.started', {
    ...taskRef(run),
    attempt: run.attempt,
    input: run.input,
    ...(run.variables !== undefined && { variables: run.variables }),
    body: { kind: 'extension', stage, at, input, ...(applied !== undefined && { applied: [...applied] }) },
    ...contextChange(ctx, context),
  });
}
