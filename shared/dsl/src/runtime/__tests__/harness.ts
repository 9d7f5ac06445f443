import type { EngineEvent, EngineEventOf, EngineEventPayloads, EngineEventType, JsonValue } from '@wormhole/interfaces';
import { engineEvent } from '@wormhole/interfaces';
import { parse } from 'yaml';
import type { Decision, DecideOptions } from '../decider';
import { decide } from '../decider';
import type { WorkflowDocument } from '../document';
import type { ExpressionEvaluator } from '../expressions';
import { applyEvent } from '../fold';
import { JqWasmEvaluator } from '../jq-wasm-evaluator';
import type { ExecutionState } from '../state';
import { initialState } from '../state';

export const SUBJECT = { tenantid: 'acme', workflowid: 'wf_1', executionid: 'ex_1' } as const;
export const NOW = new Date('2026-01-01T00:00:00.000Z');

let shared: Promise<JqWasmEvaluator> | undefined;

/** One real jq for the whole test file. */
export function jq(): Promise<ExpressionEvaluator> {
  return (shared ??= JqWasmEvaluator.create());
}

export function workflow(yaml: string): WorkflowDocument {
  return parse(yaml) as WorkflowDocument;
}

let counter = 0;

/** An event from outside the runtime (api, executor, timer loop). */
export function external<K extends EngineEventType>(
  type: K,
  data: EngineEventPayloads[K],
  id?: string,
): EngineEventOf<K> {
  return engineEvent(type, 'test', SUBJECT, data, { id: id ?? `ext-${++counter}`, time: NOW });
}

export function started(input: JsonValue): EngineEventOf<'io.wormhole.execution.started'> {
  return external('io.wormhole.execution.started', { input, workflow_version: 1 });
}

/** Drives an execution as the worker would: fold the incoming event, decide, fold the decision. */
export class Run {
  state: ExecutionState = initialState();
  readonly history: EngineEvent[] = [];

  constructor(
    readonly document: WorkflowDocument,
    readonly evaluator: ExpressionEvaluator,
    readonly options: DecideOptions = {},
  ) {}

  receive(event: EngineEvent, now: Date = NOW): Decision {
    this.state = applyEvent(this.state, event);
    this.history.push(event);
    return this.decide(now);
  }

  decide(now: Date = NOW): Decision {
    const decision = decide(this.document, this.state, this.evaluator, now, this.options);
    this.state = decision.state;
    this.history.push(...decision.events);
    return decision;
  }

  /** The last decided event of a type. */
  last<K extends EngineEventType>(type: K): EngineEventOf<K> {
    const found = [...this.history].reverse().find((event): event is EngineEventOf<K> => event.type === type);
    if (found === undefined) throw new Error(`no ${type} in the history`);
    return found;
  }
}

/** "type task_name" of each event, to assert on the shape of a decision. */
export function trace(events: readonly EngineEvent[]): string[] {
  return events.map((event) => {
    const short = event.type.replace('io.wormhole.', '');
    const data: unknown = event.data;
    const name = (data as { task_name?: unknown }).task_name;
    return typeof name === 'string' ? `${short} ${name}` : short;
  });
}
