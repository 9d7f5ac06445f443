/**
 * The EventStream on Postgres tables (embedded mode on PGlite, or Postgres alone). Same contract
 * as the Redis one; see HOW_IT_WORKS.md for how groups, leases, dead letters and trimming map to
 * rows.
 */
import type {
  DeadLetter,
  EngineEvent,
  EventStream,
  Logger,
  StreamMessage,
  SubscribeOptions,
  Subscription,
  BackendHealth,
} from '@wormhole/interfaces';
import { NotFoundError, UnavailableError, ValidationError, ensureError } from '@wormhole/interfaces';
import { MessageSink } from '../core/message-sink';
import type { TransportMetrics } from '../core/metrics';
import { transportMetrics } from '../core/metrics';
import { MicroBatcher, Periodic, probeBackend } from '@wormhole/platform';
import { StreamWakeups } from '../core/wakeups';
import type { PoisonMessage, TransportDeps } from '../deps';
import { parseEngineEvent, serializeEngineEvent, validateEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import { createKeys } from '../keys';
import type { PgPool } from './pool';
import { PostgresSettler } from './postgres-settler';
import { PostgresSubscription } from './postgres-subscription';
import type { PostgresSubscriptionHost } from './postgres-subscription';
import type { PostgresEventStreamSettings, ResolvedPostgresSettings } from './settings';
import { resolvePostgresSettings } from './settings';
import type { Statements } from './sql';
import { ddl, statements } from './sql';

interface LetterRow {
  id: string;
  stream: string;
  message_id: string;
  group_name: string;
  body: string;
  error: string;
  deliveries: number;
  dead_at: Date;
}

export interface PostgresEventStreamDeps extends TransportDeps {
  /** Shared by every stream object of the process on the same tables, so publishes wake them all. */
  readonly wakeups?: StreamWakeups;
}

export class PostgresEventStream implements EventStream {
  /** Stream names as on Redis, without a prefix: the schema is the namespace. */
  private readonly keys: TransportKeys = createKeys('');
  private readonly sql: Statements;
  private readonly logger: Logger;
  private readonly metrics: TransportMetrics;
  private readonly wakeups: StreamWakeups;
  private readonly sink: MessageSink;
  private readonly trimmer: Periodic;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private trimDue = false;
  /** Publishes of one event-loop turn become one INSERT (one commit), in call order. */
  private readonly publishes = new MicroBatcher<{ stream: string; tenant: string; body: string }>((batch) =>
    this.insert(batch),
  );
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: PgPool,
    private readonly settings: ResolvedPostgresSettings,
    deps: PostgresEventStreamDeps,
  ) {
    this.sql = statements(settings.schema);
    this.logger = deps.logger.child({ component: 'transport', backend: 'postgres' });
    this.metrics = transportMetrics(deps.metrics, 'postgres');
    this.wakeups = deps.wakeups ?? new StreamWakeups();
    const settler = new PostgresSettler(pool, this.sql, this.keys, () => (this.trimDue = true));
    this.sink = new MessageSink(this.keys, settler, settings.maxDeliveries, this.logger, this.metrics);
    this.trimmer = new Periodic(
      settings.trimIntervalMs,
      () => this.trim(),
      (e) => this.logger.warn('stream trim failed', { err: ensureError(e) }),
    ).start();
  }

  /** Creates the tables (unless `createSchema: false`) and returns the stream. The pool stays the caller's. */
  static async create(
    pool: PgPool,
    settings: PostgresEventStreamSettings,
    deps: PostgresEventStreamDeps,
  ): Promise<PostgresEventStream> {
    const resolved = resolvePostgresSettings(settings);
    if (resolved.createSchema) {
      try {
        await pool.query(ddl(resolved.schema));
      } catch (e) {
        throw new UnavailableError('postgres', `cannot create the stream tables: ${ensureError(e).message}`, {
          cause: e,
        });
      }
    }
    return new PostgresEventStream(pool, resolved, deps);
  }

  async publish(event: EngineEvent): Promise<void> {
    this.assertOpen();
    const check = validateEngineEvent(event);
    if (!check.ok) throw new ValidationError(`invalid engine event: ${check.error}`);
    const stream = this.keys.workflowEvents(event.tenantid, event.workflowid);
    try {
      await this.publishes.add({ stream, tenant: event.tenantid, body: serializeEngineEvent(event) });
    } catch (e) {
      throw new UnavailableError('postgres', `publish failed: ${ensureError(e).message}`, { cause: e });
    }
    this.metrics.published.inc({ type: event.type });
    this.wakeups.notify();
  }

  subscribe(options: SubscribeOptions, handler: (message: StreamMessage) => Promise<void>): Subscription {
    this.assertOpen();
    if (!options.group || !options.consumer) {
      throw new ValidationError('a subscriber needs a group and a consumer name');
    }
    const host: PostgresSubscriptionHost = {
      pool: this.pool,
      sql: this.sql,
      settings: this.settings,
      logger: this.logger,
      sink: this.sink,
      wakeups: this.wakeups,
    };
    const subscription = new PostgresSubscription(host, options, handler);
    this.subscriptions.add(subscription);
    return {
      close: async () => {
        await subscription.close();
        this.subscriptions.delete(subscription);
      },
    };
  }

  async listDeadLetters(tenantId: string, limit: number): Promise<DeadLetter[]> {
    const rows = await this.letters(tenantId, 'dead', limit);
    const letters: DeadLetter[] = [];
    for (const row of rows) {
      const parsed = parseEngineEvent(row.body);
      if (!parsed.ok) {
        this.logger.error('unreadable dead letter skipped', {
          tenant_id: tenantId,
          entry_id: row.id,
          error: parsed.error,
        });
        continue;
      }
      const { id, stream, error, deliveries } = row;
      letters.push({ id, stream, event: parsed.event, error, deliveries, dead_at: row.dead_at.toISOString() });
    }
    return letters;
  }

  /** Moves the dead letter back into its stream, addressed to the group that failed it, in one statement. */
  async redrive(tenantId: string, deadLetterId: string): Promise<void> {
    this.assertOpen();
    if (!/^\d{1,18}$/.test(deadLetterId)) throw new NotFoundError('dead letter', tenantId, deadLetterId);
    const result = await this.pool.query(this.sql.redrive, [tenantId, deadLetterId]);
    if (result.rowCount === 0) throw new NotFoundError('dead letter', tenantId, deadLetterId);
    this.wakeups.notify();
  }

  /** A tenant's quarantined poison messages, oldest first. */
  async listPoisonMessages(tenantId: string, limit: number): Promise<PoisonMessage[]> {
    const rows = await this.letters(tenantId, 'poison', limit);
    return rows.map((row) => ({
      id: row.id,
      stream: row.stream,
      message_id: row.message_id,
      group: row.group_name,
      raw: row.body,
      error: row.error,
      dead_at: row.dead_at.toISOString(),
    }));
  }

  /** Pings the transport. Never throws. */
  async health(): Promise<BackendHealth> {
    return probeBackend('stream:postgres', () => this.pool.query('SELECT 1'));
  }

  /** Never called: a publish is a committed row, and Postgres keeps what it committed. */
  onMessagesLost(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.publishes.idle();
    await this.sink.settled();
    await this.trimmer.stop();
    // One last pass, so acknowledgements just before a shutdown still count.
    await this.trim().catch((e: unknown) => this.logger.warn('final stream trim failed', { err: ensureError(e) }));
  }

  private async insert(batch: readonly { stream: string; tenant: string; body: string }[]): Promise<void> {
    const columns = [batch.map((m) => m.stream), batch.map((m) => m.tenant), batch.map((m) => m.body)];
    await this.pool.query(this.sql.publish, columns);
  }

  private async letters(tenantId: string, kind: 'dead' | 'poison', limit: number): Promise<LetterRow[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ValidationError(`limit must be a positive integer, got ${limit}`);
    }
    const result = await this.pool.query<LetterRow>(this.sql.listDeadLetters, [tenantId, kind, limit]);
    return result.rows;
  }

  private async trim(): Promise<void> {
    if (!this.trimDue) return;
    this.trimDue = false;
    try {
      const result = await this.pool.query(this.sql.trim);
      const removed = result.rowCount ?? 0;
      if (removed > 0) this.metrics.trimmed.inc({}, removed);
      // A full batch means there may be more.
      if (removed >= 5000) this.trimDue = true;
    } catch (e) {
      this.trimDue = true;
      throw e;
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError('postgres', 'the event stream is closed');
  }
}
