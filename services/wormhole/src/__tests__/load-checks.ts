/*
 * Checks for fault tests that run many executions at once: how many ended in each terminal
 * state, and whether a run's history and step runs show every step applied exactly once.
 */
import type { Api, EventView, StepView } from './engine-harness';
import { transitions } from './engine-harness';

export interface EndedCounts {
  completed: number;
  faulted: number;
  cancelled: number;
}

/**
 * Polls the executions of `workflowId` until `total` have ended or `timeoutMs` passes, and returns
 * the counts. A poll the API cannot answer (503 while a backend is down) is simply repeated.
 */
export async function waitForEnded(
  api: Api,
  workflowId: string,
  total: number,
  timeoutMs: number,
): Promise<EndedCounts> {
  const counts: EndedCounts = { completed: 0, faulted: 0, cancelled: 0 };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const status of ['completed', 'faulted', 'cancelled'] as const) {
      const page = await api.request<{ pagination?: { total: number } }>(
        'GET',
        `/executions?workflow_id=${workflowId}&status=${status}&size=1`,
      );
      if (page.status === 200 && page.body.pagination) counts[status] = page.body.pagination.total;
    }
    if (counts.completed + counts.faulted + counts.cancelled >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return counts;
}

/** What went wrong with one run: transitions applied twice, and its step runs as [name, status, attempt]. */
export async function stepsOnce(
  api: Api,
  executionId: string,
): Promise<{ twice: [string, number][]; steps: [string, string, number][] }> {
  const events = await api.items<EventView>(`/executions/${executionId}/events`);
  const steps = await api.items<StepView>(`/executions/${executionId}/steps`);
  return {
    twice: [...transitions(events)].filter(([, count]) => count > 1),
    steps: steps.map((s) => [s.task_name, s.status, s.attempt]),
  };
}
