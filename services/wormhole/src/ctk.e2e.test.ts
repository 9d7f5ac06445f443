/*
 * The Serverless Workflow conformance test kit (the spec repository's ctk/features), run against
 * Wormhole through its REST API. The features are the spec's content, not this repository's: CI
 * runs them when the steering places them at ../shared/ctk/features beside the repository, and a
 * developer points CTK_FEATURES_DIR at a copy, e.g.
 *   git --git-dir=<spec mirror> archive HEAD ctk | tar -x -C /tmp
 *   CTK_FEATURES_DIR=/tmp/ctk/features npx jest services/wormhole/src/ctk.e2e.test.ts
 * Without them the suite is skipped and says so.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { everySetup } from './__tests__/engine-harness';
import { CTK_EXPECTED_FAILURES } from './__tests__/conformance/ctk.expected-failures';
import { loadFeatures } from './__tests__/conformance/feature-files';
import { conformanceSetups, describeFeatures } from './__tests__/conformance/feature-suite';

const beside = resolve(__dirname, '../../../../shared/ctk/features');
const dir = process.env.CTK_FEATURES_DIR || (existsSync(beside) ? beside : undefined);

if (dir === undefined) {
  describe('Serverless Workflow CTK', () => {
    it.skip('needs CTK_FEATURES_DIR or ../shared/ctk/features (see README, Conformance)', () => undefined);
  });
  console.log(
    'Serverless Workflow CTK skipped: set CTK_FEATURES_DIR to the spec’s ctk/features (see README, Conformance)',
  );
} else {
  const scenarios = loadFeatures(dir);
  describe('Serverless Workflow CTK', () => {
    it('finds the features', () => {
      expect(scenarios.length).toBeGreaterThanOrEqual(21);
    });
  });
  describeFeatures('Serverless Workflow CTK', scenarios, conformanceSetups(everySetup()), {
    expectedFailures: CTK_EXPECTED_FAILURES,
  });
}
