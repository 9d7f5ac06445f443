/*
 * The spec repository's examples/ against Wormhole: every document must be accepted by
 * POST /workflows, and those that need no outside service run to the end (the petstore and
 * httpbin are answered by local stubs, see __tests__/conformance/public-stubs.ts). The examples
 * are the spec's content, not this repository's: CI runs them when the steering places them at
 * ../shared/spec/examples, a developer points SPEC_EXAMPLES_DIR at a copy, e.g.
 *   git --git-dir=<spec mirror> archive HEAD examples | tar -x -C /tmp/spec
 *   SPEC_EXAMPLES_DIR=/tmp/spec/examples npx jest services/wormhole/src/spec-examples.e2e.test.ts
 * Without them the suite is skipped and says so.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Api, EngineUnderTest, embedded } from './__tests__/engine-harness';
import { EXAMPLE_RUNS, EXAMPLES_NOT_RUN } from './__tests__/conformance/spec-example-runs';
import type { PublicStubs } from './__tests__/conformance/public-stubs';
import { rewritePublicUrls, startPublicStubs } from './__tests__/conformance/public-stubs';
import { publishAndAwait, untilListening } from './__tests__/conformance/event-delivery';

const beside = resolve(__dirname, '../../../../shared/spec/examples');
const dir = process.env.SPEC_EXAMPLES_DIR || (existsSync(beside) ? beside : undefined);

// The run: shell and run: script examples run too: an operator's choice, off by default.
const RUN_PROCESSES = { RUN_SHELL_ENABLED: 'true', RUN_SCRIPT_ENABLED: 'true' };
// The first test to run also boots the engine, which takes far longer on a loaded machine.
const BOOT_TIMEOUT_MS = 120_000;

if (dir === undefined) {
  describe('Serverless Workflow examples', () => {
    it.skip('needs SPEC_EXAMPLES_DIR or ../shared/spec/examples (see README, Conformance)', () => undefined);
  });
  console.log(
    'Serverless Workflow examples skipped: set SPEC_EXAMPLES_DIR to the spec’s examples (see README, Conformance)',
  );
} else {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  describe('Serverless Workflow examples', () => {
    // Started by the first test that needs it: jest starts concurrent tests before beforeAll ends.
    let started: Promise<{ engine: EngineUnderTest; stubs: PublicStubs }> | undefined;
    const ready = (): Promise<{ engine: EngineUnderTest; stubs: PublicStubs }> =>
      (started ??= (async () => {
        const stubs = await startPublicStubs();
        // `mySecret` of the authentication-*-secret examples: a whole oauth2/oidc policy.
        const mySecret = {
          authority: `${stubs.origins.get('http://keycloak')}/realms/fake-authority`,
          grant: 'client_credentials',
          client: { id: 'workflow-runtime-id', secret: 'workflow-runtime-secret' },
        };
        const secrets = { SECRETS_ENV_PREFIX: 'SPEC_SECRET_', SPEC_SECRET_mySecret: JSON.stringify(mySecret) };
        return { stubs, engine: await EngineUnderTest.start(embedded(), { ...RUN_PROCESSES, ...secrets }) };
      })());
    afterAll(async () => {
      const up = await started;
      await up?.engine.stop();
      await up?.stubs.close();
    });

    it('decides for every example whether it runs (a new example must be added to one list)', () => {
      const undecided = files.filter((f) => EXAMPLE_RUNS[f] === undefined && EXAMPLES_NOT_RUN[f] === undefined);
      const both = files.filter((f) => EXAMPLE_RUNS[f] !== undefined && EXAMPLES_NOT_RUN[f] !== undefined);
      expect({ undecided, both }).toEqual({ undecided: [], both: [] });
    });

    // Concurrently (each in its own tenant), so the two 30-second waits overlap.
    files.forEach((file, n) => {
      const run = EXAMPLE_RUNS[file];
      it.concurrent(
        `${file} is accepted${run ? ` and ${run.status}` : ''}`,
        async () => {
          const { engine, stubs } = await ready();
          // Each example in a tenant of its own: several share a document name and version.
          const api = new Api(engine.api.base, `example-${n}`);
          const text = rewritePublicUrls(readFileSync(join(dir, file), 'utf8'), stubs.origins);
          const response = await fetch(`${api.base}/api/v1/${api.tenant}/workflows`, {
            method: 'POST',
            headers: { 'content-type': 'application/yaml' },
            body: text,
          });
          const body = (await response.json()) as { id: string };
          if (response.status !== 201) throw new Error(`rejected: ${response.status} ${JSON.stringify(body, null, 2)}`);
          if (run === undefined) return;
          const id = await api.execute(body.id, run.input === undefined ? {} : { input: run.input });
          for (const event of run.events ?? []) {
            await untilListening(api, id);
            await publishAndAwait(api, id, event);
          }
          const done = await api.until(id, undefined, run.timeoutMs ?? 20_000);
          expect({ status: done.status, error: done.error }).toMatchObject({
            status: run.status,
            ...(run.error ? { error: run.error } : {}),
          });
          if (run.output !== undefined) expect(done.output).toEqual(run.output);
        },
        (run?.timeoutMs ?? 20_000) + BOOT_TIMEOUT_MS,
      );
    });
  });
}
