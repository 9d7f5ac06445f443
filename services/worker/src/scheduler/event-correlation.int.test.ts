import type { CloudEvent, WorkflowDefinition } from '@wormhole/interfaces';
import type { TestEmbedded } from '@wormhole/storage';
import { openTestEmbedded } from '@wormhole/storage';
import { AllEventsCorrelation, recordId } from './event-correlation';

const event = (id: string, type: string): CloudEvent => ({ specversion: '1.0', id, source: 'shop', type });
const ids = (events: CloudEvent[] | undefined): string[] | undefined => events?.map((e) => e.id);

describe('AllEventsCorrelation (schedule.on.all)', () => {
  let embedded: TestEmbedded;
  let workflow: WorkflowDefinition;
  const definition = { document: { dsl: '1.0.0', namespace: 't', name: 'pair', version: '1.0.0' }, do: [] };
  const create = (): Promise<WorkflowDefinition> =>
    embedded.db.workflows.create('acme', { name: 'pair', spec_version: '1.0.0', definition });
  const stored = async (w: WorkflowDefinition): Promise<number> =>
    (await embedded.db.events.list('acme', recordId(w))).length;

  beforeAll(async () => {
    embedded = await openTestEmbedded();
    workflow = await create();
  });
  afterAll(() => embedded.cleanup());

  it('completes a round once each filter has an event, keeps the first per filter, and starts afresh', async () => {
    // Each replica of the router has its own instance: they share only the database.
    const replica = (): AllEventsCorrelation => new AllEventsCorrelation(embedded.db);
    expect(await replica().add(workflow, 2, event('s-1', 'shipped'), [1])).toBeUndefined();
    expect(await replica().add(workflow, 2, event('s-2', 'shipped'), [1])).toBeUndefined();
    expect(ids(await replica().add(workflow, 2, event('p-1', 'paid'), [0]))).toEqual(['p-1', 's-1']);
    // s-2 matched only a filter already held: it is not carried into the next round.
    expect(await replica().add(workflow, 2, event('p-2', 'paid'), [0])).toBeUndefined();
    // An event matching both fills the first empty one.
    expect(ids(await replica().add(workflow, 2, event('b-1', 'both'), [0, 1]))).toEqual(['p-2', 'b-1']);
  });

  it('gives the round again for a repeated completing event (a crash before the start), and nothing for others', async () => {
    const other = await embedded.db.workflows.update('acme', (await create()).id, { definition: { ...definition } });
    expect(other.version).toBe(2);
    const correlation = new AllEventsCorrelation(embedded.db);
    expect(await correlation.add(other, 2, event('a', 'paid'), [0])).toBeUndefined();
    expect(ids(await correlation.add(other, 2, event('b', 'shipped'), [1]))).toEqual(['a', 'b']);
    expect(await correlation.add(other, 2, event('c', 'paid'), [0])).toBeUndefined();
    expect(ids(await correlation.add(other, 2, event('b', 'shipped'), [1]))).toEqual(['a', 'b']);
    expect(await correlation.add(other, 2, event('a', 'paid'), [0])).toBeUndefined();
    // Each (source, id) is stored once; the snapshot covers the fold so far.
    expect(await embedded.db.events.list('acme', recordId(other))).toHaveLength(3);
    expect(await embedded.db.snapshots.load('acme', recordId(other))).toMatchObject({ sequence: 3 });
  });

  it('drops the partial set with the workflow, its deactivation or its new definition', async () => {
    const correlation = new AllEventsCorrelation(embedded.db);
    const deleted = await create();
    expect(await correlation.add(deleted, 2, event('d-1', 'paid'), [0])).toBeUndefined();
    expect(await stored(deleted)).toBe(1);
    await embedded.db.workflows.delete('acme', deleted.id);
    expect(await stored(deleted)).toBe(0);

    const paused = await create();
    expect(await correlation.add(paused, 2, event('p-1', 'paid'), [0])).toBeUndefined();
    await embedded.db.workflows.update('acme', paused.id, { state: 'inactive' });
    await embedded.db.workflows.update('acme', paused.id, { state: 'active' });
    // The paid event from before the pause no longer counts: a shipped one alone completes nothing.
    expect(await correlation.add(paused, 2, event('s-1', 'shipped'), [1])).toBeUndefined();
    expect(ids(await correlation.add(paused, 2, event('p-2', 'paid'), [0]))).toEqual(['p-2', 's-1']);

    const changed = await create();
    expect(await correlation.add(changed, 2, event('c-1', 'paid'), [0])).toBeUndefined();
    await embedded.db.workflows.update('acme', changed.id, { definition: { ...definition } });
    expect(await stored(changed)).toBe(0);
  });

  it('removes what a replica with an outdated list of scheduled workflows appends afterwards', async () => {
    const correlation = new AllEventsCorrelation(embedded.db);
    const deleted = await create();
    await embedded.db.workflows.delete('acme', deleted.id);
    expect(await correlation.add(deleted, 2, event('a', 'paid'), [0])).toBeUndefined();
    expect(await stored(deleted)).toBe(0);

    const changed = await create();
    await embedded.db.workflows.update('acme', changed.id, { definition: { ...definition } });
    // The old version's events neither complete a round nor stay.
    expect(await correlation.add(changed, 1, event('b', 'paid'), [0])).toBeUndefined();
    expect(await stored(changed)).toBe(0);

    const inactive = await create();
    await embedded.db.workflows.update('acme', inactive.id, { state: 'inactive' });
    expect(await correlation.add(inactive, 1, event('c', 'paid'), [0])).toBeUndefined();
    expect(await stored(inactive)).toBe(0);
    expect(await embedded.db.snapshots.load('acme', recordId(inactive))).toBeUndefined();
  });
});
