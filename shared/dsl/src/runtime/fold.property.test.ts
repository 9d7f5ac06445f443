import fc from 'fast-check';
import type { EngineEvent } from '@wormhole/interfaces';
import type { ExpressionEvaluator } from './expressions';
import { applyEvents } from './fold';
import { initialState } from './state';
import { Run, external, jq, started, workflow } from './__tests__/harness';

const DOCUMENT = workflow(`
document: { dsl: '1.0.0', namespace: test, name: property, version: '1.0.0' }
do:
  - classify:
      switch:
        - big:
            when: '.n > 50'
            then: fetch
        - small:
            then: prepare
  - prepare:
      do:
        - double:
            set: '\${ { n: (.n * 2) } }'
            export:
              as: '\${ $context + { doubled: .n } }'
        - pause:
            wait: PT5S
  - fetch:
      call: http
      with:
        method: get
        endpoint: '\${ "https://example.com/" + (.n | tostring) }'
      output:
        as: '\${ { fetched: . } }'
`);

/** What the outside world does at each point where the execution waits. */
interface Script {
  readonly n: number;
  readonly callSucceeds: boolean;
  readonly cancelAt: number;
}

const script: fc.Arbitrary<Script> = fc.record({
  n: fc.integer({ min: 0, max: 100 }),
  callSucceeds: fc.boolean(),
  cancelAt: fc.integer({ min: 0, max: 6 }),
});

/** Runs the document as the worker would, answering the executor's and the timer loop's part. */
function execute(evaluator: ExpressionEvaluator, { n, callSucceeds, cancelAt }: Script): Run {
  const r = new Run(DOCUMENT, evaluator);
  r.receive(started({ n }));
  for (let turn = 0; turn < 6 && (r.state.status === 'running' || r.state.status === 'waiting'); turn++) {
    if (turn === cancelAt) {
      r.receive(external('io.wormhole.execution.cancelled', { reason: 'property' }));
      break;
    }
    const leaf = r.state.tasks[r.state.tasks.length - 1];
    if (leaf?.phase === 'waiting' && leaf.timerId !== undefined) {
      r.receive(
        external('io.wormhole.timer.fired', {
          task_path: leaf.path,
          task_name: leaf.name,
          task_type: 'wait',
          timer_id: leaf.timerId,
        }),
      );
    } else if (leaf?.phase === 'requested') {
      const ref = { task_path: leaf.path, task_name: leaf.name, task_type: leaf.type };
      r.receive(
        callSucceeds
          ? external('io.wormhole.task.completed', { ...ref, attempt: 1, output: { status: 'ok' } })
          : external('io.wormhole.task.failed', {
              ...ref,
              attempt: 1,
              error: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 503 },
              retryable: false,
            }),
      );
    }
  }
  return r;
}

/** The history with redeliveries: copies of earlier events inserted after their originals. */
function withDuplicates(history: readonly EngineEvent[], picks: readonly [number, number][]): EngineEvent[] {
  const result = [...history];
  for (const [which, offset] of picks) {
    const index = which % history.length;
    const event = history[index]!;
    const at = Math.min(result.length, result.indexOf(event) + 1 + offset);
    result.splice(at, 0, { ...event });
  }
  return result;
}

describe('fold properties', () => {
  let evaluator: ExpressionEvaluator;
  beforeAll(async () => {
    evaluator = await jq();
  });

  it('replaying a history gives the state the decider reached', () => {
    fc.assert(
      fc.property(script, (s) => {
        const r = execute(evaluator, s);
        expect(applyEvents(initialState(), r.history)).toEqual(r.state);
      }),
      { numRuns: 60 },
    );
  });

  it('folding the same history twice, or with redelivered duplicates, gives the same state', () => {
    const picks = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 })), { maxLength: 12 });
    fc.assert(
      fc.property(script, picks, (s, p) => {
        const { history } = execute(evaluator, s);
        const once = applyEvents(initialState(), history);
        expect(applyEvents(once, history)).toEqual(once);
        expect(applyEvents(initialState(), withDuplicates(history, p))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });

  it('a decision folded in leaves nothing more to decide until the outside world answers', () => {
    fc.assert(
      fc.property(script, (s) => {
        const r = execute(evaluator, s);
        expect(r.decide().events).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
