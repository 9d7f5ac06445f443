/**
 * Parsing of engine events read from the wire. Whatever comes off a stream is untrusted text: it
 * is checked against the CloudEvents envelope, the engine's extension attributes and the payload
 * schema of its type before any handler sees it. A message that fails is a poison message.
 */
import { ENGINE_EVENT_TYPES } from '@wormhole/interfaces';
import type { EngineEvent, EngineEventType } from '@wormhole/interfaces';

export type ParseResult =
  { readonly ok: true; readonly event: EngineEvent } | { readonly ok: false; readonly error: string };

type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'json';
/** `?` marks an optional field. */
type PayloadSchema = Readonly<Record<string, FieldKind | `${FieldKind}?`>>;

const TASK_REF: PayloadSchema = { task_path: 'string', task_name: 'string', task_type: 'string' };

// Keyed by the catalogue, so a type added to EngineEventPayloads without a schema fails to compile.
const PAYLOADS: Readonly<Record<EngineEventType, PayloadSchema>> = {
  'io.wormhole.execution.started': { input: 'json', workflow_version: 'number' },
  'io.wormhole.execution.completed': { output: 'json' },
  'io.wormhole.execution.faulted': { error: 'object' },
  'io.wormhole.execution.cancelled': { reason: 'string?' },
  'io.wormhole.task.requested': { ...TASK_REF, input: 'json', attempt: 'number', task: 'object' },
  'io.wormhole.task.started': { ...TASK_REF, attempt: 'number' },
  'io.wormhole.task.completed': { ...TASK_REF, attempt: 'number', output: 'json', duration_ms: 'number?' },
  'io.wormhole.task.failed': { ...TASK_REF, attempt: 'number', error: 'object', retryable: 'boolean' },
  'io.wormhole.task.retrying': { ...TASK_REF, attempt: 'number', delay_ms: 'number' },
  'io.wormhole.timer.scheduled': { ...TASK_REF, timer_id: 'string', due_at: 'string' },
  'io.wormhole.timer.fired': { ...TASK_REF, timer_id: 'string' },
  'io.wormhole.event.emitted': { event: 'object' },
  'io.wormhole.event.received': { event: 'object' },
  'io.wormhole.event.published': { event: 'object' },
  'io.wormhole.listen.started': { ...TASK_REF, attempt: 'number', listen_id: 'string', mode: 'string', read: 'string' },
};

const ENVELOPE_STRINGS = ['id', 'source', 'tenantid', 'workflowid', 'executionid'] as const;
const OPTIONAL_STRINGS = ['subject', 'time', 'datacontenttype', 'dataschema'] as const;
const TYPES: ReadonlySet<string> = new Set(ENGINE_EVENT_TYPES);

export function isEngineEventType(value: unknown): value is EngineEventType {
  return typeof value === 'string' && TYPES.has(value);
}

/** Parses one message body. Never throws: a failure is returned with a reason fit for a dead letter. */
export function parseEngineEvent(raw: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  return validateEngineEvent(value);
}

/** Checks an already decoded value (e.g. a JSONB column) against the event schema. */
export function validateEngineEvent(value: unknown): ParseResult {
  if (!isObject(value)) return { ok: false, error: 'event is not a JSON object' };
  if (value.specversion !== '1.0') {
    return { ok: false, error: `unsupported specversion '${String(value.specversion)}'` };
  }
  if (!isEngineEventType(value.type)) return { ok: false, error: `unknown event type '${String(value.type)}'` };
  for (const name of ENVELOPE_STRINGS) {
    const field = value[name];
    if (typeof field !== 'string' || field === '') return { ok: false, error: `missing attribute '${name}'` };
  }
  for (const name of OPTIONAL_STRINGS) {
    if (value[name] !== undefined && typeof value[name] !== 'string') {
      return { ok: false, error: `attribute '${name}' must be a string` };
    }
  }
  const payloadError = checkPayload(PAYLOADS[value.type], value.data);
  if (payloadError) return { ok: false, error: `${value.type}: ${payloadError}` };
  // The checks above are exactly the union's discriminant, envelope and per-type payload.
  return { ok: true, event: value as unknown as EngineEvent };
}

export function serializeEngineEvent(event: EngineEvent): string {
  return JSON.stringify(event);
}

function checkPayload(schema: PayloadSchema, data: unknown): string | undefined {
  if (!isObject(data)) return "'data' must be an object";
  for (const [name, spec] of Object.entries(schema)) {
    const optional = spec.endsWith('?');
    const kind = (optional ? spec.slice(0, -1) : spec) as FieldKind;
    const field = data[name];
    if (field === undefined) {
      if (optional) continue;
      return `missing data.${name}`;
    }
    if (!hasKind(field, kind)) return `data.${name} must be ${kind === 'json' ? 'a JSON value' : `a ${kind}`}`;
  }
  return undefined;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'json':
      return true;
    case 'object':
      return isObject(value);
    default:
      return typeof value === kind;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
