/*
 * The step definitions of the conformance features (the spec's CTK and our own), matched with
 * Cucumber Expressions as cucumber-js would, acting only through the REST API of a running
 * Wormhole: create the workflow, execute it, read the execution and its step runs.
 */
import { ExpressionFactory, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import type { Expression } from '@cucumber/cucumber-expressions';
import { parse as parseYaml } from 'yaml';
import type { Api, ExecutionView, StepView } from '../engine-harness';
import { publishAndAwait } from './event-delivery';
import type { Scenario, ScenarioStep } from './feature-files';
import { rewritePublicUrls } from './public-stubs';

/** What the steps of one scenario share. */
export interface ScenarioWorld {
  /** A client of the API for a tenant of this scenario alone (names in features repeat). */
  readonly api: Api;
  /** Public origin → local stub origin, applied to every definition before it is sent. */
  readonly origins: ReadonlyMap<string, string>;
  definition?: string;
  input?: unknown;
  /** The answer to POST /workflows when it was not 201. */
  rejection?: { status: number; body: unknown };
  execution?: ExecutionView;
  /** The run, once started (`the workflow is started` leaves it waiting for events). */
  executionId?: string;
  /** Task names in the order their first step run started. */
  taskOrder?: string[];
}

const ENDED = ['completed', 'faulted', 'cancelled'];

type StepAction = (
  world: ScenarioWorld,
  args: readonly unknown[],
  docString: string | undefined,
) => Promise<void> | void;

interface StepDefinition {
  readonly expression: Expression;
  readonly action: StepAction;
}

const factory = new ExpressionFactory(new ParameterTypeRegistry());
const definitions: StepDefinition[] = [];

function step(expression: string | RegExp, action: StepAction): void {
  definitions.push({ expression: factory.createExpression(expression), action });
}

function yamlOf(docString: string | undefined, what: string): unknown {
  if (docString === undefined) throw new Error(`${what}: the step needs a doc string`);
  return parseYaml(docString) as unknown;
}

/** The value at a dotted path (`request.headers`), or `undefined` when a segment is missing. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function ran(world: ScenarioWorld): ExecutionView {
  if (world.rejection !== undefined) {
    throw new Error(
      `the definition was rejected: ${world.rejection.status} ${JSON.stringify(world.rejection.body, null, 2)}`,
    );
  }
  if (world.execution === undefined) throw new Error('the workflow has not been executed');
  return world.execution;
}

function endedAs(world: ScenarioWorld, status: 'completed' | 'faulted'): ExecutionView {
  const execution = ran(world);
  if (execution.status !== status) {
    throw new Error(
      `expected the workflow to have ${status}, it is ${execution.status}: ${JSON.stringify(
        execution.error ?? execution.output,
        null,
        2,
      )}`,
    );
  }
  return execution;
}

function completedOutput(world: ScenarioWorld): unknown {
  return endedAs(world, 'completed').output;
}

function taskOrder(world: ScenarioWorld): string[] {
  ran(world);
  return world.taskOrder ?? [];
}

step('a workflow with definition:', (world, _args, doc) => {
  if (doc === undefined) throw new Error('the definition is the step’s doc string');
  world.definition = rewritePublicUrls(doc, world.origins);
});

// For `run: workflow`: another workflow of the tenant, registered now, that the scenario's runs.
step('a subflow with definition:', async (world, _args, doc) => {
  if (doc === undefined) throw new Error('the definition is the step’s doc string');
  const created = await fetch(`${world.api.base}/api/v1/${world.api.tenant}/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: rewritePublicUrls(doc, world.origins),
  });
  if (created.status !== 201) throw new Error(`the subflow was rejected: ${created.status} ${await created.text()}`);
});

step(/^(?:given )?the workflow input is:$/, (world, _args, doc) => {
  world.input = yamlOf(doc, 'workflow input');
});

/** Creates the workflow and starts a run of it; undefined when the definition was rejected. */
async function start(world: ScenarioWorld): Promise<string | undefined> {
  if (world.definition === undefined) throw new Error('no workflow definition was given');
  const response = await fetch(`${world.api.base}/api/v1/${world.api.tenant}/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: world.definition,
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || body.id === undefined) {
    world.rejection = { status: response.status, body };
    return undefined;
  }
  world.executionId = await world.api.execute(body.id, world.input === undefined ? {} : { input: world.input });
  return world.executionId;
}

/** Reads the run once it is in one of `statuses`, with the order its tasks ran in. */
async function settle(world: ScenarioWorld, id: string, statuses: readonly string[]): Promise<void> {
  world.execution = await world.api.until(id, statuses);
  const steps = await world.api.items<StepView>(`/executions/${id}/steps`);
  world.taskOrder = [...new Set(steps.map((s) => s.task_name))];
}

step('the workflow is executed', async (world) => {
  const id = await start(world);
  if (id !== undefined) await settle(world, id, ENDED);
});

// For listens: the run parks, then events are published to POST /events while it waits.
step('the workflow is started', async (world) => {
  const id = await start(world);
  if (id === undefined) return;
  // The worker stores a listen's subscription before the row says `waiting`: events posted now are delivered.
  await settle(world, id, ['waiting', ...ENDED]);
});

/**
 * Posts the CloudEvent (or the list of them) of the doc string to POST /events and waits until the
 * run has received each one (so the next step's events arrive after them) or has ended. Each
 * event must match the filters of a listen the run waits in.
 */
step(/^the events? (?:is|are) published:$/, async (world, _args, doc) => {
  const id = world.executionId;
  if (id === undefined) throw new Error('the workflow has not been started');
  const history = await publishAndAwait(world.api, id, yamlOf(doc, 'events'));
  // The history is written before the execution row: when it ends the run, wait for the row to say so.
  const ended = /^io\.wormhole\.execution\.(completed|faulted|cancelled)$/.test(history.at(-1)?.type ?? '');
  await settle(world, id, ended ? ENDED : ['waiting', ...ENDED]);
});

step('the workflow should be waiting', (world) => {
  expect(ran(world).status).toBe('waiting');
});

step('the workflow should complete', (world) => {
  endedAs(world, 'completed');
});

step('the workflow should complete with output:', (world, _args, doc) => {
  expect(completedOutput(world)).toEqual(yamlOf(doc, 'expected output'));
});

step('the workflow should fault', (world) => {
  endedAs(world, 'faulted');
});

step('the workflow should fault with error:', (world, _args, doc) => {
  expect(endedAs(world, 'faulted').error).toMatchObject(yamlOf(doc, 'expected error') as Record<string, unknown>);
});

step('the workflow definition should be rejected with:', (world, _args, doc) => {
  if (world.rejection === undefined) throw new Error('the definition was accepted');
  expect(world.rejection.body).toMatchObject(yamlOf(doc, 'expected rejection') as Record<string, unknown>);
});

step(/^the workflow output should have properties (.+)$/, (world, [list]) => {
  const names = [...String(list).matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? '');
  if (names.length === 0) throw new Error(`no quoted property names in: ${String(list)}`);
  const output = completedOutput(world);
  const missing = names.filter((name) => at(output, name) === undefined);
  if (missing.length > 0) {
    throw new Error(`the output lacks ${missing.join(', ')}: ${JSON.stringify(output, null, 2)}`);
  }
});

step('the workflow output should have a {string} property with value:', (world, [name], doc) => {
  expect(at(completedOutput(world), String(name))).toEqual(yamlOf(doc, 'expected value'));
});

step('the workflow output should have a {string} property containing {int} items', (world, [name, count]) => {
  const value = at(completedOutput(world), String(name));
  if (!Array.isArray(value)) throw new Error(`'${String(name)}' is not an array: ${JSON.stringify(value)}`);
  expect(value).toHaveLength(Number(count));
});

step('{word} should run first', (world, [task]) => {
  expect(taskOrder(world)[0]).toBe(task);
});

step('{word} should run last', (world, [task]) => {
  expect(taskOrder(world).at(-1)).toBe(task);
});

step('{word} should run after {word}', (world, [later, earlier]) => {
  const order = taskOrder(world);
  const [a, b] = [order.indexOf(String(earlier)), order.indexOf(String(later))];
  if (a < 0 || b < 0 || b <= a) {
    throw new Error(
      `expected ${String(later)} after ${String(earlier)}, the tasks ran in the order ${order.join(', ')}`,
    );
  }
});

step('{word} should not run', (world, [task]) => {
  expect(taskOrder(world)).not.toContain(task);
});

function definitionFor(s: ScenarioStep): { definition: StepDefinition; args: readonly unknown[] } {
  for (const definition of definitions) {
    const match = definition.expression.match(s.text);
    if (match !== null) return { definition, args: match.map((a) => a.getValue(null)) };
  }
  throw new Error(`no step definition matches "${s.text}"`);
}

/** Runs every step of `scenario` in order; the first failing step throws, naming itself. */
export async function runScenario(scenario: Scenario, world: ScenarioWorld): Promise<void> {
  for (const s of scenario.steps) {
    const { definition, args } = definitionFor(s);
    try {
      await definition.action(world, args, s.docString);
    } catch (e) {
      const error = e as Error;
      error.message = `step "${s.text}" failed: ${error.message}`;
      throw error;
    }
  }
}

/** The step texts no definition matches (a feature file using a phrase the runner lacks). */
export function undefinedSteps(scenarios: readonly Scenario[]): string[] {
  const texts = new Set(scenarios.flatMap((s) => s.steps.map((x) => x.text)));
  return [...texts].filter((text) => !definitions.some((d) => d.expression.match(text) !== null));
}
