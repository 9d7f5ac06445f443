import type { EngineEvent, EngineEventPayloads, EngineEventType, JsonObject, JsonValue } from '@wormhole/interfaces';
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
 * - task.completed `then`: the flow directive the task chose (the matching `switch` case).
 */
export interface RuntimePayloadExtras {
  'io.wormhole.task.started': { input: JsonValue; raw_input?: JsonValue; context?: JsonObject };
  'io.wormhole.task.completed': { context?: JsonObject; then?: string };
  'io.wormhole.task.failed': { context?: JsonObject };
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
export function startedExtras(
  data: unknown,
): { input: JsonValue; rawInput?: JsonValue; context?: JsonObject } | undefined {
  if (!(data !== null && typeof data === 'object' && 'input' in data)) return undefined;
  const input = field(data, 'input') as JsonValue;
  const rawInput = field(data, 'raw_input') as JsonValue | undefined;
  return { input, ...(rawInput !== undefined && { rawInput }), ...contextExtra(data) };
}

export function contextExtra(data: unknown): { context?: JsonObject } {
  const context = field(data, 'context');
  return isJsonObject(context) ? { context } : {};
}

export function thenExtra(data: unknown): { then?: string } {
  const then = field(data, 'then');
  return typeof then === 'string' ? { then } : {};
}
