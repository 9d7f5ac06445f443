import type {
  Database,
  EngineEvent,
  EventStream,
  Logger,
  Metrics,
  SecretStore,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import {
  ConflictError,
  dslError,
  engineEvent,
  ensureError,
  eventPublishedEvent,
  isTerminalStatus,
} from '@wormhole/interfaces';
import type { Decision, ExecutionState, ExpressionEvaluator, PendingWork, WorkflowDocument } from '@wormhole/dsl';
import {
  applyEvent,
  decide,
  initialState,
  markPersisted,
  pendingWork,
  secretPlaceholders,
  waitingListens,
} from '@wormhole/dsl';
import { syncSubscriptions, touchesSubscriptions } from './subscriptions';
import type { DefinitionCache } from './definition-cache';
import type { OpenSteps } from './projection';
import type { StateCache } from './state-cache';
import type { LoadedExecution } from './state-loader';
import { loadState } from './state-loader';
import { deriveRows, persistProjection } from './persist';
import { childOutcomeReport } from './child-report';
import { ChildCancellation } from './child-cancellation';

/** Events the other services act on; everything else (but `event.emitted`) stays in the history only. */
const OUTBOUND: ReadonlySet<EngineEvent['type']> = new Set([
  'io.wormhole.task.requested',
  'io.wormhole.timer.scheduled',
]);

export interface ProcessorSettings {
  /** Attempts at an event whose append lost a race with another worker before giving up. */
  readonly maxConflictRetries: number;
  /** A snapshot is saved once this many events accumulated since the last one. */
  readonly snapshotEvery: number;
  /** Events one incoming event may cause inline before the run is stopped as a runaway loop. */
  readonly maxInlineEvents: number;
}

/**
 * Advances one execution by one incoming event: fold it into the state, decide what follows,
 * append both to the history in one conditional write, then update the rows users read and
 * publish what the executor must do.
 *
 * Exactly-once state transitions come from the conditional append: it succeeds only at the
 * sequence the state was read at, so of two workers holding the same event one wins and the other
 * reloads and finds the event already applied. A worker that dies after appending but before
 * publishing leaves the event unacknowledged; its redelivery finds the event in the history and
 * publishes the outbound events that followed it again (consumers ignore repeated ids).
 */
export class ExecutionProcessor {
  /** Cancels the children of `run: workflow` tasks the run stopped waiting for. */
  private readonly children: ChildCancellation;

  constructor(
    private readonly db: Database,
    private readonly stream: EventStream,
    private readonly definitions: DefinitionCache,
    private readonly states: StateCache,
    private readonly evaluator: ExpressionEvaluator,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly settings: ProcessorSettings,
    /** Only their shapes reach the decider: `$secrets` is bound to placeholders (see secretPlaceholders). */
    private readonly secrets?: SecretStore,
  ) {
    this.children = new ChildCancellation(db, stream, logger);
  }

  async process(event: EngineEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A start is first taken for a new run's, with nothing to read (see loadState).
        await this.processOnce(event, attempt === 1 && event.type === 'io.wormhole.execution.started');
        return;
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= this.settings.maxConflictRetries) throw e;
        // Another worker advanced this execution first (or a start was redelivered): reload and look again.
        this.states.forget(event.executionid);
        this.metrics.counter({ name: 'wormhole_worker_append_conflicts_total', help: 'Lost append races' }).inc();
      }
    }
  }

  private async processOnce(event: EngineEvent, starting: boolean): Promise<void> {
    const tenant = event.tenantid;
    const loaded = await loadState(this.db, this.states, tenant, event.executionid, starting);
    const state = loaded.state ?? initialState();
    const applied = applyEvent(state, event);
    if (applied.eventCount === state.eventCount) {
      await this.republishAfter(event, state, loaded);
      return;
    }
    const document = await this.documentFor(event, applied);
    const decision = this.decideAll(document, applied, event);
    const { next, open } = await this.store(event, state, loaded.openSteps, decision);
    this.states.remember(event.executionid, { state: next, openSteps: open });
    await this.publish(decision.events);
    // After the row says the run ended: a child created later finds its parent ended and cancels itself.
    await this.children.cancelAbandoned(event, ChildCancellation.abandoned(state, next, event), endReason(next));
    await this.children.cancelIfOrphaned(event, next);
    if (!isTerminalStatus(state.status)) await this.reportToParent(next);
    if (next.eventCount - loaded.snapshotEventCount >= this.settings.snapshotEvery || next.status === 'waiting') {
      await this.states.snapshot(this.db, tenant, event.executionid, { state: next, openSteps: open });
    }
    // A parked run (a wait, a listen) resumes from the snapshot just saved, one read away; kept in
    // the cache it held ~1.8 KB of heap per run (bench, after a full GC: 28 -> 10 MiB per 10k parked).
    if (next.status === 'waiting') this.states.forget(event.executionid);
  }

  /**
   * Appends the event and what it caused, then writes the rows users read. Subscriptions go
   * between the two (once a client reads `waiting`, an event it posts is delivered); without
   * any to store or remove, the append and the rows are one `advance` (one statement on Postgres).
   */
  private async store(
    event: EngineEvent,
    state: ExecutionState,
    openSteps: OpenSteps,
    decision: Decision,
  ): Promise<{ next: ExecutionState; open: OpenSteps }> {
    const tenant = event.tenantid;
    const batch = [event, ...decision.events];
    const listening = waitingListens(state);
    const persisted = (stored: readonly StoredEngineEvent[]): ExecutionState =>
      markPersisted(decision.state, stored.length > 0 ? stored[stored.length - 1]!.sequence : state.sequence);
    if (!touchesSubscriptions(listening, decision.events)) {
      // derive may run twice (a partial redelivery is derived again from what was stored): keep the last.
      let open = openSteps;
      const stored = await this.db.advance(tenant, event.executionid, batch, state.sequence, (appended) => {
        const derived = deriveRows(persisted(appended), openSteps, appended);
        open = derived.open;
        return derived.rows;
      });
      return { next: persisted(stored), open };
    }
    const stored = await this.db.events.append(tenant, event.executionid, batch, { expectedSequence: state.sequence });
    const next = persisted(stored);
    await syncSubscriptions(this.db, event, listening, next, decision.events);
    return { next, open: await persistProjection(this.db, next, openSteps, stored) };
  }

  /**
   * Decides until the execution waits for the outside world. A decision that yields (an inline
   * loop past the per-decision event budget) is continued here: no outside event would resume it.
   * A run that keeps yielding past `maxInlineEvents` is faulted instead of spinning forever.
   */
  private decideAll(document: WorkflowDocument, state: ExecutionState, cause: EngineEvent): Decision {
    const events: EngineEvent[] = [];
    let current = state;
    const secrets =
      this.secrets === undefined ? undefined : secretPlaceholders(document, this.secrets, cause.executionid);
    for (;;) {
      let decision: Decision;
      try {
        decision = decide(document, current, this.evaluator, new Date(), {
          source: 'wormhole/worker',
          ...(secrets !== undefined && { secrets }),
        });
      } catch (e) {
        this.logger.error('decider failed', {
          err: ensureError(e),
          execution_id: cause.executionid,
          tenant_id: cause.tenantid,
        });
        throw e;
      }
      events.push(...decision.events);
      current = decision.state;
      if (!decision.yielded) return { events, state: current, yielded: false };
      if (events.length >= this.settings.maxInlineEvents) {
        const error = dslError('runtime', {
          title: 'Inline loop limit',
          detail: `the workflow ran ${events.length} inline steps without waiting; it was stopped as a runaway loop`,
        });
        const fault = engineEvent(
          'io.wormhole.execution.faulted',
          'wormhole/worker',
          cause,
          { error },
          { id: `${cause.id}.runaway` },
        );
        return { events: [...events, fault], state: applyEvent(current, fault), yielded: false };
      }
    }
  }

  private async documentFor(event: EngineEvent, state: ExecutionState): Promise<WorkflowDocument> {
    const version = state.identity?.workflowVersion ?? 1;
    return this.definitions.get(event.tenantid, event.workflowid, version);
  }

  /**
   * A redelivered event that is already in the history: its worker may have died after the
   * append, so rewrite the rows derived from the history and re-publish what followed it that
   * the run still waits for (both idempotent).
   */
  private async republishAfter(event: EngineEvent, state: ExecutionState, loaded: LoadedExecution): Promise<void> {
    const events = loaded.history ?? (await this.db.events.list(event.tenantid, event.executionid));
    const at = events.findIndex((e) => e.id === event.id);
    if (at < 0) return;
    const followers: StoredEngineEvent[] = [];
    for (const later of events.slice(at + 1)) {
      // Stop at the next event from outside: what follows it was caused by that event, not this one.
      if (later.source !== 'wormhole/worker') break;
      followers.push(later);
    }
    // Its worker may have died before storing the subscriptions of the listens it started (those
    // still waiting are stored again; storing one twice replaces it).
    await syncSubscriptions(this.db, event, [], state, followers);
    // …or before writing the rows: rewrite them from the whole history, each step in its latest
    // state. Projecting only this event and its followers could write a step's earlier state over
    // a later one another delivery already wrote.
    await persistProjection(this.db, state, {}, events, { logs: false });
    const pending = pendingWork(state);
    await this.publish(followers.filter((follower) => stillAwaited(pending, follower)));
    // Its worker may have died before cancelling the children the run stopped waiting for.
    await this.children.cancelChildren(event, ChildCancellation.unansweredRequests(events, state), endReason(state));
    await this.reportToParent(state);
  }

  /** An ended child execution tells its awaiting parent (run: workflow); repeated sends are one event. */
  private async reportToParent(state: ExecutionState): Promise<void> {
    const report = childOutcomeReport(state);
    if (report) await this.stream.publish(report);
  }

  private async publish(events: readonly EngineEvent[]): Promise<void> {
    for (const event of events) {
      if (OUTBOUND.has(event.type)) await this.stream.publish(stripSequence(event));
      // An emitted event goes to the tenant's event stream, to reach listens like a posted one.
      if (event.type === 'io.wormhole.event.emitted') {
        await this.stream.publish(eventPublishedEvent(event.tenantid, event.data.event, 'wormhole/worker'));
      }
    }
  }
}

/** Why a parent's children are cancelled, for their `execution.cancelled` reason. */
function endReason(state: ExecutionState): string {
  return isTerminalStatus(state.status) ? `was ${state.status}` : 'stopped waiting for it';
}

/**
 * Whether the run (whose pending work is `pending`) still waits for what an outbound event asked for. A redelivered event re-sends
 * only those: a task whose outcome is already in the history must not be run again.
 */
function stillAwaited(pending: PendingWork, event: EngineEvent): boolean {
  switch (event.type) {
    case 'io.wormhole.task.requested':
      return pending.tasks.some((t) => t.path === event.data.task_path && t.attempt === event.data.attempt);
    case 'io.wormhole.timer.scheduled':
      return pending.timers.some((t) => t.timerId === event.data.timer_id);
    default:
      return true;
  }
}

function stripSequence(event: EngineEvent | StoredEngineEvent): EngineEvent {
  if (!('sequence' in event)) return event;
  // The sequence is the history's bookkeeping, not part of the event on the wire.
  const { sequence: _sequence, ...rest } = event;
  return rest;
}
