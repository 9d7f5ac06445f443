import { createHash } from 'node:crypto';
import type { Specification } from '@serverlessworkflow/sdk';
import type { JsonValue } from '@wormhole/interfaces';
import type { WorkflowDocument } from './document';
import { durationToMs } from './duration';
import { configurationFault } from './errors';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import { evaluateCondition, evaluateValue } from './expressions';
import type { TaskRun } from './state';

/*
 * Retry policies (dsl-reference.md, "Retry"). The spec leaves the arithmetic open; this runtime's
 * reading, also in HOW_IT_WORKS.md:
 * - retry n (n = 1 for the first retry) waits `delay` (constant, the default), `delay × n`
 *   (linear) or `delay × 2^(n-1)` (exponential), plus a jitter drawn from [from, to];
 * - `limit.attempt.count` is the number of retries (the spec's "retrying 5 times" has count 5);
 * - `limit.attempt.duration` bounds one attempt: an attempt that failed later than that after it
 *   started is not retried;
 * - `limit.duration` bounds the whole: no retry starts later than that after the first attempt.
 */

/** What a retry decision depends on besides the policy. */
export interface RetryContext {
  readonly document: WorkflowDocument;
  readonly evaluator: ExpressionEvaluator;
  readonly now: Date;
  /** Seeds the jitter, so that deciding again gives the same delay. */
  readonly executionId: string;
}

/** The policy of a `catch.retry`: inline or the name of one in `use.retries`. */
export function retryPolicy(
  document: WorkflowDocument,
  retry: Specification.TryTaskCatchRetry | undefined,
): Specification.RetryPolicy | undefined {
  if (retry === undefined) return undefined;
  if (typeof retry !== 'string') return retry;
  const named = document.use?.retries?.[retry];
  if (named === undefined) throw configurationFault(`no retry policy named '${retry}' in use.retries`);
  return named;
}

/**
 * Milliseconds to wait before running `run` (a `try` whose attempt just failed) again, or
 * undefined when the policy does not retry: its `when`/`exceptWhen` say no, or a limit is reached.
 * @throws DslFault for a bad duration or a failing expression
 */
export function retryDelay(
  ctx: RetryContext,
  run: TaskRun,
  policy: Specification.RetryPolicy,
  input: JsonValue,
  args: ExpressionArguments,
): number | undefined {
  if (policy.when !== undefined && !evaluateCondition(ctx.evaluator, policy.when, input, args)) return undefined;
  if (policy.exceptWhen !== undefined && evaluateCondition(ctx.evaluator, policy.exceptWhen, input, args)) {
    return undefined;
  }
  const ms = (duration: unknown): number => durationToMs(evaluateValue(ctx.evaluator, duration, input, args));
  const retryNumber = run.attempt;
  const { limit } = policy;
  if (limit?.attempt?.count !== undefined && retryNumber > limit.attempt.count) return undefined;
  const now = ctx.now.getTime();
  if (limit?.attempt?.duration !== undefined && now - Date.parse(run.startedAt) > ms(limit.attempt.duration)) {
    return undefined;
  }
  const base = policy.delay === undefined ? 0 : ms(policy.delay);
  const jitter =
    policy.jitter === undefined ? 0 : jitterMs(ms(policy.jitter.from), ms(policy.jitter.to), seed(ctx, run));
  const delay = Math.round(base * backoffFactor(policy.backoff, retryNumber) + jitter);
  const firstStart = Date.parse(run.firstStartedAt ?? run.startedAt);
  if (limit?.duration !== undefined && now + delay - firstStart > ms(limit.duration)) return undefined;
  return delay;
}

/** How many times the base delay retry `n` waits. */
export function backoffFactor(backoff: Specification.RetryBackoff | undefined, n: number): number {
  if (backoff === undefined || 'constant' in backoff) return 1;
  if ('linear' in backoff) return n;
  return 2 ** (n - 1);
}

/** A point of [from, to] chosen by `unit` (in [0, 1)). */
export function jitterMs(from: number, to: number, unit: number): number {
  const low = Math.min(from, to);
  return low + (Math.max(from, to) - low) * unit;
}

/**
 * A number in [0, 1) derived from the execution, the task and the attempt: random enough to
 * spread retries of many executions, and the same each time this decision is made.
 */
function seed(ctx: RetryContext, run: TaskRun): number {
  const digest = createHash('sha256').update(`${ctx.executionId}\n${run.path}\n${run.attempt}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
