// docs/spec-examples.md lists every spec example and what the examples test does with it; keep it
// equal to the test's own lists.
import { EXAMPLE_RUNS, EXAMPLES_NOT_RUN } from '../services/wormhole/src/__tests__/conformance/spec-example-runs';
import { readText } from './deploy-files';

describe('docs/spec-examples.md', () => {
  it('has one row per example, saying whether it runs (and how it ends) or why not', () => {
    const rows = [...readText('docs/spec-examples.md').matchAll(/^\| `([^`]+)`\s*\| ([^|]+)\|([^|]*)\|$/gm)].map(
      (m) => ({ example: m[1]!, test: m[2]!.trim(), why: m[3]!.trim() }),
    );
    const expected = [...Object.keys(EXAMPLE_RUNS), ...Object.keys(EXAMPLES_NOT_RUN)].sort().map((example) => {
      const run = EXAMPLE_RUNS[example];
      return run
        ? { example, test: `runs: ${run.status}`, why: '' }
        : { example, test: 'accepted, not run', why: EXAMPLES_NOT_RUN[example]! };
    });
    expect(expected.length).toBeGreaterThan(60);
    expect(rows).toEqual(expected);
  });
});
