import type { CloudEvent, WorkflowDefinition } from '@wormhole/interfaces';
import type { TestEmbedded } from '@wormhole/storage';
import { openTestEmbedded } from '@wormhole/storage';
import { AllEventsCorrelation, recordId } from './event-correlation';

const event = (id: string, type: string): CloudEvent => ({ specversion: '1.0', id, source: 'shop', type });
const ids = (events: CloudEvent[] | undefined): string[] | undefined => events?.map((e) => e.id);

describe('AllEventsCorrelation (schedule.on.all)', () => {
  let embedded: TestEmbedded;
  let workflow: WorkflowDefinition;

  beforeAll(async () => {
    embedded = await openTestEmbedded();
    workflow = await embedded.db.workflows.create('acme', {
      name: 'pair',
      spec_version: '1.0.0',
      definition: { document: { dsl: '1.0.0', namespace: 't', name: 'pair', version: '1.0.0' }, do: [] },
    });
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
    const other = { ...workflow, version: workflow.version + 1 };
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
});
