import type { Collection } from 'mongodb';
import type {
  AppendOptions,
  EngineEvent,
  EventRepository,
  ExecutionSnapshot,
  JsonObject,
  SnapshotRepository,
  StepRun,
  StepRunRepository,
  StoredEngineEvent,
} from '@wormhole/interfaces';
import { ConflictError } from '@wormhole/interfaces';
import type { StepRunDoc } from './documents';
import { isDuplicateKey, stepRunFromDoc, stepRunToDoc } from './documents';

export interface EventDoc {
  _id: string;
  tenant_id: string;
  execution_id: string;
  sequence: number;
  event_id: string;
  event_json: string;
}

/** The last sequence handed out per execution: the counter appends reserve their range from. */
export interface EventHeadDoc {
  _id: string;
  sequence: number;
}

export interface SnapshotDoc {
  _id: string;
  sequence: number;
  state_json: string;
}

const key = (tenantId: string, executionId: string): string => `${tenantId}:${executionId}`;

export class MongoStepRunRepository implements StepRunRepository {
  constructor(private readonly steps: Collection<StepRunDoc>) {}

  async upsert(tenantId: string, step: StepRun): Promise<void> {
    const doc = stepRunToDoc({ ...step, tenant_id: tenantId });
    await this.steps.replaceOne({ _id: doc._id, tenant_id: tenantId }, doc, { upsert: true });
  }

  async listByExecution(tenantId: string, executionId: string): Promise<StepRun[]> {
    const docs = await this.steps
      .find({ tenant_id: tenantId, execution_id: executionId })
      .sort({ started_at: 1, _id: 1 })
      .toArray();
    return docs.map(stepRunFromDoc);
  }
}

/**
 * Appends reserve a range of sequences on a per-execution head document (an atomic `$inc`, or a
 * compare-and-set on the expected sequence), then insert their events at those sequences. The
 * reservation serialises concurrent appends and keeps each batch contiguous.
 */
export class MongoEventRepository implements EventRepository {
  constructor(
    private readonly events: Collection<EventDoc>,
    private readonly heads: Collection<EventHeadDoc>,
  ) {}

  async append(
    tenantId: string,
    executionId: string,
    events: readonly EngineEvent[],
    options: AppendOptions = {},
  ): Promise<StoredEngineEvent[]> {
    const ids = [...new Set(events.map((e) => e.id))];
    const stored = await this.events
      .find({ tenant_id: tenantId, execution_id: executionId, event_id: { $in: ids } }, { projection: { event_id: 1 } })
      .toArray();
    const seen = new Set(stored.map((d) => d.event_id));
    const fresh: EngineEvent[] = [];
    for (const event of events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      fresh.push(event);
    }
    if (fresh.length === 0) {
      if (options.expectedSequence !== undefined) await this.checkHead(tenantId, executionId, options.expectedSequence);
      return [];
    }
    const start = await this.reserve(tenantId, executionId, fresh.length, options.expectedSequence);
    const withSequence = fresh.map((event, i) => ({ ...event, sequence: start + i + 1 }));
    await this.events.insertMany(
      withSequence.map((event) => ({
        _id: `${key(tenantId, executionId)}:${event.sequence}`,
        tenant_id: tenantId,
        execution_id: executionId,
        sequence: event.sequence,
        event_id: event.id,
        event_json: JSON.stringify(event),
      })),
    );
    return withSequence;
  }

  async list(tenantId: string, executionId: string, afterSequence = 0): Promise<StoredEngineEvent[]> {
    const docs = await this.events
      .find({ tenant_id: tenantId, execution_id: executionId, sequence: { $gt: afterSequence } })
      .sort({ sequence: 1 })
      .toArray();
    return docs.map((d) => JSON.parse(d.event_json) as StoredEngineEvent);
  }

  /** Returns the sequence before the reserved range. */
  private async reserve(tenantId: string, executionId: string, count: number, expected?: number): Promise<number> {
    const _id = key(tenantId, executionId);
    if (expected === undefined) {
      // No upsert here: concurrent upserts of a missing document are not atomic on every
      // MongoDB-compatible server. The head is created once (a duplicate-key loser ignores it),
      // then incremented atomically.
      for (;;) {
        const before = await this.heads.findOneAndUpdate(
          { _id },
          { $inc: { sequence: count } },
          { returnDocument: 'before' },
        );
        if (before) return before.sequence;
        await this.heads.insertOne({ _id, sequence: 0 }).catch((e: unknown) => {
          if (!isDuplicateKey(e)) throw e;
        });
      }
    }
    if (expected === 0) {
      try {
        await this.heads.insertOne({ _id, sequence: count });
        return 0;
      } catch (e) {
        if (isDuplicateKey(e)) throw conflict(executionId, expected);
        throw e;
      }
    }
    const before = await this.heads.findOneAndUpdate(
      { _id, sequence: expected },
      { $inc: { sequence: count } },
      { returnDocument: 'before' },
    );
    if (!before) throw conflict(executionId, expected);
    return expected;
  }

  private async checkHead(tenantId: string, executionId: string, expected: number): Promise<void> {
    const head = await this.heads.findOne({ _id: key(tenantId, executionId) });
    if ((head?.sequence ?? 0) !== expected) throw conflict(executionId, expected);
  }
}

function conflict(executionId: string, expected: number): ConflictError {
  return new ConflictError(`execution '${executionId}' history moved past sequence ${expected}`);
}

export class MongoSnapshotRepository implements SnapshotRepository {
  constructor(private readonly snapshots: Collection<SnapshotDoc>) {}

  async save(tenantId: string, executionId: string, snapshot: ExecutionSnapshot): Promise<void> {
    try {
      await this.snapshots.updateOne(
        { _id: key(tenantId, executionId), sequence: { $lt: snapshot.sequence } },
        { $set: { sequence: snapshot.sequence, state_json: JSON.stringify(snapshot.state) } },
        { upsert: true },
      );
    } catch (e) {
      // A newer snapshot exists: the upsert's insert collided with it, which is the intended no-op.
      if (!isDuplicateKey(e)) throw e;
    }
  }

  async load(tenantId: string, executionId: string): Promise<ExecutionSnapshot | undefined> {
    const doc = await this.snapshots.findOne({ _id: key(tenantId, executionId) });
    return doc ? { sequence: doc.sequence, state: JSON.parse(doc.state_json) as JsonObject } : undefined;
  }
}
