import type { Database, EventStream, JsonValue } from '@wormhole/interfaces';
import { childIdempotencyKey, engineEvent, executionStartedEvent } from '@wormhole/interfaces';
import { JqWasmEvaluator } from '@wormhole/dsl';
import { MemoryLogger, NoopMetrics, RecordingStream } from '@wormhole/platform';
import type { TestEmbedded } from '@wormhole/storage';
import { advanceInOrder, openTestEmbedded } from '@wormhole/storage';
import { DefinitionCache } from './definition-cache';
import { ExecutionProcessor } from './execution-processor';
import { StateCache } from './state-cache';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * The database with one repository method failing while `failing.on` is set (a worker dying
 * mid-write). Its `advance` is the one in separate writes (Redis', Mongo's), through the failing
 * method: the one-statement advance of the embedded database cannot die between the append and
 * the rows, the others can.
 */
function dyingOn<K extends keyof Database>(
  db: Database,
  repository: K,
  method: keyof Database[K] & string,
  failing: { on: boolean },
): Database {
  const original = db[repository] as unknown as Record<string, Method>;
  const patched = Object.create(original) as Record<string, Method>;
  patched[method] = (...args) =>
    failing.on ? Promise.reject(new Error('worker died')) : original[method]!.apply(original, args);
  const dying: Database = Object.create(db, {
    [repository]: { value: patched },
    advance: { value: (...args: AdvanceArgs) => advanceInOrder(dying, ...args) },
  }) as Database;
  return dying;
}

type AdvanceArgs = Parameters<Database['advance']>;

/** A workflow of `tasks` registered for tenant acme, one execution of it and that execution's start event. */
async function startedRun(db: Database, name: string, tasks: JsonValue[]) {
  const workflow = await db.workflows.create('acme', {
    name,
    spec_version: '1.0.0',
    definition: { document: { dsl: '1.0.0', namespace: 't', name, version: '1.0.0' }, do: tasks },
  });
  const { execution } = await db.executions.create('acme', {
    workflow_id: workflow.id,
    workflow_version: 1,
    input: {},
  });
  return { workflow, execution, started: executionStartedEvent({ ...execution, input: {} }, '/test') };
}

describe('ExecutionProcessor: a redelivered event whose rows were never written', () => {
  let embedded: TestEmbedded;
  let evaluator: JqWasmEvaluator;
  const settings = { maxConflictRetries: 5, snapshotEvery: 50, maxInlineEvents: 10_000 };
  const processor = (db: Database, stream: EventStream): ExecutionProcessor =>
    new ExecutionProcessor(
      db,
      stream,
      new DefinitionCache(db, 10),
      new StateCache(10),
      evaluator,
      new MemoryLogger(),
      new NoopMetrics(),
      settings,
    );

  beforeAll(async () => {
    embedded = await openTestEmbedded();
    evaluator = await JqWasmEvaluator.create();
  });
  afterAll(() => embedded.cleanup());

  it('repairs the same step rows, re-sends only what the run still waits for, and goes on', async () => {
    const db = embedded.db;
    const { execution, started } = await startedRun(db, 'repair', [
      { greet: { set: { hi: true } } },
      { fetch: { call: 'http', with: { method: 'get', endpoint: 'http://x' } } },
    ]);

    // The first worker appends the history, then dies writing the step rows.
    const failing = { on: true };
    const first = new RecordingStream();
    await expect(processor(dyingOn(db, 'steps', 'upsert', failing), first).process(started)).rejects.toThrow(
      'worker died',
    );
    expect(first.published).toEqual([]);
    expect(await db.steps.listByExecution('acme', execution.id)).toEqual([]);

    // Another worker gets the redelivered start.
    const second = new RecordingStream();
    const worker = processor(db, second);
    await worker.process(started);
    const repaired = await db.steps.listByExecution('acme', execution.id);
    expect(repaired.map((s) => [s.task_name, s.status])).toEqual([
      ['greet', 'completed'],
      ['fetch', 'running'],
    ]);
    expect(second.published.map((e) => e.type)).toEqual(['io.wormhole.task.requested']);
    const requested = second.published[0]!;

    // Delivered once more: the request is still awaited, so it is re-sent; nothing is duplicated.
    await worker.process(started);
    expect((await db.steps.listByExecution('acme', execution.id)).map((s) => s.id)).toEqual(repaired.map((s) => s.id));

    // The call's outcome: the worker that takes it dies writing the rows, another one gets it again.
    if (requested.type !== 'io.wormhole.task.requested') throw new Error('expected a task request');
    const { task_path, task_name, task_type, attempt } = requested.data;
    const completed = engineEvent('io.wormhole.task.completed', '/test', requested, {
      task_path,
      task_name,
      task_type,
      attempt,
      output: { ok: 1 },
    });
    await expect(
      processor(dyingOn(db, 'steps', 'upsert', failing), new RecordingStream()).process(completed),
    ).rejects.toThrow('worker died');
    failing.on = false;
    await processor(db, new RecordingStream()).process(completed);
    // The fetch row is the one started before, now completed: not a second row for the same call.
    const done = await db.steps.listByExecution('acme', execution.id);
    expect(done.map((s) => [s.id, s.status])).toEqual([
      [repaired[0]!.id, 'completed'],
      [repaired[1]!.id, 'completed'],
    ]);
    expect((await db.executions.get('acme', execution.id)).status).toBe('completed');

    // Redelivered after the run ended: nothing is re-sent.
    const third = new RecordingStream();
    await processor(db, third).process(started);
    expect(third.published).toEqual([]);
    // …and the rows keep their latest state: the late copy does not put 'fetch' back to running.
    expect((await db.steps.listByExecution('acme', execution.id)).map((s) => [s.id, s.status])).toEqual([
      [repaired[0]!.id, 'completed'],
      [repaired[1]!.id, 'completed'],
    ]);
  });

  it('recognises a start redelivered after its run went on and was snapshotted (a start is first taken for a new run)', async () => {
    const db = embedded.db;
    const { execution, started } = await startedRun(db, 'parked', [
      { greet: { set: { hi: true } } },
      { nap: { wait: { hours: 1 } } },
    ]);
    await processor(db, new RecordingStream()).process(started);
    expect(await db.snapshots.load('acme', execution.id)).toBeDefined();
    const history = await db.events.list('acme', execution.id);

    // Another worker, with nothing cached, gets the start again: it folds the whole history.
    const again = new RecordingStream();
    await processor(db, again).process(started);
    expect((await db.events.list('acme', execution.id)).map((e) => e.id)).toEqual(history.map((e) => e.id));
    expect(again.published.map((e) => e.type)).toEqual(['io.wormhole.timer.scheduled']);
    expect((await db.executions.get('acme', execution.id)).status).toBe('waiting');
  });

  it('cancels the awaited child of a cancelled parent when the cancellation is redelivered after a crash', async () => {
    const db = embedded.db;
    const document = (name: string) => ({ dsl: '1.0.0', namespace: 't', name, version: '1.0.0' });
    const child = await db.workflows.create('acme', {
      name: 'sleeper',
      spec_version: '1.0.0',
      definition: { document: document('sleeper'), do: [{ sleep: { wait: 'PT1H' } }] },
    });
    const parent = await db.workflows.create('acme', {
      name: 'parent',
      spec_version: '1.0.0',
      definition: {
        document: document('parent'),
        do: [{ call: { run: { workflow: { namespace: 't', name: 'sleeper', version: '1.0.0' } } } }],
      },
    });
    const { execution } = await db.executions.create('acme', {
      workflow_id: parent.id,
      workflow_version: 1,
      input: {},
    });
    const requests = new RecordingStream();
    await processor(db, requests).process(executionStartedEvent({ ...execution, input: {} }, '/test'));
    const requested = requests.published.find((e) => e.type === 'io.wormhole.task.requested');
    if (requested?.type !== 'io.wormhole.task.requested') throw new Error('expected a task request');
    // What the executor does for the request: the child row, its key naming the parent task.
    const { execution: childRow } = await db.executions.create('acme', {
      workflow_id: child.id,
      workflow_version: 1,
      input: {},
      idempotency_key: childIdempotencyKey({
        workflow_id: parent.id,
        execution_id: execution.id,
        task_path: requested.data.task_path,
        attempt: requested.data.attempt,
        awaited: true,
      }),
    });

    // The worker taking the cancellation appends it, then dies before cancelling the child.
    const cancelled = engineEvent(
      'io.wormhole.execution.cancelled',
      '/test',
      requested,
      {},
      { id: `${execution.id}.cancelled` },
    );
    const dying = new RecordingStream();
    dying.publish = () => Promise.reject(new Error('worker died'));
    await expect(processor(db, dying).process(cancelled)).rejects.toThrow('worker died');
    expect((await db.executions.get('acme', execution.id)).status).toBe('cancelled');

    // The redelivered cancellation finds it in the history and cancels the child.
    const again = new RecordingStream();
    await processor(db, again).process(cancelled);
    expect(again.published).toEqual([
      expect.objectContaining({
        id: `${childRow.id}.cancelled`,
        type: 'io.wormhole.execution.cancelled',
        workflowid: child.id,
        executionid: childRow.id,
      }),
    ]);
  });

  it('stores the subscription of a listen when its start is redelivered after a crash, before the row says waiting', async () => {
    const db = embedded.db;
    const { execution, started } = await startedRun(db, 'listener', [
      { wait: { listen: { to: { one: { with: { type: 'com.example.paid' } } } } } },
    ]);
    const mine = async () =>
      (await db.subscriptions.listByTenant('acme')).filter((x) => x.execution_id === execution.id);

    // The first worker appends the history, then dies storing the subscription: the row must not say waiting yet,
    // or a client that saw it and posted its event would lose it.
    const failing = { on: true };
    await expect(
      processor(dyingOn(db, 'subscriptions', 'put', failing), new RecordingStream()).process(started),
    ).rejects.toThrow('worker died');
    expect((await db.executions.get('acme', execution.id)).status).not.toBe('waiting');
    expect(await mine()).toEqual([]);

    // The redelivered start finds the listen.started in the history and stores its subscription.
    await processor(db, new RecordingStream()).process(started);
    expect((await mine()).map((x) => x.task_path)).toEqual(['/do/0/wait']);
    expect((await db.executions.get('acme', execution.id)).status).toBe('waiting');
  });
});
