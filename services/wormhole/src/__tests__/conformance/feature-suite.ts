/*
 * Turns conformance scenarios into jest tests against an in-process Wormhole (every role, the
 * all-in-one entry) on each installation given, with the public services stubbed locally.
 */
import type { BackendSetup } from '../engine-harness';
import { Api, EngineUnderTest } from '../engine-harness';
import type { Scenario } from './feature-files';
import type { PublicStubs } from './public-stubs';
import { startPublicStubs } from './public-stubs';
import { runScenario, undefinedSteps } from './steps';

const BOOT_TIMEOUT_MS = 120_000;

export interface FeatureSuiteOptions {
  /** Scenarios known not to pass yet, by `file: name`, with the reason. Each must still fail. */
  readonly expectedFailures?: Readonly<Record<string, string>>;
}

export function scenarioId(s: Scenario): string {
  return `${s.file}: ${s.name}`;
}

/** Installations the conformance suites run on: embedded always, Postgres + Redis Streams when reachable. */
export function conformanceSetups(all: readonly BackendSetup[]): BackendSetup[] {
  return all.filter((s) => s.name.startsWith('embedded') || s.name.startsWith('postgres'));
}

export function describeFeatures(
  title: string,
  scenarios: readonly Scenario[],
  setups: readonly BackendSetup[],
  options: FeatureSuiteOptions = {},
): void {
  const expectedFailures = options.expectedFailures ?? {};

  describe(title, () => {
    it('has a step definition for every step the features use', () => {
      expect(undefinedSteps(scenarios)).toEqual([]);
    });

    it('lists no expected failure that is not a scenario', () => {
      const ids = new Set(scenarios.map(scenarioId));
      expect(Object.keys(expectedFailures).filter((id) => !ids.has(id))).toEqual([]);
    });

    describe.each(setups.map((setup) => ({ name: setup.name, setup })))('on $name', ({ setup }) => {
      let engine: EngineUnderTest;
      let stubs: PublicStubs;
      const passed: string[] = [];

      // Booting an installation (PGlite's WebAssembly, migrations) takes far longer on a loaded machine.
      beforeAll(async () => {
        stubs = await startPublicStubs();
        engine = await EngineUnderTest.start(setup);
      }, BOOT_TIMEOUT_MS);
      afterAll(async () => {
        console.log(`${title} on ${setup.name}: ${passed.length}/${scenarios.length} scenarios pass`);
        await engine?.stop();
        await stubs?.close();
      });

      scenarios.forEach((scenario, n) => {
        const id = scenarioId(scenario);
        const run = async (): Promise<void> => {
          const api = new Api(engine.api.base, `conformance-${n}`);
          await runScenario(scenario, { api, origins: stubs.origins });
          passed.push(id);
        };
        const reason = expectedFailures[id];
        if (reason === undefined) {
          it(id, run);
        } else {
          // A scenario that starts passing must leave the list, so the list stays true.
          it(`${id} still fails (${reason})`, async () => {
            await expect(run()).rejects.toThrow();
          });
        }
      });
    });
  });
}
