import type { CloudEvent, JsonObject, JsonValue } from '@wormhole/interfaces';
import type { TaskEntry } from './document';
import { taskAt } from './document';
import { matchingFilters } from './event-filter';
import { draft } from './events';
import type { BodyProgress, EventDraft, ListenVerdict } from './events';
import type { ExpressionArguments } from './expressions';
import { evaluateCondition, evaluateField, isRuntimeExpression } from './expressions';
import type { FilterDefinition } from './listen';
import {
  foreachOf,
  listenDefinition,
  listenOutput,
  readEvent,
  strategyOf,
  strategySatisfied,
  untilStrategyOf,
} from './listen';
import { validated } from './schemas';
import type { StepContext } from './scope';
import { taskDescriptor, workflowArguments } from './scope';
import type { ListenPosition, ReceivedEvent, TaskRun } from './state';
import type { Carry } from './task-events';
import { contextChange, exportedContext, faultOf, taskCompleted, taskFailed, taskRef } from './task-events';

/*
 * The decider's half of a judged listen (`until`, `foreach`, `correlate`): it looks at each
 * delivered event in arrival order and writes its verdict into the history (a task.started with
 * body `listen-event`), so the fold, which cannot evaluate expressions, replays the same result.
 */

/** A listen that has something to do: complete once it ended, else judge its oldest queued event. */
export function resumeListen(ctx: StepContext, run: TaskRun, args: ExpressionArguments): EventDraft[] {
  const listen = run.listen;
  if (listen === undefined) return [];
  // A listen that is not judged is resumed only once satisfied (a snapshot from before `ended` has none).
  if (listen.ended === true || listen.judged !== true) return [taskCompleted(ctx, run, listenOutput(listen))];
  const head = listen.queue?.[0];
  if (head === undefined) return [];
  try {
    const verdict = judge(ctx, taskAt(ctx.document, run.path), run, listen, head, args);
    const variables =
      verdict.item === undefined ? run.variables : itemVariables(ctx, run, verdict.item.index, verdict.item.input);
    return [moveOn(ctx, run, { kind: 'listen-event', ...verdict }, variables, ctx.state.context)];
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), ctx.state.context)];
  }
}

/**
 * `foreach` finished with one consumed event: `foreach.output.as` gives the item's output,
 * `foreach.export.as` the new `$context`, and the listen ends if its strategy or `until` says so.
 */
export function listenItemDone(ctx: StepContext, run: TaskRun, carry: Carry): EventDraft[] {
  const entry = taskAt(ctx.document, run.path);
  const iterator = foreachOf(entry)?.definition;
  const listen = run.listen;
  if (iterator === undefined || listen === undefined) return [taskCompleted(ctx, run, carry.output, carry.context)];
  const args: ExpressionArguments = {
    ...workflowArguments(ctx, carry.context),
    input: run.input,
    task: taskDescriptor(entry, run.input, run),
    ...(run.variables !== undefined && { variables: run.variables }),
  };
  try {
    const as = iterator.output?.as;
    const output = as === undefined ? carry.output : evaluateField(ctx.evaluator, as, carry.output, args);
    validated(iterator.output?.schema, output, 'output', undefined, ctx.state.resources);
    const exported = iterator.export?.as;
    const context =
      exported === undefined
        ? carry.context
        : exportedContext(evaluateField(ctx.evaluator, exported, output, { ...args, output, context: carry.context }));
    if (context !== carry.context) {
      validated(iterator.export?.schema, context, 'context', undefined, ctx.state.resources);
    }
    const outputs = [...(listen.outputs ?? []), output];
    const ended = ends(ctx, entry, listen, listen.received, outputs, { ...args, context });
    return [moveOn(ctx, run, { kind: 'listen-item', output, ...(ended && { ended }) }, run.variables, context)];
  } catch (e) {
    return [taskFailed(ctx, run, run.attempt, faultOf(e, run.path), carry.context)];
  }
}

/**
 * The verdict on `event`: an event of the `until` strategy ends the listen once that strategy is
 * satisfied and is not output; an event of `listen.to` is consumed (and starts `foreach`, or may
 * end the listen); an event whose filters' correlations do not hold is not consumed at all.
 */
function judge(
  ctx: StepContext,
  entry: TaskEntry,
  run: TaskRun,
  listen: ListenPosition,
  head: ReceivedEvent,
  args: ExpressionArguments,
): ListenVerdict {
  const { to } = listenDefinition(entry).listen;
  const [, raw] = strategyOf(to);
  const event = head.event;
  const correlation: JsonObject = { ...listen.correlation };
  const until = listen.until;
  if (until !== undefined) {
    const rawUntil = untilStrategyOf(to, listen.mode)?.[1] ?? [];
    const filters = correlated(
      ctx,
      matchingFilters(until.filters, event, ctx.evaluator),
      rawUntil,
      event,
      run,
      correlation,
      args,
    );
    if (filters.length > 0) {
      const untilReceived = [...(listen.untilReceived ?? []), { ...head, filters }];
      const ended = strategySatisfied(until.mode, until.filters.length, untilReceived);
      return { key: head.key, consumed: 'until', filters, correlation, ...(ended && { ended }) };
    }
  }
  const filters = correlated(
    ctx,
    matchingFilters(listen.filters ?? [], event, ctx.evaluator),
    raw,
    event,
    run,
    correlation,
    args,
  );
  if (filters.length === 0) return { key: head.key, consumed: 'none', filters };
  const received = [...listen.received, { ...head, filters }];
  if (foreachOf(entry) !== undefined) {
    const item = { index: listen.received.length, input: readEvent(event, listen.read) };
    return { key: head.key, consumed: 'event', filters, correlation, item };
  }
  const ended = ends(ctx, entry, listen, received, undefined, args);
  return { key: head.key, consumed: 'event', filters, correlation, ...(ended && { ended }) };
}

/**
 * The matched filters whose correlations hold: each key's value, extracted by `from` from the
 * event, must equal `expect` (a constant, or an expression on the task input) or, without it, the
 * value the listen fixed for that key; the first consumed event fixes them. `correlation` is
 * updated in place with the values of the filters that held.
 */
function correlated(
  ctx: StepContext,
  matched: readonly number[],
  raw: readonly FilterDefinition[],
  event: CloudEvent,
  run: TaskRun,
  correlation: JsonObject,
  args: ExpressionArguments,
): number[] {
  // An empty filter list (`any: []`) matches as filter 0, which has no correlations.
  return matched.filter((index) => {
    const correlate = raw[index]?.correlate;
    if (correlate === undefined) return true;
    const values: JsonObject = {};
    for (const [key, { from, expect }] of Object.entries(correlate)) {
      const value = evaluateField(ctx.evaluator, from, event as unknown as JsonObject, args);
      const expected =
        expect === undefined
          ? correlation[key]
          : isRuntimeExpression(expect)
            ? evaluateField(ctx.evaluator, expect, run.input, args)
            : expect;
      if (expected !== undefined && !sameValue(value, expected)) return false;
      values[key] = value;
    }
    Object.assign(correlation, values);
    return true;
  });
}

/** JSON equality; a constant `expect` (a string in the schema) also equals a number or boolean it spells. */
function sameValue(value: JsonValue, expected: JsonValue): boolean {
  if (typeof expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return String(value) === expected;
  }
  return JSON.stringify(value) === JSON.stringify(expected);
}

/**
 * Whether the listen stops after consuming an event: `one` at once, `all` once every filter has
 * an event, `any` at once unless `until` says otherwise. An `until` condition sees the output so
 * far (the consumed events as read, or the `foreach` outputs); an `until` strategy ends it itself.
 */
function ends(
  ctx: StepContext,
  entry: TaskEntry,
  listen: ListenPosition,
  received: readonly ReceivedEvent[],
  outputs: readonly JsonValue[] | undefined,
  args: ExpressionArguments,
): boolean {
  if (listen.mode !== 'any') return strategySatisfied(listen.mode, listen.filterCount, received);
  const until = listenDefinition(entry).listen.to.until;
  if (until === undefined) return true;
  if (typeof until !== 'string') return false;
  const soFar = outputs ?? received.map((r) => readEvent(r.event, listen.read));
  return evaluateCondition(ctx.evaluator, until, [...soFar], args);
}

function itemVariables(ctx: StepContext, run: TaskRun, index: number, item: JsonValue): JsonObject {
  const iterator = foreachOf(taskAt(ctx.document, run.path))?.definition;
  return { ...run.variables, [iterator?.item ?? 'item']: item, [iterator?.at ?? 'index']: index };
}

/** A task.started of the running listen: it moves on inside itself (see `BodyProgress`). */
function moveOn(
  ctx: StepContext,
  run: TaskRun,
  body: BodyProgress,
  variables: JsonObject | undefined,
  context: JsonObject,
): EventDraft {
  return draft('io.wormhole.task.started', {
    ...taskRef(run),
    attempt: run.attempt,
    input: run.input,
    ...(variables !== undefined && { variables }),
    body,
    ...contextChange(ctx, context),
  });
}
