import type { JsonObject, JsonValue } from '../json';
import type { CloudEvent } from './cloud-event';
import type { DslError } from './execution';
import { newId } from '../ids';
import type { ParentTaskRef } from './child-execution';
import { parentOfKey } from './child-execution';

/**
 * The catalogue of engine events. Every state change of an execution is one of these, carried
 * as a CloudEvent on the transport and kept in the execution's event history. Each type has one
 * payload shape; `EngineEventPayloads` is the single source of truth for both.
 */
export interface EngineEventPayloads {
  /** `parent`: the task of another execution that started this one (`run: workflow`). */
  'io.wormhole.execution.started': { input: JsonValue; workflow_version: number; parent?: ParentTaskRef };
  'io.wormhole.execution.completed': { output: JsonValue };
  'io.wormhole.execution.faulted': { error: DslError };
  'io.wormhole.execution.cancelled': { reason?: string };
  /** `task` is the task's definition with its runtime expressions already evaluated. */
  'io.wormhole.task.requested': TaskRef & { input: JsonValue; attempt: number; task: JsonObject };
  /**
   * `input` is the task's input after `input.from` (`raw_input` the input before, when it
   * differs); `context` is the new `$context` when it changed. The runtime writes these so the
   * state can be folded without the document or an expression evaluator.
   */
  'io.wormhole.task.started': TaskRef & {
    attempt: number;
    input?: JsonValue;
    raw_input?: JsonValue;
    context?: JsonObject;
  };
  /** `output` is the task's raw output; `then` the flow directive the task chose (a switch case). */
  'io.wormhole.task.completed': TaskRef & {
    attempt: number;
    output: JsonValue;
    duration_ms?: number;
    context?: JsonObject;
    then?: string;
  };
  'io.wormhole.task.failed': TaskRef & { attempt: number; error: DslError; retryable: boolean; context?: JsonObject };
  /**
   * `attempt` is the attempt that failed; the next one is `attempt + 1`. `error`, when present, is
   * the error that caused the retry (a `try`'s catch writes it; the executor's own retries may not).
   */
  'io.wormhole.task.retrying': TaskRef & { attempt: number; delay_ms: number; error?: DslError };
  /**
   * `kind` says what the timer is for: a `wait` task (the default when absent), a retry delay, or
   * a `timeout` deadline (which does not make the execution wait; the workflow's has task_path "").
   */
  'io.wormhole.timer.scheduled': TaskRef & { timer_id: string; due_at: string; kind?: TimerKind };
  'io.wormhole.timer.fired': TaskRef & { timer_id: string };
  'io.wormhole.event.emitted': { event: CloudEvent };
  /**
   * A CloudEvent consumed by the execution. The event router names the listen it is for
   * (`listen_id`, `task_path`) and which of its filters the event matched (`filters`, indices).
   */
  'io.wormhole.event.received': { event: CloudEvent; listen_id?: string; task_path?: string; filters?: number[] };
  /**
   * A `listen` task started waiting: `filters` are its `with` objects, runtime expressions
   * evaluated; `listen_id` (this event's id) names the subscription the worker stores.
   * `until`: the strategy whose events end an `any` listen (its filters evaluated the same way).
   * `judged`: the decider looks at each delivered event before it counts (`until`, `foreach`,
   * `correlate` need expressions the fold cannot evaluate); absent, the fold counts it at once.
   */
  'io.wormhole.listen.started': TaskRef & {
    attempt: number;
    listen_id: string;
    mode: ListenMode;
    filters: JsonObject[];
    read: ListenRead;
    until?: ListenUntilStrategy;
    judged?: boolean;
  };
  /**
   * A CloudEvent posted to `POST /events` or emitted by a workflow, on its tenant's event stream
   * (`workflowid` and `executionid` are `TENANT_EVENTS_ID`), on its way to the listens that match.
   */
  'io.wormhole.event.published': { event: CloudEvent };
}

export type TimerKind = 'wait' | 'retry' | 'timeout';

/** `listen.to`: one filter, any of the filters, or all of them. */
export type ListenMode = 'one' | 'any' | 'all';
/** `listen.to.until` given as an event consumption strategy: the events that end the listen. */
export interface ListenUntilStrategy {
  mode: ListenMode;
  filters: JsonObject[];
}
/** `listen.read`: what of each consumed event the task outputs. */
export type ListenRead = 'data' | 'envelope' | 'raw';

export interface TaskRef {
  /** JSON pointer of the task in the document, e.g. "/do/0/fetch". */
  task_path: string;
  task_name: string;
  task_type: string;
  /** Distinguishes repeated runs of one task (loops, `for` iterations); absent for the first. */
  iteration?: string;
}

export type EngineEventType = keyof EngineEventPayloads;

export const ENGINE_EVENT_TYPES = [
  'io.wormhole.execution.started',
  'io.wormhole.execution.completed',
  'io.wormhole.execution.faulted',
  'io.wormhole.execution.cancelled',
  'io.wormhole.task.requested',
  'io.wormhole.task.started',
  'io.wormhole.task.completed',
  'io.wormhole.task.failed',
  'io.wormhole.task.retrying',
  'io.wormhole.timer.scheduled',
  'io.wormhole.timer.fired',
  'io.wormhole.event.emitted',
  'io.wormhole.event.received',
  'io.wormhole.event.published',
  'io.wormhole.listen.started',
] as const satisfies readonly EngineEventType[];

/** Extension attributes every engine event carries (CloudEvents extension names are lower-case). */
export interface EngineEventExtensions {
  readonly tenantid: string;
  readonly workflowid: string;
  readonly executionid: string;
}

/** One engine event: a CloudEvent whose `data` is required and typed by its `type`. */
export type EngineEvent = {
  [K in EngineEventType]: CloudEvent<K, EngineEventPayloads[K]> &
    EngineEventExtensions & { readonly data: EngineEventPayloads[K] };
}[EngineEventType];

export type EngineEventOf<K extends EngineEventType> = Extract<EngineEvent, { type: K }>;

/** An engine event as kept in an execution's history, with its position in that history. */
export type StoredEngineEvent = EngineEvent & { readonly sequence: number };

/** Builds an engine event with a fresh id and the current time. */
export function engineEvent<K extends EngineEventType>(
  type: K,
  source: string,
  subject: EngineEventExtensions,
  data: EngineEventPayloads[K],
  options: { id?: string; time?: Date } = {},
): EngineEventOf<K> {
  const event = {
    specversion: '1.0' as const,
    id: options.id ?? newId('event'),
    source,
    type,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    tenantid: subject.tenantid,
    workflowid: subject.workflowid,
    executionid: subject.executionid,
    data,
  };
  // TypeScript cannot relate the generic K to its member of the distributed union; the shape
  // above is that member by construction.
  return event as unknown as EngineEventOf<K>;
}

/**
 * The start event of an execution. Its id derives from the execution id, so publishing it again
 * (a retried request, the reconciler) is one event in the history.
 */
export function executionStartedEvent(
  execution: {
    id: string;
    tenant_id: string;
    workflow_id: string;
    workflow_version: number;
    input: JsonValue;
    idempotency_key?: string;
  },
  source: string,
): EngineEventOf<'io.wormhole.execution.started'> {
  const parent = parentOfKey(execution.idempotency_key);
  return engineEvent(
    'io.wormhole.execution.started',
    source,
    { tenantid: execution.tenant_id, workflowid: execution.workflow_id, executionid: execution.id },
    { input: execution.input, workflow_version: execution.workflow_version, ...(parent && { parent }) },
    { id: `${execution.id}.started` },
  );
}

/**
 * The `workflowid` and `executionid` of events on a tenant's event stream. Workflow ids are
 * prefixed ULIDs (`wf_…`), so this stream never collides with a workflow's stream.
 */
export const TENANT_EVENTS_ID = 'tenant-events';

/**
 * A CloudEvent on its way to a tenant's listeners. The id derives from the event's (`source`,
 * `id`), so the same event published twice is one event wherever ids are deduplicated.
 */
export function eventPublishedEvent(
  tenantId: string,
  event: CloudEvent,
  source: string,
): EngineEventOf<'io.wormhole.event.published'> {
  return engineEvent(
    'io.wormhole.event.published',
    source,
    { tenantid: tenantId, workflowid: TENANT_EVENTS_ID, executionid: TENANT_EVENTS_ID },
    { event },
    { id: `evp_${cloudEventKey(event)}` },
  );
}

/** A stable, id-safe key of a CloudEvent's identity (`source`, `id`), as the spec defines it. */
export function cloudEventKey(event: Pick<CloudEvent, 'source' | 'id'>): string {
  return fnv1a64(`${event.source}\u0000${event.id}`);
}

// Two independent 32-bit FNV-1a hashes: stable across processes, no I/O, no crypto import here.
function fnv1a64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
