import { randomUUID } from 'node:crypto';
import { engineEvent } from '@wormhole/interfaces';
import type { EngineEventOf, EngineEventExtensions, JsonValue } from '@wormhole/interfaces';

export interface EventScope {
  readonly tenant: string;
  readonly workflow: string;
  readonly execution: string;
}

export function newScope(): EventScope {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  return { tenant: `t-${suffix}`, workflow: `wf_${suffix.toUpperCase()}`, execution: `ex_${suffix.toUpperCase()}` };
}

const SOURCE = '/wormhole/test';
const TASK = { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call' };

function subject(scope: EventScope): EngineEventExtensions {
  return { tenantid: scope.tenant, workflowid: scope.workflow, executionid: scope.execution };
}

export function startedEvent(
  scope: EventScope,
  input: JsonValue = { n: 0 },
): EngineEventOf<'io.wormhole.execution.started'> {
  return engineEvent('io.wormhole.execution.started', SOURCE, subject(scope), { input, workflow_version: 1 });
}

export function taskRequestedEvent(scope: EventScope, attempt = 1): EngineEventOf<'io.wormhole.task.requested'> {
  return engineEvent('io.wormhole.task.requested', SOURCE, subject(scope), {
    ...TASK,
    input: null,
    attempt,
    task: { call: 'http' },
  });
}

export function taskCompletedEvent(scope: EventScope, attempt = 1): EngineEventOf<'io.wormhole.task.completed'> {
  return engineEvent('io.wormhole.task.completed', SOURCE, subject(scope), { ...TASK, attempt, output: { ok: true } });
}
