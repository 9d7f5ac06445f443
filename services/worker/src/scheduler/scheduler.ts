import type { Database, Logger } from '@wormhole/interfaces';
import { ensureError, isTerminalStatus, scheduleTickIdempotencyKey } from '@wormhole/interfaces';
import type { LastExecution } from '@wormhole/dsl';
import { afterTick, latestDueTick } from '@wormhole/dsl';
import { Periodic } from '@wormhole/platform';
import type { ScheduledWorkflow, ScheduledWorkflows } from './scheduled-workflows';
import type { ScheduledStart } from './scheduled-start';

export interface SchedulerSettings {
  /** How often due ticks are looked for: the lateness of a tick is at most this. */
  readonly tickMs: number;
}

/**
 * Starts the executions of timed schedules (`every`, `cron`, `after`) without a client call.
 * Every worker replica runs one; they agree without talking to each other because a tick's
 * execution has a deterministic idempotency key (workflow, tick instant): of two replicas
 * starting one tick, the second gets the first's execution. Only the latest due tick of a
 * workflow is started (missed ticks are not made up as a burst).
 */
export class Scheduler {
  private readonly periodic: Periodic;
  /** The tick each workflow last started from here: spares the database a repeated create. */
  private readonly started = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly workflows: ScheduledWorkflows,
    private readonly starter: ScheduledStart,
    private readonly logger: Logger,
    settings: SchedulerSettings,
  ) {
    this.periodic = new Periodic(
      settings.tickMs,
      async () => {
        await this.runOnce();
      },
      (e) => this.logger.error('scheduler pass failed', { err: ensureError(e) }),
    );
  }

  /** A pass now, then one every `tickMs`. */
  start(): void {
    this.periodic.start();
    void this.periodic.runNow();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass over every scheduled workflow. @returns how many executions it started or found started */
  async runOnce(now = new Date()): Promise<number> {
    let started = 0;
    const live = new Set<string>();
    for (const scheduled of await this.workflows.list(now.getTime())) {
      live.add(scheduled.workflow.id);
      try {
        const tick = await this.dueTick(scheduled, now);
        if (tick !== undefined && (await this.startTick(scheduled, tick))) started++;
      } catch (e) {
        // One workflow's failure (e.g. a lost connection) must not stop the others' ticks.
        this.logger.error('scheduled start failed', { workflow_id: scheduled.workflow.id, err: ensureError(e) });
      }
    }
    for (const id of this.started.keys()) if (!live.has(id)) this.started.delete(id);
    return started;
  }

  /** The tick to start now, if any: the later of the timed ticks that are due. */
  private async dueTick(scheduled: ScheduledWorkflow, now: Date): Promise<Date | undefined> {
    const { workflow, schedule } = scheduled;
    const createdAt = new Date(workflow.created_at);
    const candidates = [latestDueTick(schedule, createdAt, now)];
    if (schedule.afterMs !== undefined) {
      const after = afterTick(schedule.afterMs, createdAt, await this.lastExecution(scheduled));
      if (after !== undefined && after.getTime() <= now.getTime()) candidates.push(after);
    }
    const due = candidates.filter((t): t is Date => t !== undefined);
    if (due.length === 0) return undefined;
    const tick = Math.max(...due.map((t) => t.getTime()));
    return this.started.get(workflow.id) === tick ? undefined : new Date(tick);
  }

  /** The workflow's most recent execution, whatever started it (`after` loops from its end). */
  private async lastExecution(scheduled: ScheduledWorkflow): Promise<LastExecution | undefined> {
    const { items } = await this.db.executions.list(scheduled.workflow.tenant_id, {
      workflowId: scheduled.workflow.id,
      sortBy: 'started_at',
      sortOrder: 'desc',
      limit: 1,
      offset: 0,
    });
    const last = items[0];
    if (last === undefined) return undefined;
    return {
      ended: isTerminalStatus(last.status),
      ...(last.completed_at !== undefined ? { completed_at: last.completed_at } : {}),
    };
  }

  private async startTick(scheduled: ScheduledWorkflow, tick: Date): Promise<boolean> {
    const ok = await this.starter.start(scheduled, 'tick', {
      input: {},
      idempotency_key: scheduleTickIdempotencyKey(scheduled.workflow.id, tick),
    });
    if (ok) this.started.set(scheduled.workflow.id, tick.getTime());
    return ok;
  }
}
