/**
 * One subscriber of one consumer group on the tables: registers the group and backfills its
 * delivery rows, claims the oldest unread rows of its group, sleeps until a publish in this process wakes it (or `pollMs` passes, for publishes from
 * elsewhere), and supplies the lease-based reclaim and heartbeat to the Subscriber.
 */
import type { Logger, StreamMessage, SubscribeOptions, Subscription } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { MessageSink } from '../core/message-sink';
import { sleep } from '@wormhole/platform';
import type { MessageRef, RawMessage, SubscriberBackend } from '../core/subscriber';
import { Subscriber } from '../core/subscriber';
import type { StreamWakeups } from '../core/wakeups';
import type { PgPool } from './pool';
import type { ResolvedPostgresSettings } from './settings';
import type { Statements } from './sql';

interface ReadRow {
  id: string;
  stream: string;
  body: string;
  target_group: string | null;
  deliveries: number;
}

export interface PostgresSubscriptionHost {
  readonly pool: PgPool;
  readonly sql: Statements;
  readonly settings: ResolvedPostgresSettings;
  readonly logger: Logger;
  readonly sink: MessageSink;
  readonly wakeups: StreamWakeups;
}

export class PostgresSubscription implements Subscription, SubscriberBackend {
  private readonly subscriber: Subscriber;
  private readonly loop: Promise<void>;
  private cancelWait: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly host: PostgresSubscriptionHost,
    private readonly options: SubscribeOptions,
    handler: (message: StreamMessage) => Promise<void>,
  ) {
    this.subscriber = new Subscriber(options, handler, host.sink, host.settings, this, host.logger);
    this.loop = this.run();
  }

  close(): Promise<void> {
    this.closing ??= this.subscriber.stop(async () => {
      this.cancelWait?.();
      await this.loop;
    });
    return this.closing;
  }

  async reclaim(accept: (message: RawMessage) => void, hasRoom: () => boolean): Promise<void> {
    if (!hasRoom()) return;
    const { group, consumer } = this.options;
    const { batchSize, claimIdleMs } = this.host.settings;
    const params = [group, consumer, batchSize, claimIdleMs];
    const result = await this.host.pool.query<ReadRow>(this.host.sql.reclaim, params);
    for (const row of result.rows) accept(toRaw(row));
  }

  async heartbeat(running: readonly MessageRef[]): Promise<MessageRef[]> {
    const { group, consumer } = this.options;
    const ids = running.map((ref) => ref.id);
    const params = [group, consumer, ids, this.host.settings.claimIdleMs];
    const result = await this.host.pool.query<{ id: string }>(this.host.sql.heartbeat, params);
    const held = new Set(result.rows.map((row) => row.id));
    return running.filter((ref) => !held.has(ref.id));
  }

  private async run(): Promise<void> {
    let backoffMs = 50;
    let registered = false;
    while (!this.subscriber.stopped) {
      try {
        if (!registered) {
          await this.register();
          registered = true;
          this.subscriber.startTimers();
        }
        await this.subscriber.waitForRoom();
        if (this.subscriber.stopped) return;
        const seen = this.host.wakeups.current;
        const claimed = await this.claim();
        backoffMs = 50;
        if (claimed === 0) await this.idle(seen);
      } catch (e) {
        if (this.subscriber.stopped) return;
        this.host.logger.warn('stream read failed; retrying', { err: ensureError(e), group: this.options.group });
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /**
   * A publish that started before a new group's registration committed fans out without it. Such
   * publishes finish within milliseconds, so the backfill waits them out before the first read:
   * otherwise their messages would reach the group after later ones, out of order.
   */
  private async register(): Promise<void> {
    const { pool, sql, settings } = this.host;
    const created = await pool.query(sql.registerGroup, [this.options.group]);
    if ((created.rowCount ?? 0) > 0) await sleep(settings.registrationSettleMs);
    await pool.query(sql.backfill, [this.options.group]);
  }

  private async claim(): Promise<number> {
    const { group, consumer } = this.options;
    const limit = Math.min(this.host.settings.batchSize, this.subscriber.room());
    const params = [group, consumer, limit, this.host.settings.claimIdleMs];
    const result = await this.host.pool.query<ReadRow>(this.host.sql.claimNew, params);
    for (const row of result.rows) this.subscriber.accept(toRaw(row));
    return result.rows.length;
  }

  private async idle(seen: number): Promise<void> {
    if (this.subscriber.stopped) return;
    const waiting = this.host.wakeups.wait(seen, this.host.settings.pollMs);
    this.cancelWait = waiting.cancel;
    await waiting.done;
    this.cancelWait = undefined;
  }
}

function toRaw(row: ReadRow): RawMessage {
  return {
    stream: row.stream,
    id: row.id,
    body: row.body,
    targetGroup: row.target_group ?? undefined,
    deliveries: Number(row.deliveries),
  };
}
