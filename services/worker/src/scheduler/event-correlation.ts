import type {
  CloudEvent,
  Database,
  EngineEventOf,
  JsonObject,
  StoredEngineEvent,
  WorkflowDefinition,
} from '@wormhole/interfaces';
import { WorkflowNotFoundError, cloudEventKey, engineEvent, scheduleCorrelationId } from '@wormhole/interfaces';

const SOURCE = 'wormhole/router';

type Received = EngineEventOf<'io.wormhole.event.received'>;

/** The events of a correlation still waiting for the rest, by filter index (null: none yet). */
type Slots = readonly (JsonObject | null)[];

/**
 * `schedule.on.all`: a start needs one event matching each filter. The events that arrived are
 * kept in the database, in a history of their own per workflow version (the execution-history
 * repository under the id `sched-all_<workflow>_v<version>`, which no execution row has): its
 * atomic append orders the events of every router replica, stores each (`source`, `id`) once,
 * and survives restarts. Every replica folds the same history to the same rounds: an event fills
 * the first still empty filter slot it matches (one matching only filled slots is not needed and
 * is left out), and the event that fills the last slot completes the round, whose events (in
 * filter order) start one execution. A snapshot of the slots, saved after each event, keeps the
 * fold short; a repeated event (a redelivery after a crash between the append and the start, or
 * the same event posted again) folds the whole history to find the round it completed.
 *
 * The history goes with what it belongs to: deleting the workflow, deactivating it or giving it a
 * new definition deletes the correlation histories of its versions (the workflow repository does,
 * in the same write). A replica whose list of scheduled workflows is older than that change could
 * still append to the old history afterwards, so each append is followed by a read of the
 * workflow: when it is gone, inactive or at another version, the history is deleted and the event
 * starts nothing. (Whichever comes second, the change's delete or this read, sees the other.)
 * A set that never completes is kept until one of those changes: `all` has no time limit.
 */
export class AllEventsCorrelation {
  constructor(private readonly db: Database) {}

  /**
   * Records `event`, which matched the filters `matched` of the workflow's `filterCount`.
   * @returns the round's events in filter order when `event` completed one, else undefined
   */
  async add(
    workflow: WorkflowDefinition,
    filterCount: number,
    event: CloudEvent,
    matched: readonly number[],
  ): Promise<CloudEvent[] | undefined> {
    const tenantId = workflow.tenant_id;
    const record = recordId(workflow);
    const received: Received = engineEvent(
      'io.wormhole.event.received',
      SOURCE,
      { tenantid: tenantId, workflowid: workflow.id, executionid: record },
      { event, filters: [...matched] },
      { id: `${record}.${cloudEventKey(event)}` },
    );
    const [appended] = await this.db.events.append(tenantId, record, [received]);
    if (!(await this.stillCurrent(workflow))) {
      await this.db.maintenance.deleteHistories(tenantId, [record]);
      return undefined;
    }
    const snapshot = appended ? await this.db.snapshots.load(tenantId, record) : undefined;
    // A snapshot from before this event folds only what came since; otherwise the whole history.
    const from =
      snapshot !== undefined && appended !== undefined && snapshot.sequence < appended.sequence ? snapshot : undefined;
    const events = await this.db.events.list(tenantId, record, from?.sequence);
    let slots = slotsOf(from?.state, filterCount);
    let completed: CloudEvent[] | undefined;
    for (const stored of events) {
      const step = advance(slots, stored, filterCount);
      slots = step.slots;
      if (stored.id === received.id) completed = step.completed;
    }
    const last = events[events.length - 1];
    if (last !== undefined) {
      await this.db.snapshots.save(tenantId, record, { sequence: last.sequence, state: { slots: [...slots] } });
    }
    return completed;
  }

  /** Whether the workflow is still active at the version whose schedule matched. */
  private async stillCurrent(workflow: WorkflowDefinition): Promise<boolean> {
    try {
      const current = await this.db.workflows.get(workflow.tenant_id, workflow.id);
      return current.state === 'active' && current.version === workflow.version;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }
}

/** The history holding a workflow version's partial matches (a new version starts afresh). */
export function recordId(workflow: WorkflowDefinition): string {
  return scheduleCorrelationId(workflow.id, workflow.version);
}

/** One event folded into the slots: the round's events when it filled the last empty one. */
function advance(
  slots: Slots,
  stored: StoredEngineEvent,
  filterCount: number,
): { slots: Slots; completed?: CloudEvent[] } {
  if (stored.type !== 'io.wormhole.event.received') return { slots };
  const slot = (stored.data.filters ?? []).find((i) => i >= 0 && i < filterCount && slots[i] === null);
  if (slot === undefined) return { slots };
  // A CloudEvent in structured JSON is a JSON object (it came as one).
  const next = slots.map((held, i) => (i === slot ? (stored.data.event as unknown as JsonObject) : held));
  if (next.some((held) => held === null)) return { slots: next };
  return { slots: emptySlots(filterCount), completed: next as unknown as CloudEvent[] };
}

function slotsOf(state: JsonObject | undefined, filterCount: number): Slots {
  const saved = state?.slots;
  if (!Array.isArray(saved) || saved.length !== filterCount) return emptySlots(filterCount);
  return saved.map((held) => (held !== null && typeof held === 'object' && !Array.isArray(held) ? held : null));
}

function emptySlots(filterCount: number): Slots {
  return Array.from({ length: filterCount }, () => null);
}
