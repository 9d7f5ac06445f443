import { randomUUID } from 'node:crypto';
import type { EngineEvent, EngineEventOf } from '@wormhole/interfaces';

export interface EventScope {
  readonly tenant: string;
  readonly workflow: string;
  readonly execution: string;
}

export function newScope(): EventScope {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  return { tenant: `t-${suffix}`, workflow: `wf_${suffix.toUpperCase()}`, execution: `ex_${suffix.toUpperCase()}` };
}

function envelope(scope: EventScope): Omit<EngineEvent, 'type' | 'data'> {
  return {
    specversion: '1.0',
    id: `ev_${randomUUID()}`,
    source: '/wormhole/test',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    tenantid: scope.tenant,
    workflowid: scope.workflow,
    executionid: scope.execution,
  };
}

export function startedEvent(
  scope: EventScope,
  input: unknown = { n: 0 },
): EngineEventOf<'io.wormhole.execution.started'> {
  return {
    ...envelope(scope),
    type: 'io.wormhole.execution.started',
    data: { input: input as EngineEventOf<'io.wormhole.execution.started'>['data']['input'], workflow_version: 1 },
  };
}

export function taskRequestedEvent(scope: EventScope, attempt = 1): EngineEventOf<'io.wormhole.task.requested'> {
  return {
    ...envelope(scope),
    type: 'io.wormhole.task.requested',
    data: { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call', input: null, attempt },
  };
}

export function taskCompletedEvent(scope: EventScope, attempt = 1): EngineEventOf<'io.wormhole.task.completed'> {
  return {
    ...envelope(scope),
    type: 'io.wormhole.task.completed',
    data: { task_path: '/do/0/fetch', task_name: 'fetch', task_type: 'call', attempt, output: { ok: true } },
  };
}
