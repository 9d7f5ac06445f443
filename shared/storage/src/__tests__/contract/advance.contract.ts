import type { DerivedRows, EngineEvent, StoredEngineEvent } from '@wormhole/interfaces';
import { ConflictError, newId } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';
import { sampleDefinition } from './helpers';

function taskCompleted(tenant: string, executionId: string, n: number): EngineEvent {
  return {
    specversion: '1.0',
    id: newId('event'),
    source: 'wormhole/worker',
    type: 'io.wormhole.task.completed',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    tenantid: tenant,
    workflowid: 'wf_test',
    executionid: executionId,
    data: { task_path: `/do/${n}/t${n}`, task_name: `t${n}`, task_type: 'set', attempt: 1, output: { n } },
  };
}

/**
 * A derivation like the worker's: one step run and one log line per stored event, named by its
 * sequence (so rows derived from wrongly numbered events would show), and the row running.
 */
function recordingDerive(tenant: string, executionId: string) {
  const calls: StoredEngineEvent[][] = [];
  const derive = (stored: readonly StoredEngineEvent[]): DerivedRows => {
    calls.push([...stored]);
    return {
      steps: stored.map((event) => ({
        id: `st_${executionId}_${event.sequence}`,
        tenant_id: tenant,
        execution_id: executionId,
        task_name: event.type === 'io.wormhole.task.completed' ? event.data.task_name : 'other',
        task_path: `/do/${event.sequence}`,
        task_type: 'set',
        status: 'completed' as const,
        attempt: 1,
        output: { sequence: event.sequence },
        started_at: event.time ?? new Date().toISOString(),
        completed_at: event.time ?? new Date().toISOString(),
      })),
      logs: stored.map((event) => ({
        tenant_id: tenant,
        execution_id: executionId,
        level: 'info' as const,
        message: `event ${event.sequence}`,
        timestamp: event.time ?? new Date().toISOString(),
      })),
      patch: { status: 'running', current_task: `/do/${stored[stored.length - 1]?.sequence ?? 0}` },
    };
  };
  return { calls, derive };
}

/** Database.advance: the worker's append and the rows derived from it. */
export function advanceContract(ctx: ContractContext): void {
  describe('advance', () => {
    async function newExecution(tenant: string): Promise<string> {
      const workflow = await ctx.db().workflows.create(tenant, {
        name: `adv-${newId('event').slice(-6)}`,
        spec_version: '1.0.0',
        definition: sampleDefinition('advance'),
      });
      const { execution } = await ctx
        .db()
        .executions.create(tenant, { workflow_id: workflow.id, workflow_version: 1, input: {} });
      return execution.id;
    }

    it('appends the events and writes the step runs, log lines and execution row derived from them', async () => {
      const tenant = ctx.tenant();
      const ex = await newExecution(tenant);
      const e1 = taskCompleted(tenant, ex, 1);
      const e2 = taskCompleted(tenant, ex, 2);
      const { calls, derive } = recordingDerive(tenant, ex);
      const stored = await ctx.db().advance(tenant, ex, [e1, e2], 0, derive);
      expect(stored).toEqual([
        { ...e1, sequence: 1 },
        { ...e2, sequence: 2 },
      ]);
      expect(calls.at(-1)).toEqual(stored);
      expect(await ctx.db().events.list(tenant, ex)).toEqual(stored);
      const steps = await ctx.db().steps.listByExecution(tenant, ex);
      expect(steps.map((s) => [s.id, s.task_name, s.output])).toEqual([
        [`st_${ex}_1`, 't1', { sequence: 1 }],
        [`st_${ex}_2`, 't2', { sequence: 2 }],
      ]);
      expect((await ctx.db().logs.list(tenant, ex)).map((l) => l.message)).toEqual(['event 1', 'event 2']);
      const row = await ctx.db().executions.get(tenant, ex);
      expect(row).toMatchObject({ status: 'running', current_task: '/do/2' });

      // The next step, at the sequence the first left the history at.
      const e3 = taskCompleted(tenant, ex, 3);
      expect(await ctx.db().advance(tenant, ex, [e3], 2, recordingDerive(tenant, ex).derive)).toEqual([
        { ...e3, sequence: 3 },
      ]);
      expect((await ctx.db().steps.listByExecution(tenant, ex)).map((s) => s.id)).toEqual(
        [1, 2, 3].map((n) => `st_${ex}_${n}`),
      );
      expect((await ctx.db().executions.get(tenant, ex)).current_task).toBe('/do/3');
    });

    it('writes nothing when the history is not at the expected sequence', async () => {
      const tenant = ctx.tenant();
      const ex = await newExecution(tenant);
      const e1 = taskCompleted(tenant, ex, 1);
      await ctx.db().events.append(tenant, ex, [e1]);
      const before = await ctx.db().executions.get(tenant, ex);
      for (const expected of [0, 2]) {
        await expect(
          ctx.db().advance(tenant, ex, [taskCompleted(tenant, ex, 5)], expected, recordingDerive(tenant, ex).derive),
        ).rejects.toBeInstanceOf(ConflictError);
      }
      expect(await ctx.db().events.list(tenant, ex)).toEqual([{ ...e1, sequence: 1 }]);
      expect(await ctx.db().steps.listByExecution(tenant, ex)).toEqual([]);
      expect(await ctx.db().logs.list(tenant, ex)).toEqual([]);
      expect(await ctx.db().executions.get(tenant, ex)).toEqual(before);
    });

    it('derives the rows from the events it stored when some were stored already', async () => {
      const tenant = ctx.tenant();
      const ex = await newExecution(tenant);
      const e1 = taskCompleted(tenant, ex, 1);
      const e2 = taskCompleted(tenant, ex, 2);
      await ctx.db().events.append(tenant, ex, [e1]);
      // At sequence 1, e1 is a repeat: only e2 is stored, at 2, and the rows are e2's at 2.
      const { calls, derive } = recordingDerive(tenant, ex);
      const stored = await ctx.db().advance(tenant, ex, [e1, e2], 1, derive);
      expect(stored).toEqual([{ ...e2, sequence: 2 }]);
      expect(calls.at(-1)).toEqual(stored);
      const steps = await ctx.db().steps.listByExecution(tenant, ex);
      expect(steps.map((s) => [s.id, s.task_name])).toEqual([[`st_${ex}_2`, 't2']]);
      expect((await ctx.db().logs.list(tenant, ex)).map((l) => l.message)).toEqual(['event 2']);
    });

    it('leaves a terminal execution row as it is and still appends', async () => {
      const tenant = ctx.tenant();
      const ex = await newExecution(tenant);
      const ended = await ctx.db().executions.update(tenant, ex, { status: 'cancelled' });
      const e1 = taskCompleted(tenant, ex, 1);
      await ctx.db().advance(tenant, ex, [e1], 0, recordingDerive(tenant, ex).derive);
      expect(await ctx.db().events.list(tenant, ex)).toEqual([{ ...e1, sequence: 1 }]);
      expect((await ctx.db().steps.listByExecution(tenant, ex)).map((s) => s.id)).toEqual([`st_${ex}_1`]);
      const row = await ctx.db().executions.get(tenant, ex);
      expect(row.status).toBe('cancelled');
      expect(row.current_task).toBe(ended.current_task);
    });
  });
}
