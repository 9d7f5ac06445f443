import fc from 'fast-check';
import type { EngineEvent } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { initialState, pendingWork } from './state';
import { Run, external, jq, started, workflow } from './__tests__/harness';

// Every new construct at once: a loop of retried calls, a fork of a call and a wait, timeouts.
const COMPOSITES = `
document: { dsl: '1.0.0', namespace: test, name: composites, version: '1.0.0' }
timeout:
  after: PT1H
do:
  - each:
      for:
        in: .ids
        each: id
      do:
        - guarded:
            try:
              - fetch:
                  call: http
                  with:
                    method: get
                    endpoint: '\${ "https://example.com/" + ($id | tostring) }'
                  timeout:
                    after: PT10S
            catch:
              errors:
                with:
                  status: 503
              retry:
                delay: PT1S
                backoff:
                  exponential: {}
                limit:
                  attempt:
                    count: 2
              do:
                - fallback:
                    set: { fallback: true }
  - both:
      fork:
        compete: false
        branches:
          - ask:
              call: http
              with:
                method: get
                endpoint: https://example.com/ask
          - pause:
              wait: PT5S
`;

// The same, every call preceded by another call and every task followed by a set (extensions).
const EXTENDED = `${COMPOSITES}
use:
  extensions:
    - audit:
        extend: call
        before:
          - log:
              call: http
              with:
                method: post
                endpoint: https://example.com/log
    - everything:
        extend: all
        after:
          - note:
              set: '\${ . }'
`;

const DOCUMENTS = [
  { name: 'for, try/retry, fork and timeouts', document: workflow(COMPOSITES), turns: 40 },
  // Every call is two executor tasks, so the world needs more turns to see the end.
  { name: 'the same under use.extensions', document: workflow(EXTENDED), turns: 80 },
];

/** How the outside world answers, one choice per turn. */
const answers = fc.record({
  ids: fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }),
  choices: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }),
  cancelAt: fc.integer({ min: 0, max: 40 }),
});

type Answers = typeof answers extends fc.Arbitrary<infer T> ? T : never;

const FAILURE = { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 503 };

/** Runs the document as the worker would; each turn answers one awaited task or timer. */
function execute(
  evaluator: ExpressionEvaluator,
  { document, turns }: (typeof DOCUMENTS)[number],
  { ids, choices, cancelAt }: Answers,
): Run {
  const r = new Run(document, evaluator);
  r.receive(started({ ids }));
  for (let turn = 0; turn < turns && (r.state.status === 'running' || r.state.status === 'waiting'); turn++) {
    if (turn === cancelAt) {
      r.receive(external('io.wormhole.execution.cancelled', { reason: 'property' }));
      break;
    }
    const choice = choices[turn % choices.length] ?? 0;
    const pending = pendingWork(r.state);
    const task = pending.tasks[choice % Math.max(1, pending.tasks.length)];
    const timer = pending.timers[choice % Math.max(1, pending.timers.length)];
    if (task !== undefined && (choice < 3 || timer === undefined)) {
      const run = r.state.tasks.find((candidate) => candidate.path === task.path)!;
      const ref = { task_path: run.path, task_name: run.name, task_type: run.type };
      r.receive(
        choice <= 1
          ? external('io.wormhole.task.failed', { ...ref, attempt: run.attempt, error: FAILURE, retryable: true })
          : external('io.wormhole.task.completed', { ...ref, attempt: run.attempt, output: { got: run.path } }),
      );
    } else if (timer !== undefined) {
      r.receive(
        external('io.wormhole.timer.fired', {
          task_path: timer.path,
          task_name: 't',
          task_type: 'wait',
          timer_id: timer.timerId,
        }),
      );
    }
  }
  return r;
}

function withDuplicates(history: readonly EngineEvent[], picks: readonly [number, number][]): EngineEvent[] {
  const result = [...history];
  for (const [which, offset] of picks) {
    const event = history[which % history.length]!;
    const at = Math.min(result.length, result.indexOf(event) + 1 + offset);
    result.splice(at, 0, { ...event });
  }
  return result;
}

describe.each(DOCUMENTS)('fold properties with $name', (subject) => {
  let evaluator: ExpressionEvaluator;
  beforeAll(async () => {
    evaluator = await jq();
  });

  it('replaying the history gives the decided state; duplicates change nothing; nothing is left to decide', () => {
    const picks = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 })), { maxLength: 12 });
    fc.assert(
      fc.property(answers, picks, (a, p) => {
        const r = execute(evaluator, subject, a);
        const replayed = applyEvents(initialState(), r.history);
        expect(replayed).toEqual(r.state);
        expect(applyEvents(replayed, r.history)).toEqual(replayed);
        expect(applyEvents(initialState(), withDuplicates(r.history, p))).toEqual(replayed);
        expect(r.decide().events).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('always reaches an end when the world keeps answering', () => {
    fc.assert(
      fc.property(answers, (a) => {
        const r = execute(evaluator, subject, { ...a, cancelAt: 99 });
        expect(['completed', 'faulted']).toContain(r.state.status);
      }),
      { numRuns: 40 },
    );
  });
});
