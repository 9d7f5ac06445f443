/*
 * Wormhole's own conformance features (test/conformance/features, written for this project),
 * run through the same runner as the spec's CTK so conformance is checked on every run, with or
 * without the CTK's data. Scenarios tagged @unsupported pin the error a user gets.
 */
import { resolve } from 'node:path';
import { everySetup } from './__tests__/engine-harness';
import { loadFeatures } from './__tests__/conformance/feature-files';
import { conformanceSetups, describeFeatures } from './__tests__/conformance/feature-suite';

const scenarios = loadFeatures(resolve(__dirname, '../../../test/conformance/features'));

describe('Wormhole conformance features', () => {
  it('finds the features', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });
});

describeFeatures('Wormhole conformance features', scenarios, conformanceSetups(everySetup()));
