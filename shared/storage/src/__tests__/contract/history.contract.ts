import type { EngineEvent, LogEntry, StepRun } from '@wormhole/interfaces';
import { ConflictError, newId } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';

function taskCompleted(tenant: string, executionId: string, n: number, id = newId('event')): EngineEvent {
  return {
    specversion: '1.0',
    id,
    source: 'wormhole/worker',
    type: 'io.wormhole.task.completed',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    tenantid: tenant,
    workflowid: 'wf_test',
    executionid: executionId,
    data: { task_path: `/do/${n}/t${n}`, task_name: `t${n}`, task_type: 'set', attempt: 1, output: { n } },
  };
}

function step(tenant: string, executionId: string, n: number, patch: Partial<StepRun> = {}): StepRun {
  return {
    id: `st_${executionId}_${n}`,
    tenant_id: tenant,
    execution_id: executionId,
    task_name: `t${n}`,
    task_path: `/do/${n}/t${n}`,
    task_type: 'call',
    status: 'running',
    attempt: 1,
    input: { n },
    started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    ...patch,
  };
}

function log(tenant: string, executionId: string, n: number, patch: Partial<LogEntry> = {}): LogEntry {
  return {
    tenant_id: tenant,
    execution_id: executionId,
    level: 'info',
    message: `line ${n}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    ...patch,
  };
}

export function historyContract(ctx: ContractContext): void {
  describe('step runs', () => {
    it('upserts step runs and lists them oldest first', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      await ctx.db().steps.upsert(tenant, step(tenant, ex, 2));
      await ctx.db().steps.upsert(tenant, step(tenant, ex, 1));
      const done = step(tenant, ex, 1, {
        status: 'completed',
        output: { ok: true },
        completed_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString(),
        duration_ms: 2000,
      });
      await ctx.db().steps.upsert(tenant, done);
      const retry = step(tenant, ex, 2, {
        id: `st_${ex}_2b`,
        attempt: 2,
        status: 'faulted',
        error: { type: 't', status: 500 },
      });
      await ctx.db().steps.upsert(tenant, retry);
      const steps = await ctx.db().steps.listByExecution(tenant, ex);
      expect(steps).toEqual([done, step(tenant, ex, 2), retry]);
      expect(await ctx.db().steps.listByExecution(ctx.tenant(), ex)).toEqual([]);
    });
  });

  describe('events', () => {
    it('appends in order with consecutive sequences and ignores duplicate ids', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const e1 = taskCompleted(tenant, ex, 1);
      const e2 = taskCompleted(tenant, ex, 2);
      const first = await ctx.db().events.append(tenant, ex, [e1, e2]);
      expect(first).toEqual([
        { ...e1, sequence: 1 },
        { ...e2, sequence: 2 },
      ]);
      const e3 = taskCompleted(tenant, ex, 3);
      const second = await ctx.db().events.append(tenant, ex, [e2, e3, e1]);
      expect(second).toEqual([{ ...e3, sequence: 3 }]);
      expect(await ctx.db().events.append(tenant, ex, [e3])).toEqual([]);
      expect(await ctx.db().events.list(tenant, ex)).toEqual([
        { ...e1, sequence: 1 },
        { ...e2, sequence: 2 },
        { ...e3, sequence: 3 },
      ]);
      expect(await ctx.db().events.list(tenant, ex, 1)).toEqual([
        { ...e2, sequence: 2 },
        { ...e3, sequence: 3 },
      ]);
      expect(await ctx.db().events.list(tenant, ex, 3)).toEqual([]);
    });

    it('keeps every event of every type with its payload intact', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const base = {
        specversion: '1.0' as const,
        source: 'wormhole/test',
        tenantid: tenant,
        workflowid: 'wf_x',
        executionid: ex,
      };
      const events: EngineEvent[] = [
        {
          ...base,
          id: newId('event'),
          type: 'io.wormhole.execution.started',
          data: { input: { a: [1] }, workflow_version: 3 },
        },
        {
          ...base,
          id: newId('event'),
          type: 'io.wormhole.task.failed',
          subject: 'task',
          data: {
            task_path: '/do/0/x',
            task_name: 'x',
            task_type: 'call',
            attempt: 2,
            retryable: false,
            error: {
              type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
              status: 404,
              detail: 'nope',
            },
          },
        },
        { ...base, id: newId('event'), type: 'io.wormhole.execution.cancelled', data: {} },
      ];
      await ctx.db().events.append(tenant, ex, events);
      const stored = await ctx.db().events.list(tenant, ex);
      expect(stored).toEqual(events.map((e, i) => ({ ...e, sequence: i + 1 })));
    });

    it('serialises concurrent appends to one execution', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const batches = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 3 }, (_, i) => taskCompleted(tenant, ex, b * 3 + i)),
      );
      const results = await Promise.all(batches.map((batch) => ctx.db().events.append(tenant, ex, batch)));
      expect(results.flat()).toHaveLength(18);
      const stored = await ctx.db().events.list(tenant, ex);
      expect(stored.map((e) => e.sequence)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      expect(new Set(stored.map((e) => e.id)).size).toBe(18);
      // Each batch stays contiguous and in order: appends are atomic.
      for (const batch of batches) {
        const positions = batch.map((e) => stored.findIndex((s) => s.id === e.id));
        expect(positions[1]).toBe(positions[0]! + 1);
        expect(positions[2]).toBe(positions[0]! + 2);
      }
    });

    it('appends only at the expected sequence, writing nothing otherwise', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const e1 = taskCompleted(tenant, ex, 1);
      const e2 = taskCompleted(tenant, ex, 2);
      expect(await ctx.db().events.append(tenant, ex, [e1], { expectedSequence: 0 })).toEqual([{ ...e1, sequence: 1 }]);
      await expect(ctx.db().events.append(tenant, ex, [e2], { expectedSequence: 0 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(ctx.db().events.append(tenant, ex, [e2], { expectedSequence: 2 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await ctx.db().events.list(tenant, ex)).toEqual([{ ...e1, sequence: 1 }]);
      expect(await ctx.db().events.append(tenant, ex, [e2], { expectedSequence: 1 })).toEqual([{ ...e2, sequence: 2 }]);
    });

    it('conflicts at a wrong expected sequence also when every event is stored already', async () => {
      // The worker takes a start for a new run's and appends it at sequence 0 without reading: a
      // redelivered start must conflict there, not pass as an append of nothing new.
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const e1 = taskCompleted(tenant, ex, 1);
      await ctx.db().events.append(tenant, ex, [e1]);
      await expect(ctx.db().events.append(tenant, ex, [e1], { expectedSequence: 0 })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('lets exactly one of two racing writers append at one expected sequence', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      await ctx.db().events.append(tenant, ex, [taskCompleted(tenant, ex, 1)]);
      const racers = [0, 1, 2, 3].map((i) =>
        ctx
          .db()
          .events.append(tenant, ex, [taskCompleted(tenant, ex, 10 + i), taskCompleted(tenant, ex, 20 + i)], {
            expectedSequence: 1,
          })
          .then(
            () => 'won',
            (e: unknown) => (e instanceof ConflictError ? 'conflict' : e),
          ),
      );
      const results = await Promise.all(racers);
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'conflict')).toHaveLength(3);
      expect((await ctx.db().events.list(tenant, ex)).map((e) => e.sequence)).toEqual([1, 2, 3]);
    });

    it("keeps one tenant's events from another", async () => {
      const a = ctx.tenant();
      const ex = newId('execution');
      await ctx.db().events.append(a, ex, [taskCompleted(a, ex, 1)]);
      expect(await ctx.db().events.list(ctx.tenant(), ex)).toEqual([]);
    });
  });

  describe('snapshots', () => {
    it('keeps the newest snapshot and ignores older ones', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      expect(await ctx.db().snapshots.load(tenant, ex)).toBeUndefined();
      const state = { status: 'running', stack: [{ path: '/do', index: 2 }], context: { a: [1, { b: null }] } };
      await ctx.db().snapshots.save(tenant, ex, { sequence: 5, state });
      expect(await ctx.db().snapshots.load(tenant, ex)).toEqual({ sequence: 5, state });
      await ctx.db().snapshots.save(tenant, ex, { sequence: 3, state: { stale: true } });
      expect(await ctx.db().snapshots.load(tenant, ex)).toEqual({ sequence: 5, state });
      await ctx.db().snapshots.save(tenant, ex, { sequence: 9, state: { newer: true } });
      expect(await ctx.db().snapshots.load(tenant, ex)).toEqual({ sequence: 9, state: { newer: true } });
      expect(await ctx.db().snapshots.load(ctx.tenant(), ex)).toBeUndefined();
    });
  });

  describe('logs', () => {
    it('appends and lists log lines oldest first with filters', async () => {
      const tenant = ctx.tenant();
      const ex = newId('execution');
      const lines = [
        log(tenant, ex, 1),
        log(tenant, ex, 2, {
          level: 'error',
          step_run_id: 'st_1',
          task: '/do/0/a',
          context: { code: 42, nested: { ok: false } },
        }),
        log(tenant, ex, 3, { level: 'debug', step_run_id: 'st_1' }),
        log(tenant, ex, 4, { level: 'warn', step_run_id: 'st_2' }),
      ];
      await ctx.db().logs.append(tenant, [lines[2]!, lines[0]!]);
      await ctx.db().logs.append(tenant, [lines[1]!, lines[3]!]);
      await ctx.db().logs.append(tenant, [log(tenant, newId('execution'), 5)]);
      expect(await ctx.db().logs.list(tenant, ex)).toEqual(lines);
      expect(await ctx.db().logs.list(tenant, ex, { stepRunId: 'st_1' })).toEqual([lines[1], lines[2]]);
      expect(await ctx.db().logs.list(tenant, ex, { level: 'error' })).toEqual([lines[1]]);
      expect(await ctx.db().logs.list(tenant, ex, { limit: 2 })).toEqual(lines.slice(0, 2));
      expect(await ctx.db().logs.list(ctx.tenant(), ex)).toEqual([]);
    });

    it('accepts an empty batch', async () => {
      await expect(ctx.db().logs.append(ctx.tenant(), [])).resolves.toBeUndefined();
    });

    it('purges the lines of every tenant stamped before a cutoff, a bounded batch per call', async () => {
      const [a, b] = [ctx.tenant(), ctx.tenant()];
      const [exA, exB] = [newId('execution'), newId('execution')];
      // Year 2000: older than every other line of the suite, which a purge must not touch.
      const at = (month: number): Partial<LogEntry> => ({
        timestamp: new Date(Date.UTC(2000, month, 1)).toISOString(),
      });
      const keptA = log(a, exA, 3, at(8));
      await ctx.db().logs.append(a, [log(a, exA, 1, at(0)), keptA, log(a, exA, 2, at(1))]);
      await ctx.db().logs.append(b, [log(b, exB, 4, at(2))]);
      const cutoff = new Date(Date.UTC(2000, 5, 1)).toISOString();
      const purged: number[] = [];
      for (let n = -1; n !== 0;) purged.push((n = await ctx.db().logs.purge(cutoff, 1)));
      expect(purged.length).toBeGreaterThan(2); // bounded: one line (or one execution's lines) per call
      expect(purged.reduce((sum, n) => sum + n, 0)).toBe(3);
      expect(await ctx.db().logs.list(a, exA)).toEqual([keptA]);
      expect(await ctx.db().logs.list(b, exB)).toEqual([]);
      expect(await ctx.db().logs.purge(cutoff, 1000)).toBe(0);
    });
  });
}
