import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNSUPPORTED } from './jq-suite.unsupported';
import { caseId, runCase } from './jq-suite-runner';
import type { JqTestCase } from './jq-test-format';
import { parseJqTests } from './jq-test-format';

/**
 * jq's own test suite, run against this engine. The suite is not in this repository (it is jq's
 * content): produce it with
 *   git --git-dir=<jq mirror> archive HEAD tests | tar -x -C /tmp/jq-tests
 * and run with JQ_TESTS_DIR=/tmp/jq-tests/tests. Without the variable the suite is skipped.
 */
const dir = process.env.JQ_TESTS_DIR;
const FILES = ['jq.test', 'onig.test', 'base64.test', 'man.test', 'manonig.test', 'optional.test', 'uri.test'];

function load(root: string): JqTestCase[] {
  const present = new Set(readdirSync(root));
  return FILES.filter((f) => present.has(f)).flatMap((f) => parseJqTests(f, readFileSync(join(root, f), 'utf8')));
}

if (dir === undefined || dir === '') {
  describe('jq test suite', () => {
    it.skip('needs JQ_TESTS_DIR (see shared/jq/README.md)', () => undefined);
  });
  console.log(
    'jq test suite skipped: set JQ_TESTS_DIR to the tests/ directory of a jq checkout (see shared/jq/README.md)',
  );
} else {
  const cases = load(dir);
  const results = cases.map((c) => ({ c, id: caseId(c), result: runCase(c) }));

  describe('jq test suite', () => {
    afterAll(() => {
      const unsupported = results.filter((r) => UNSUPPORTED[r.id] !== undefined).length;
      const passed = results.filter((r) => r.result.ok).length;
      console.log(
        `jq test suite: ${passed} of ${results.length} pass, ${unsupported} listed as unsupported with reasons`,
      );
    });

    it('finds the suite files', () => {
      expect(cases.length).toBeGreaterThan(500);
    });

    for (const { c, id, result } of results) {
      const reason = UNSUPPORTED[id];
      if (reason !== undefined) {
        // An unsupported case that starts passing must leave the list, so the list stays true.
        it(`${id} is still unsupported (${reason})`, () => {
          expect(result.ok).toBe(false);
        });
      } else {
        it(`${id} ${c.program.slice(0, 60)}`, () => {
          if (!result.ok) throw new Error(`${c.program}\ninput ${c.input}\n${result.detail}`);
        });
      }
    }
  });
}
