import type {
  DslError,
  EngineEvent,
  EngineEventPayloads,
  EngineEventType,
  JsonObject,
  JsonValue,
} from '@wormhole/interfaces';
import { engineEvent } from '@wormhole/interfaces';
import type { ExecutionIdentity } from './state';

/**
 * Fields the runtime adds to the payloads of the events it writes, so that the fold can follow
 * data it cannot compute itself (it has neither the document nor an expression evaluator).
 * Proposed for `EngineEventPayloads` in engine-events.ts; until then they travel as extra
 * properties of `data` and are read back defensively.
 *
 * - task.started `input`: the task's transformed input; `raw_input` when `input.from` changed it;
 * - task.started/completed/failed `context`: the new `$context`, present only when it changed;
 * - task.completed `then`: the flow directive the task chose (the matching `switch` case);
 * - task.started `variables`: the `$name` variables the task and its subtasks see (`for`, `catch.as`);
 * - task.started `body`: on a composite task that is already running (same attempt), the task
 *   moves on inside itself: a `for` starts an iteration, a `try` starts its `catch.do`, a `fork`
 *   records a finished branch, an extended task moves to its next extension list. Such a
 *   task.started starts no new run.
 */
export interface RuntimePayloadExtras {
  'io.wormhole.task.started': {
    input: JsonValue;
    raw_input?: JsonValue;
    context?: JsonObject;
    variables?: JsonObject;
    body?: BodyProgress;
  };
  'io.wormhole.task.completed': { context?: JsonObject; then?: string };
  'io.wormhole.task.failed': { context?: JsonObject };
}

/** How a running composite task moves on inside itself (see `RuntimePayloadExtras`). */
export type BodyProgress =
  /** `for`: iteration `index` starts with `input`; `items` (the evaluated `for.in`) on the first only. */
  | { readonly kind: 'iteration'; readonly index: number; readonly input: JsonValue; readonly items?: JsonValue[] }
  /** `try`: its catch handles `error` with `catch.do`. */
  | { readonly kind: 'catch'; readonly error: DslError }
  /** `fork`: the branch at `path` finished with this transformed output. */
  | { readonly kind: 'branch'; readonly path: string; readonly output: JsonValue }
  /** A judged `listen`: the verdict on its oldest queued event (see `ListenVerdict`). */
  | ({ readonly kind: 'listen-event' } & ListenVerdict)
  /** A `listen`'s `foreach` processed a consumed event: its transformed output; `ended` when the listen stops. */
  | { readonly kind: 'listen-item'; readonly output: JsonValue; readonly ended?: boolean }
  /**
   * `use.extensions`: the run moves to `stage` (`applied` on the first only). `input` is the input
   * of the list that runs next, and in stage `body` the input the task itself runs with.
   */
  | {
      readonly kind: 'extension';
      readonly stage: 'before' | 'body' | 'after';
      readonly at: number;
      readonly input: JsonValue;
      readonly applied?: number[];
    };

/**
 * What the decider made of the event `key` a judged listen received: consumed by `listen.to`
 * (`event`, with the filters that passed their correlations), by the `until` strategy (`until`),
 * or not at all (`none`: no filter's correlation held). `correlation` is the listen's new map of
 * correlation values, `ended` says the listen stops, `item` starts `foreach` on the event.
 */
export interface ListenVerdict {
  readonly key: string;
  readonly consumed: 'event' | 'until' | 'none';
  readonly filters: readonly number[];
  readonly correlation?: JsonObject;
  readonly ended?: boolean;
  readonly item?: { readonly index: number; readonly input: JsonValue };
}

export type RuntimePayload<K extends EngineEventType> = EngineEventPayloads[K] &
  (K extends keyof RuntimePayloadExtras ? RuntimePayloadExtras[K] : unknown);

/** An event the decider wants appended, before it gets its id, time and envelope. */
export type EventDraft = {
  [K in EngineEventType]: { readonly type: K; readonly data: RuntimePayload<K> };
}[EngineEventType];

export function draft<K extends EngineEventType>(type: K, data: RuntimePayload<K>): EventDraft {
  return { type, data } as EventDraft;
}

export interface Envelope {
  readonly id: string;
  readonly time: Date;
  readonly source: string;
  readonly identity: ExecutionIdentity;
}

/** Wraps a draft into an engine event (CloudEvents 1.0, structured JSON). */
export function toEngineEvent(eventDraft: EventDraft, envelope: Envelope): EngineEvent {
  const { identity } = envelope;
  const subject = {
    tenantid: identity.tenantId,
    workflowid: identity.workflowId,
    executionid: identity.executionId,
  };
  return engineEvent(eventDraft.type, envelope.source, subject, eventDraft.data, {
    id: envelope.id,
    time: envelope.time,
  });
}

function field(data: unknown, name: string): unknown {
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[name] : undefined;
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The runtime's extras of a `task.started`; undefined for a task.started written by someone else. */
export function startedExtras(data: unknown):
  | {
      input: JsonValue;
      rawInput?: JsonValue;
      context?: JsonObject;
      variables?: JsonObject;
      body?: BodyProgress;
    }
  | undefined {
  if (!(data !== null && typeof data === 'object' && 'input' in data)) return undefined;
  const input = field(data, 'input') as JsonValue;
  const rawInput = field(data, 'raw_input') as JsonValue | undefined;
  const variables = field(data, 'variables');
  const body = field(data, 'body');
  return {
    input,
    ...(rawInput !== undefined && { rawInput }),
    ...contextExtra(data),
    ...(isJsonObject(variables) && { variables }),
    ...(isBodyProgress(body) && { body }),
  };
}

function isBodyProgress(value: unknown): value is BodyProgress {
  if (!isJsonObject(value)) return false;
  switch (value.kind) {
    case 'iteration':
      return typeof value.index === 'number' && 'input' in value;
    case 'catch':
      return isJsonObject(value.error);
    case 'branch':
      return typeof value.path === 'string' && 'output' in value;
    case 'listen-event':
      return typeof value.key === 'string' && typeof value.consumed === 'string' && Array.isArray(value.filters);
    case 'listen-item':
      return 'output' in value;
    case 'extension':
      return typeof value.stage === 'string' && typeof value.at === 'number' && 'input' in value;
    default:
      return false;
  }
}

export function contextExtra(data: unknown): { context?: JsonObject } {
  const context = field(data, 'context');
  return isJsonObject(context) ? { context } : {};
}

export function thenExtra(data: unknown): { then?: string } {
  const then = field(data, 'then');
  return typeof then === 'string' ? { then } : {};
}
