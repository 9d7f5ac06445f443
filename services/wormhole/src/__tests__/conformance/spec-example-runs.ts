/*
 * How each of the spec's examples (by file name) is run by spec-examples.e2e.test.ts. Every
 * example is also posted to POST /workflows and must be accepted; these lists only decide whether
 * it is then executed. An example is run when it needs no outside service other than the stubbed
 * petstore, httpbin and SWAPI.
 */
import type { JsonObject, JsonValue } from '@wormhole/interfaces';

export interface ExampleRun {
  readonly input?: JsonValue;
  /** How the run ends: an example that raises on purpose ends `faulted`. */
  readonly status: 'completed' | 'faulted';
  readonly output?: JsonValue;
  readonly error?: Readonly<Record<string, JsonValue>>;
  readonly timeoutMs?: number;
  /**
   * CloudEvents posted to POST /events while the run waits, in order: each once the run listens,
   * its delivery awaited before the next.
   */
  readonly events?: readonly JsonObject[];
}

const vitals = (id: string, kind: 'temperature' | 'bpm', data: JsonObject): JsonObject => ({
  specversion: '1.0',
  id,
  source: 'https://fake-hospital.example/monitor',
  type: `com.fake-hospital.vitals.measurements.${kind}`,
  datacontenttype: 'application/json',
  data,
});

const NOT_IMPLEMENTED = 'https://serverlessworkflow.io/errors/not-implemented';

export const EXAMPLE_RUNS: Readonly<Record<string, ExampleRun>> = {
  'authentication-bearer-uri-format.yaml': { input: { petId: 1, token: 't' }, status: 'completed' },
  'authentication-bearer.yaml': { input: { token: 't' }, status: 'completed' },
  // The token comes from the stubbed authority; the *-secret ones read the whole policy from the
  // secret `mySecret` (spec-examples.e2e.test.ts sets it).
  'authentication-oauth2.yaml': { input: { petId: 1 }, status: 'completed' },
  'authentication-oauth2-secret.yaml': { input: { petId: 1 }, status: 'completed' },
  'authentication-oidc.yaml': { input: { petId: 1 }, status: 'completed' },
  'authentication-oidc-secret.yaml': { input: { petId: 1 }, status: 'completed' },
  'authentication-reusable.yaml': { input: { petId: 1, token: 't' }, status: 'completed' },
  'call-openapi.yaml': { status: 'completed' },
  'call-openapi-redirect.yaml': { status: 'completed' },
  'call-http-endpoint-interpolation-shorthand.yaml': { input: { petId: 1 }, status: 'completed' },
  'call-http-endpoint-interpolation.yaml': { input: { petId: 1 }, status: 'completed' },
  'call-http-query-headers-expressions.yaml': { input: { searchQuery: 'luke' }, status: 'completed' },
  'call-http-query-parameters.yaml': { input: { searchQuery: 'luke' }, status: 'completed' },
  'call-http-redirect.yaml': { input: { searchQuery: 'leia' }, status: 'completed' },
  'conditional-task.yaml': {
    input: { customer: { age: 16 } },
    status: 'faulted',
    error: { status: 400, title: 'Access Forbidden', instance: '/do/0/raiseErrorIfUnderage' },
  },
  'do-single.yaml': { input: { petId: 1 }, status: 'completed' },
  'emit.yaml': { status: 'completed' },
  'raise-inline.yaml': {
    status: 'faulted',
    error: {
      type: NOT_IMPLEMENTED,
      status: 500,
      detail: "The workflow 'raise-not-implemented:0.1.0' is a work in progress and cannot be run yet",
    },
  },
  'raise-reusable.yaml': {
    status: 'faulted',
    error: {
      type: NOT_IMPLEMENTED,
      status: 500,
      detail: "The workflow 'raise-not-implemented:0.1.0' is a work in progress and cannot be run yet",
    },
  },
  // Its output is not checked: the example reads its argument as process.argv[2] (a script file's
  // place), while run: script passes `node -e code args`, where it is process.argv[1].
  'run-script-with-stdin-and-arguments.yaml': { status: 'completed' },
  'run-shell-stdin-and-arguments.yaml': { status: 'completed', output: 'STDIN was: Hello World\nARGS are Foo Bar' },
  'set.yaml': { input: [{ type: 'trigger' }], status: 'completed', output: { startEvent: { type: 'trigger' } } },
  'set-expression.yaml': { input: [{ type: 'trigger' }], status: 'completed', output: { type: 'trigger' } },
  'switch-then-string.yaml': {
    input: { orderType: 'electronic' },
    status: 'completed',
    output: { validate: true, status: 'fulfilled' },
  },
  'star-wars-homeworld.yaml': { input: { id: 1 }, status: 'completed' },
  'try-catch.yaml': { input: { petId: 999 }, status: 'completed' },
  'try-catch-then.yaml': { input: { petId: 999 }, status: 'completed' },
  'try-catch-retry-inline.yaml': { input: { petId: 1 }, status: 'completed' },
  'try-catch-retry-reusable.yaml': { input: { petId: 1 }, status: 'completed' },
  'listen-to-any.yaml': {
    status: 'completed',
    events: [{ specversion: '1.0', id: 'a-1', source: 'https://example.com/any', type: 'com.example.anything' }],
  },
  'listen-to-any-filter.yaml': {
    status: 'completed',
    events: [vitals('t-1', 'temperature', { temperature: 39 })],
    output: [{ temperature: 39 }],
  },
  'listen-to-all.yaml': {
    status: 'completed',
    events: [vitals('t-1', 'temperature', { temperature: 39 }), vitals('b-1', 'bpm', { bpm: 120 })],
    output: [{ temperature: 39 }, { bpm: 120 }],
  },
  'listen-to-all read-envelope.yaml': {
    status: 'completed',
    events: [vitals('t-1', 'temperature', { temperature: 39 }), vitals('b-1', 'bpm', { bpm: 50 })],
  },
  'listen-to-any-until-consumed.yaml': {
    status: 'completed',
    events: [
      vitals('t-1', 'temperature', { temperature: 39 }),
      {
        specversion: '1.0',
        id: 'c-1',
        source: 'https://fake-hospital.example/desk',
        type: 'com.fake-hospital.patient.checked-out',
      },
    ],
    output: [{ temperature: 39 }],
  },
  'listen-to-any-until-condition.yaml': {
    status: 'completed',
    events: ['1', '2', '3', '4'].map((n) => vitals(`t-${n}`, 'temperature', { temperature: 36 + Number(n) })),
  },
  'wait-duration-inline.yaml': { status: 'completed', timeoutMs: 40_000 },
  'wait-duration-iso8601.yaml': { status: 'completed', timeoutMs: 40_000 },
};

const OUTSIDE = 'calls a service that is not stubbed';

/** Examples that are only validated, with the reason they are not run. */
export const EXAMPLES_NOT_RUN: Readonly<Record<string, string>> = {
  'accumulate-room-readings.yaml': 'after its events it calls an OpenAPI service that is not stubbed',
  'call-asyncapi-publish.yaml': 'needs an AsyncAPI broker',
  'call-asyncapi-subscribe-consume-amount.yaml': 'needs an AsyncAPI broker',
  'call-asyncapi-subscribe-consume-forever-foreach.yaml': 'needs an AsyncAPI broker',
  'call-asyncapi-subscribe-consume-until.yaml': 'needs an AsyncAPI broker',
  'call-asyncapi-subscribe-consume-while.yaml': 'needs an AsyncAPI broker',
  'call-custom-function-cataloged.yaml':
    'calls a function by the URL of its document on raw.githubusercontent.com, which tests cannot reach (Wormhole fetches it; the function is a Python script)',
  'call-custom-function-inline.yaml': 'its function GETs pet 69, which the stubbed petstore does not have',
  'call-grpc.yaml': 'needs a gRPC server',
  'call-mcp.yaml': 'needs an MCP server',
  'do-multiple.yaml': 'PUTs to /v2/pet/{petId}, which the petstore does not have',
  'for.yaml':
    "its listen's output.as reads .pets from the listen's output, which the spec defines as the array of consumed events (a jq error)",
  'fork.yaml': OUTSIDE,
  'listen-to-any-forever-foreach.yaml': 'listens forever by design (no until)',
  'listen-to-one.yaml': 'after its event it calls a race service that is not stubbed',
  'mock-service-extension.yaml':
    "its extension's `when` applies startswith to the endpoint object (a jq error); the call it mocks is not stubbed",
  'run-container-cleanup-always.yaml': 'needs a container runtime',
  'run-container-cleanup-eventually.yaml': 'needs a container runtime',
  'run-container-stdin-and-arguments.yaml': 'needs a container runtime',
  'run-container-with-name.yaml': 'needs a container runtime',
  'run-container-with-pull-policy.yaml': 'needs a container runtime',
  'run-container.yaml': 'needs a container runtime',
  'run-return-all.yaml': 'needs a container runtime',
  'run-return-code.yaml': 'needs a container runtime',
  'run-return-none.yaml': 'needs a container runtime',
  'run-return-stderr.yaml': 'needs a container runtime',
  'run-subflow.yaml': 'its subflow (test/register-customer) is not among the examples',
  'schedule-cron.yaml': OUTSIDE,
  'schedule-event-driven.yaml': OUTSIDE,
};
