import type { ExecutionListQuery, Execution, ExecutionPatch, NewExecution } from '../domain/execution';
import type { EngineEvent, StoredEngineEvent } from '../domain/engine-events';
import type { EventSubscription } from '../domain/event-subscription';
import type { LogEntry, LogQuery } from '../domain/log-entry';
import type { ApiKey, NewApiKey } from '../domain/api-key';
import type { TenantStats } from '../domain/stats';
import type { StepRun } from '../domain/step-run';
import type { NewWorkflow, WorkflowDefinition, WorkflowListQuery, WorkflowPatch } from '../domain/workflow';
import type { JsonObject } from '../json';
import type { Page } from '../paging';

/*
 * The storage port, split into small per-aggregate repositories. Every method takes the tenant id
 * first: a row of tenant A is never read, changed or counted through tenant B (it is "not found").
 * Implementations: shared/storage/{postgres,redis,mongo}. One contract suite runs against each.
 */

export interface WorkflowRepository {
  /** Stores a new workflow at version 1. The id is generated ("wf_…"). */
  create(tenantId: string, input: NewWorkflow): Promise<WorkflowDefinition>;
  /** @throws WorkflowNotFoundError */
  get(tenantId: string, workflowId: string): Promise<WorkflowDefinition>;
  /** The definition as it was at `version` (versions are immutable). @throws WorkflowNotFoundError */
  getVersion(tenantId: string, workflowId: string, version: number): Promise<JsonObject>;
  /** Filters, sorts and pages in the database. Ties in the sort field are broken by id. */
  list(tenantId: string, query: WorkflowListQuery): Promise<Page<WorkflowDefinition>>;
  /**
   * Applies the patch atomically; a new `definition` bumps `version` by exactly one, also under
   * concurrent updates (no update is lost). `updated_at` always moves. A new `definition` or
   * `state: "inactive"` also removes the `schedule.on.all` correlation histories of every version
   * (`scheduleCorrelationIds`): events that matched the old schedule no longer count.
   * @throws WorkflowNotFoundError
   */
  update(tenantId: string, workflowId: string, patch: WorkflowPatch): Promise<WorkflowDefinition>;
  /**
   * Removes the workflow, its versions and the `schedule.on.all` correlation histories of its
   * versions (`scheduleCorrelationIds`). @throws WorkflowNotFoundError
   */
  delete(tenantId: string, workflowId: string): Promise<void>;
}

export interface CreatedExecution {
  readonly execution: Execution;
  /** false when an execution with the same idempotency key already existed and was returned. */
  readonly created: boolean;
}

export interface ExecutionRepository {
  /**
   * Stores a new execution with status "pending". With an idempotency key already used for the
   * same tenant and workflow, returns the existing execution and `created: false`.
   */
  create(tenantId: string, input: NewExecution): Promise<CreatedExecution>;
  /** @throws ExecutionNotFoundError */
  get(tenantId: string, executionId: string): Promise<Execution>;
  /**
   * The execution of this workflow created with this idempotency key, or undefined. A parent
   * finds the children it started this way (their keys name it, see child-execution.ts).
   */
  findByIdempotencyKey(tenantId: string, workflowId: string, key: string): Promise<Execution | undefined>;
  list(tenantId: string, query: ExecutionListQuery): Promise<Page<Execution>>;
  /**
   * Applies the patch atomically. With `onlyIfNotTerminal`, an execution already cancelled,
   * faulted or completed is left unchanged and returned as it is (terminal states are final).
   * @throws ExecutionNotFoundError
   */
  update(
    tenantId: string,
    executionId: string,
    patch: ExecutionPatch,
    options?: { onlyIfNotTerminal?: boolean },
  ): Promise<Execution>;
}

export interface StepRunRepository {
  /** Inserts or replaces the step run with this id (the engine writes each transition). */
  upsert(tenantId: string, step: StepRun): Promise<void>;
  /** The execution's step runs, oldest first. */
  listByExecution(tenantId: string, executionId: string): Promise<StepRun[]>;
}

export interface AppendOptions {
  /**
   * Optimistic concurrency: the append succeeds only if the history's last sequence is exactly
   * this (0 for an empty history); otherwise nothing is written and ConflictError is thrown.
   * This is the fence that keeps two workers from both applying a step.
   */
  readonly expectedSequence?: number;
}

export interface EventRepository {
  /**
   * Appends events to their execution's history, in order, atomically (all or none). Events whose
   * id is already stored for that execution are ignored (duplicate deliveries change nothing).
   * @returns the events that were new, with their sequence numbers
   * @throws ConflictError when `expectedSequence` does not match
   */
  append(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    options?: AppendOptions,
  ): Promise<StoredEngineEvent[]>;
  /** The execution's events in order of sequence, optionally only after `afterSequence`. */
  list(tenantId: string, executionId: string, afterSequence?: number): Promise<StoredEngineEvent[]>;
}

/** A serialised execution state and the last event sequence it includes. */
export interface ExecutionSnapshot {
  readonly sequence: number;
  readonly state: JsonObject;
}

/** Snapshots let the worker resume a long run without folding its whole history. */
export interface SnapshotRepository {
  /** Stores the snapshot unless a newer one (higher sequence) is already stored. */
  save(tenantId: string, executionId: string, snapshot: ExecutionSnapshot): Promise<void>;
  /** The newest snapshot, or undefined when none was saved. */
  load(tenantId: string, executionId: string): Promise<ExecutionSnapshot | undefined>;
}

/** The `listen` tasks waiting for events, per tenant (see `EventSubscription`). */
export interface EventSubscriptionRepository {
  /** Stores the subscription; storing the same (execution, listen) again replaces it. */
  put(subscription: EventSubscription): Promise<void>;
  /** Every subscription of the tenant, oldest first. */
  listByTenant(tenantId: string): Promise<EventSubscription[]>;
  /**
   * The subscriptions an event of this type may match, oldest first: those with a filter whose
   * literal `type` is this one, and every one some filter of which names no literal type
   * (`subscriptionEventTypes` undefined). A superset: the router still matches each against the
   * event. Read through an index, so the cost follows what is returned, not the tenant's total.
   */
  listForEventType(tenantId: string, type: string): Promise<EventSubscription[]>;
  /** Removes one listen's subscription, or, without `listenId`, every one of the execution. */
  remove(tenantId: string, executionId: string, listenId?: string): Promise<void>;
}

export interface LogRepository {
  /** Stores log lines; they may expire after the configured retention. */
  append(tenantId: string, entries: readonly LogEntry[]): Promise<void>;
  /** The execution's log lines, oldest first. */
  list(tenantId: string, executionId: string, query?: LogQuery): Promise<LogEntry[]>;
  /**
   * Deletes the log lines of every tenant stamped before `before` (ISO 8601), about `limit` of
   * them per call so one call holds the store only briefly (LOG_RETENTION_DAYS). Returns how many
   * it deleted; 0 when none older is left.
   */
  purge(before: string, limit: number): Promise<number>;
}

export interface StatsRepository {
  /** Counts of workflows by state and executions by status, computed by the database. */
  get(tenantId: string): Promise<TenantStats>;
}

/**
 * Cross-tenant queries for the engine's own housekeeping (the reconciler). Never exposed through
 * the API; every row returned still names its tenant.
 */
export interface MaintenanceRepository {
  /**
   * Executions not yet ended (pending, running, waiting, suspended) whose row has not changed
   * since `updatedBefore` (ISO 8601), oldest change first, at most `limit`.
   */
  findUnfinished(updatedBefore: string, limit: number): Promise<Execution[]>;
  /**
   * The scheduler's work list: active workflows of every tenant whose current definition has a
   * top-level `schedule`, ordered by tenant and id. Inactive and deleted workflows are absent, and
   * so is one whose newest version dropped its `schedule`.
   */
  findScheduled(): Promise<WorkflowDefinition[]>;
  /**
   * Deletes these histories of the tenant, events and snapshot (the `schedule.on.all` correlation
   * histories, which no execution row owns). Deleting a missing history is nothing.
   */
  deleteHistories(tenantId: string, historyIds: readonly string[]): Promise<void>;
}

export interface BackendHealth {
  readonly name: string;
  readonly ok: boolean;
  readonly latency_ms?: number;
  readonly error?: string;
}

/** The whole storage port. Built by the storage factory from `DATABASE_TYPE`. */
/** API keys of tenants (AUTH_MODE=apikey). Only hashes are stored; see services/api auth. */
export interface ApiKeyRepository {
  /** Stores a new, unrevoked key with a generated id ("ak_…"). */
  create(tenantId: string, input: NewApiKey): Promise<ApiKey>;
  /** The tenant's keys, revoked ones included, oldest first. */
  list(tenantId: string): Promise<ApiKey[]>;
  /** The unrevoked key with this hash, whatever its tenant; undefined when none (or revoked). */
  findActiveByHash(hash: string): Promise<ApiKey | undefined>;
  /** Marks the key revoked (again: unchanged). @throws NotFoundError (also for another tenant's key) */
  revoke(tenantId: string, keyId: string): Promise<ApiKey>;
}

/** The rows users read that an execution's newly stored events change (see Database.advance). */
export interface DerivedRows {
  /** Step runs to upsert, each in its latest state. */
  readonly steps: readonly StepRun[];
  readonly logs: readonly LogEntry[];
  /** Applied to the execution row unless the row is terminal; empty: the row is left alone. */
  readonly patch: ExecutionPatch;
}

/**
 * Makes the derived rows of the events an advance stored (with their sequences). May be called
 * more than once (the last call's rows are the ones written); asynchronous only where a wrapper
 * must store large values elsewhere first (blob offload).
 */
export type DeriveRows = (stored: readonly StoredEngineEvent[]) => DerivedRows | Promise<DerivedRows>;

export interface Database {
  readonly backend: string;
  readonly workflows: WorkflowRepository;
  readonly executions: ExecutionRepository;
  readonly steps: StepRunRepository;
  readonly events: EventRepository;
  readonly snapshots: SnapshotRepository;
  readonly subscriptions: EventSubscriptionRepository;
  readonly logs: LogRepository;
  readonly stats: StatsRepository;
  readonly maintenance: MaintenanceRepository;
  readonly apiKeys: ApiKeyRepository;
  /**
   * Moves an execution on by one worker step: appends `events` like `events.append` with
   * `expectedSequence`, then writes what `derive` makes of the stored events: the step runs and
   * log lines, then the execution row (unless it is terminal). Postgres does it all in one
   * statement (one round trip, atomic); the other backends write in that order, so a crash after
   * the append leaves rows that the redelivered event's projection rewrites.
   * @returns the events that were new, with their sequence numbers
   * @throws ConflictError when the history is not at `expectedSequence` (then nothing is written)
   */
  advance(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    expectedSequence: number,
    derive: DeriveRows,
  ): Promise<StoredEngineEvent[]>;
  /** Pings every backend this database uses (logs may live elsewhere). Never throws. */
  health(): Promise<BackendHealth[]>;
  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}
