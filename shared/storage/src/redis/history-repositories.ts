import type { Redis } from 'ioredis';
import type {
  AppendOptions,
  EngineEvent,
  EventRepository,
  ExecutionSnapshot,
  JsonObject,
  LogEntry,
  LogQuery,
  LogRepository,
  SnapshotRepository,
  StepRun,
  StepRunRepository,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import { ConflictError, newId } from '@wormhole/interfaces';
import type { StorageKeys } from './keys';
import { Script } from './scripts';

const APPEND = Script.file('events_append.lua');
const SAVE_SNAPSHOT = Script.file('snapshot_save.lua');
const LIST_LOGS = Script.file('logs_list.lua');
const PURGE_LOGS = Script.file('logs_purge.lua');
const UPSERT_STEP = Script.file('step_upsert.lua');

/** Step runs: a hash of JSON by id, ordered by a sorted set on start time. */
export class RedisStepRunRepository implements StepRunRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async upsert(tenantId: string, step: StepRun): Promise<void> {
    await UPSERT_STEP.run(
      this.redis,
      [this.keys.steps(tenantId, step.execution_id), this.keys.stepOrder(tenantId, step.execution_id)],
      [step.id, JSON.stringify({ ...step, tenant_id: tenantId }), Date.parse(step.started_at)],
    );
  }

  async listByExecution(tenantId: string, executionId: string): Promise<StepRun[]> {
    const ids = await this.redis.zrange(this.keys.stepOrder(tenantId, executionId), '0', '-1');
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.keys.steps(tenantId, executionId), ...ids);
    return values.flatMap((v) => (v ? [JSON.parse(v) as StepRun] : []));
  }
}

export class RedisEventRepository implements EventRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async append(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    options: AppendOptions = {},
  ): Promise<StoredEngineEvent[]> {
    const pairs = events.flatMap((e) => [e.id, JSON.stringify(e)]);
    let sequences: number[];
    try {
      sequences = (await APPEND.run(
        this.redis,
        [this.keys.events(tenantId, executionId), this.keys.eventIds(tenantId, executionId)],
        [options.expectedSequence ?? -1, ...pairs],
      )) as number[];
    } catch (e) {
      if (String((e as Error).message).includes('CONFLICT')) {
        throw new ConflictError(`execution '${executionId}' history moved past sequence ${options.expectedSequence}`);
      }
      throw e;
    }
    return events.flatMap((event, i) => (sequences[i] ? [{ ...event, sequence: sequences[i] }] : []));
  }

  async list(tenantId: string, executionId: string, afterSequence = 0): Promise<StoredEngineEvent[]> {
    // The list index is the sequence minus one.
    const entries = await this.redis.lrange(this.keys.events(tenantId, executionId), afterSequence, -1);
    return entries.map((json) => {
      const { sequence, event } = JSON.parse(json) as { sequence: number; event: EngineEvent };
      return { ...event, sequence };
    });
  }
}

export class RedisSnapshotRepository implements SnapshotRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async save(tenantId: string, executionId: string, snapshot: ExecutionSnapshot): Promise<void> {
    await SAVE_SNAPSHOT.run(
      this.redis,
      [this.keys.snapshot(tenantId, executionId)],
      [snapshot.sequence, JSON.stringify(snapshot.state)],
    );
  }

  async load(tenantId: string, executionId: string): Promise<ExecutionSnapshot | undefined> {
    const [sequence, state] = await this.redis.hmget(this.keys.snapshot(tenantId, executionId), 'sequence', 'state');
    return sequence && state ? { sequence: Number(sequence), state: JSON.parse(state) as JsonObject } : undefined;
  }
}

/** Log lines in a sorted set by timestamp; each member carries a unique id so equal lines stay two. */
export class RedisLogRepository implements LogRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StorageKeys,
  ) {}

  async append(tenantId: string, entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byKey = new Map<string, { members: (string | number)[]; oldest: number }>();
    for (const entry of entries) {
      const key = this.keys.logs(tenantId, entry.execution_id);
      const member = JSON.stringify({ ...entry, tenant_id: tenantId, _id: newId('log') });
      const at = Date.parse(entry.timestamp);
      const lines = byKey.get(key) ?? { members: [], oldest: at };
      lines.members.push(at, member);
      lines.oldest = Math.min(lines.oldest, at);
      byKey.set(key, lines);
    }
    // Lines of one execution (the usual case) or several: one MULTI with the retention index,
    // which keeps each key at its oldest line (LT: never later), auto-pipelined with the client's
    // other commands.
    const pipeline = this.redis.multi();
    for (const [key, lines] of byKey) {
      pipeline.zadd(key, ...lines.members);
      pipeline.zadd(this.keys.logsByOldestLine(), 'LT', lines.oldest, key);
    }
    await pipeline.exec();
  }

  async purge(before: string, limit: number): Promise<number> {
    return Number(await PURGE_LOGS.run(this.redis, [this.keys.logsByOldestLine()], [Date.parse(before), limit]));
  }

  async list(tenantId: string, executionId: string, query: LogQuery = {}): Promise<LogEntry[]> {
    const lines = (await LIST_LOGS.run(
      this.redis,
      [this.keys.logs(tenantId, executionId)],
      [query.stepRunId ?? '', query.level ?? '', query.limit ?? 1000],
    )) as string[];
    return lines.map((line) => {
      const { _id: _unused, ...entry } = JSON.parse(line) as LogEntry & { _id: string };
      return entry;
    });
  }
}
