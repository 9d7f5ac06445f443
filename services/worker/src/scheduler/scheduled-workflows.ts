import type { Database, Logger, WorkflowDefinition } from '@wormhole/interfaces';
import type { WorkflowSchedule } from '@wormhole/dsl';
import { ScheduleError, readSchedule } from '@wormhole/dsl';

/** An active workflow with a `schedule`, as of its current version. */
export interface ScheduledWorkflow {
  readonly workflow: WorkflowDefinition;
  readonly schedule: WorkflowSchedule;
}

/**
 * The scheduled workflows of every tenant, read from the database at most once per `maxAgeMs`
 * and shared by the timed scheduler and the event router. A workflow created, changed or deleted
 * is seen within `maxAgeMs`; a start for one deleted meanwhile is refused by the starter.
 */
export class ScheduledWorkflows {
  private cached: { at: number; items: readonly ScheduledWorkflow[] } | undefined;
  private loading: Promise<readonly ScheduledWorkflow[]> | undefined;
  /** `<workflow> <version>` of the schedules already reported as unrunnable (reported once). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly maxAgeMs: number,
  ) {}

  /** The list, reloaded when older than `maxAgeMs` (concurrent callers share one load). */
  async list(now = Date.now()): Promise<readonly ScheduledWorkflow[]> {
    if (this.cached && now - this.cached.at < this.maxAgeMs) return this.cached.items;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** The tenant's workflows with `schedule.on`. */
  async onEvents(tenantId: string): Promise<ScheduledWorkflow[]> {
    return (await this.list()).filter((s) => s.workflow.tenant_id === tenantId && s.schedule.on !== undefined);
  }

  private async load(): Promise<readonly ScheduledWorkflow[]> {
    const at = Date.now();
    const items = (await this.db.maintenance.findScheduled()).flatMap((workflow) => this.read(workflow));
    this.cached = { at, items };
    return items;
  }

  private read(workflow: WorkflowDefinition): ScheduledWorkflow[] {
    try {
      const schedule = readSchedule(workflow.definition);
      return schedule ? [{ workflow, schedule }] : [];
    } catch (e) {
      // Registered before POST /workflows checked schedules: it never fires; say so once.
      if (!(e instanceof ScheduleError)) throw e;
      const key = `${workflow.id} ${workflow.version}`;
      if (this.reported.has(key)) return [];
      this.reported.add(key);
      this.logger.warn('workflow schedule cannot run', {
        tenant_id: workflow.tenant_id,
        workflow_id: workflow.id,
        error: e.message,
      });
      return [];
    }
  }
}
