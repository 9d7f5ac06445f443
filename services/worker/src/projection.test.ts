import type { EngineEventPayloads, EngineEventType, StoredEngineEvent } from '@wormhole/interfaces';
import { engineEvent } from '@wormhole/interfaces';
import { project, stepRunId } from './projection';

const subject = { tenantid: 'acme', workflowid: 'wf_1', executionid: 'ex_1' };
const at = (second: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
let sequence = 0;
const ev = <K extends EngineEventType>(type: K, second: number, data: EngineEventPayloads[K]): StoredEngineEvent => ({
  ...engineEvent(type, 'test', subject, data, { time: at(second) }),
  sequence: ++sequence,
});
const task = { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call' };
const base = { tenantId: 'acme', executionId: 'ex_1', startedAt: at(0).toISOString() };

describe('project', () => {
  it('follows a run from start through a called task to completion', () => {
    const requested = ev('io.wormhole.task.requested', 1, {
      ...task,
      input: { a: 1 },
      attempt: 1,
      task: { call: 'http' },
    });
    const first = project(
      base,
      [ev('io.wormhole.execution.started', 0, { input: { a: 1 }, workflow_version: 1 }), requested],
      {},
    );
    expect(first.patch).toEqual({ status: 'running', current_task: '/do/0/fetch' });
    expect(first.steps).toEqual([
      {
        id: stepRunId('ex_1', '/do/0/fetch', 1, requested),
        tenant_id: 'acme',
        execution_id: 'ex_1',
        task_name: 'fetch',
        task_path: '/do/0/fetch',
        task_type: 'call',
        status: 'running',
        attempt: 1,
        input: { a: 1 },
        started_at: at(1).toISOString(),
      },
    ]);
    const second = project(
      base,
      [
        ev('io.wormhole.task.completed', 3, { ...task, attempt: 1, output: { ok: true } }),
        ev('io.wormhole.execution.completed', 4, { output: { ok: true } }),
      ],
      first.open,
    );
    expect(second.patch).toEqual({
      status: 'completed',
      output: { ok: true },
      completed_at: at(4).toISOString(),
      duration_ms: 4000,
    });
    expect(second.steps).toEqual([
      {
        ...first.steps[0],
        status: 'completed',
        output: { ok: true },
        completed_at: at(3).toISOString(),
        duration_ms: 2000,
      },
    ]);
    expect(second.open).toEqual({});
    expect(second.logs.map((l) => [l.level, l.message])).toEqual([
      ['info', 'task fetch completed'],
      ['info', 'execution completed'],
    ]);
    expect(second.logs[0]).toMatchObject({
      tenant_id: 'acme',
      execution_id: 'ex_1',
      task: '/do/0/fetch',
      step_run_id: first.steps[0]!.id,
    });
  });

  it('gives a task run again (a loop) a step run of its own', () => {
    const run = (second: number) => [
      ev('io.wormhole.task.started', second, { ...task, attempt: 1 }),
      ev('io.wormhole.task.completed', second + 1, { ...task, attempt: 1, output: second }),
    ];
    const result = project(base, [...run(1), ...run(3)], {});
    expect(result.steps).toHaveLength(2);
    expect(new Set(result.steps.map((s) => s.id)).size).toBe(2);
    expect(result.steps.map((s) => s.output)).toEqual([1, 3]);
  });

  it('records each retry as its own attempt', () => {
    const result = project(
      base,
      [
        ev('io.wormhole.task.requested', 1, { ...task, input: null, attempt: 1, task: {} }),
        ev('io.wormhole.task.retrying', 2, { ...task, attempt: 1, delay_ms: 100 }),
        ev('io.wormhole.task.failed', 3, {
          ...task,
          attempt: 2,
          retryable: true,
          error: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 503 },
        }),
      ],
      {},
    );
    expect(result.steps.map((s) => [s.attempt, s.status])).toEqual([
      [1, 'faulted'],
      [2, 'faulted'],
    ]);
    expect(result.steps[1]!.error).toMatchObject({ status: 503 });
    expect(result.open).toEqual({});
  });

  it('shows a try retried by its catch as a new attempt of the try and of the tasks inside it', () => {
    const attempt = { task_path: '/do/0/guard', task_name: 'guard', task_type: 'try' };
    const inner = { task_path: '/do/0/guard/try/0/fetch', task_name: 'fetch', task_type: 'call' };
    const error = { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 503 };
    // The events the DSL runtime writes for one failed attempt and the start of the next.
    const result = project(
      base,
      [
        ev('io.wormhole.task.started', 1, { ...attempt, attempt: 1 }),
        ev('io.wormhole.task.started', 1, { ...inner, attempt: 1 }),
        ev('io.wormhole.task.failed', 2, { ...inner, attempt: 1, error, retryable: true }),
        ev('io.wormhole.task.retrying', 2, { ...attempt, attempt: 1, delay_ms: 3000, error }),
        ev('io.wormhole.timer.scheduled', 2, {
          ...attempt,
          timer_id: 't1',
          due_at: at(5).toISOString(),
          kind: 'retry',
        }),
        ev('io.wormhole.timer.fired', 5, { ...attempt, timer_id: 't1' }),
        ev('io.wormhole.task.started', 5, { ...attempt, attempt: 2 }),
        ev('io.wormhole.task.started', 5, { ...inner, attempt: 2 }),
      ],
      {},
    );
    expect(result.steps.map((s) => [s.task_name, s.attempt, s.status, s.error?.status])).toEqual([
      ['guard', 1, 'faulted', 503],
      ['fetch', 1, 'faulted', 503],
      ['guard', 2, 'running', undefined],
      ['fetch', 2, 'running', undefined],
    ]);
    expect(result.patch.status).toBe('running');
  });

  it('ends as cancelled the steps still open inside a task that ends, and any left when the run ends', () => {
    const fork = { task_path: '/do/0/race', task_name: 'race', task_type: 'fork' };
    const branch = (name: string) => ({
      task_path: `/do/0/race/fork/branches/0/${name}`,
      task_name: name,
      task_type: 'call',
    });
    const timeout = { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout', status: 408 };
    const result = project(
      base,
      [
        ev('io.wormhole.task.started', 1, { ...fork, attempt: 1 }),
        ev('io.wormhole.task.started', 1, { ...branch('fast'), attempt: 1 }),
        ev('io.wormhole.task.started', 1, { ...branch('slow'), attempt: 1 }),
        ev('io.wormhole.task.started', 1, { ...task, task_path: '/do/1/other', attempt: 1 }),
        ev('io.wormhole.task.completed', 2, { ...branch('fast'), attempt: 1, output: 1 }),
        // compete: the fork completes with the winner; the loser is dropped.
        ev('io.wormhole.task.completed', 2, { ...fork, attempt: 1, output: 1 }),
        ev('io.wormhole.execution.faulted', 3, { error: { ...timeout, instance: '/timeout' } }),
      ],
      {},
    );
    expect(result.steps.map((s) => [s.task_name, s.status])).toEqual([
      ['race', 'completed'],
      ['fast', 'completed'],
      ['slow', 'cancelled'],
      ['fetch', 'cancelled'],
    ]);
    // The loser ends with its fork, the other open step with the run.
    expect(result.steps.map((s) => s.completed_at)).toEqual([at(2), at(2), at(2), at(3)].map((d) => d.toISOString()));
    expect(result.open).toEqual({});
  });

  it('does not count a timeout’s timer as waiting, nor as a step', () => {
    const result = project(
      base,
      [
        ev('io.wormhole.task.requested', 1, { ...task, input: null, attempt: 1, task: {} }),
        ev('io.wormhole.timer.scheduled', 1, {
          ...task,
          timer_id: 't2',
          due_at: at(30).toISOString(),
          kind: 'timeout',
        }),
      ],
      {},
    );
    expect(result.patch.status).toBeUndefined();
    expect(result.steps.map((s) => [s.task_name, s.status])).toEqual([['fetch', 'running']]);
    expect(result.logs.at(-1)).toMatchObject({ level: 'debug', message: `times out at ${at(30).toISOString()}` });
  });

  it('marks a waiting run and cancels open steps when the run is cancelled', () => {
    const waiting = project(
      base,
      [
        ev('io.wormhole.timer.scheduled', 1, {
          ...task,
          task_type: 'wait',
          timer_id: 't1',
          due_at: at(60).toISOString(),
        }),
      ],
      {},
    );
    expect(waiting.patch.status).toBe('waiting');
    const cancelled = project(base, [ev('io.wormhole.execution.cancelled', 5, { reason: 'user' })], waiting.open);
    expect(cancelled.patch).toMatchObject({ status: 'cancelled', duration_ms: 5000 });
    expect(cancelled.steps).toEqual([expect.objectContaining({ status: 'cancelled', task_path: '/do/0/fetch' })]);
    expect(cancelled.logs[0]).toMatchObject({ level: 'warn', message: 'execution cancelled: user' });
  });

  it('keeps the DSL error of a faulted run', () => {
    const error = { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', status: 500, title: 'Boom' };
    const result = project(base, [ev('io.wormhole.execution.faulted', 2, { error })], {});
    expect(result.patch).toMatchObject({ status: 'faulted', error });
    expect(result.logs[0]).toMatchObject({ level: 'error', message: 'execution faulted: Boom' });
  });

  it('opens again the step of a task extended with after lists, which completes with their output', () => {
    const extended = { task_path: '/do/0/greet', task_name: 'greet', task_type: 'set' };
    const note = { task_path: '/do/0/greet/@extension/0/after/0/note', task_name: 'note', task_type: 'set' };
    const started = ev('io.wormhole.task.started', 1, { ...extended, attempt: 1, input: {} });
    // What the runtime writes when the task moves to its `after` lists (`body` is one of its extras).
    const toAfter = {
      ...extended,
      attempt: 1,
      input: {},
      body: { kind: 'extension', stage: 'after', at: 0, input: 1 },
    };
    const result = project(
      base,
      [
        started,
        ev('io.wormhole.task.completed', 2, { ...extended, attempt: 1, output: 1 }),
        ev('io.wormhole.task.started', 2, toAfter),
        ev('io.wormhole.task.started', 2, { ...note, attempt: 1, input: 1 }),
        ev('io.wormhole.task.completed', 3, { ...note, attempt: 1, output: 2 }),
        ev('io.wormhole.task.completed', 4, { ...extended, attempt: 1, output: 2 }),
      ],
      {},
    );
    expect(result.steps.map((step) => [step.task_name, step.status, step.output, step.duration_ms])).toEqual([
      ['greet', 'completed', 2, 3000],
      ['note', 'completed', 2, 1000],
    ]);
    expect(result.steps[0]!.id).toBe(stepRunId('ex_1', '/do/0/greet', 1, started));
    expect(result.open).toEqual({});
  });
});
