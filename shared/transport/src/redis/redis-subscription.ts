/**
 * One subscriber of one consumer group: reads every workflow stream through a few blocking shard
 * readers, hands messages to the handler through per-execution lanes, acknowledges on success,
 * and reclaims, heartbeats and dead-letters as described in HOW_IT_WORKS.md.
 */
import type Redis from 'ioredis';
import type {
  EngineEvent,
  EngineEventType,
  Logger,
  StreamMessage,
  SubscribeOptions,
  Subscription,
} from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { LaneDispatcher } from '../lane-dispatcher';
import { Periodic, sleep } from '../periodic';
import type { ReadReply } from './shard-reader';
import { ShardReader } from './shard-reader';
import { fieldValue } from './stream-directory';
import type { MessageSink } from './message-sink';
import { LuaScript } from './lua';
import { HEARTBEAT, RECLAIM } from './scripts';
import type { ResolvedRedisSettings } from './settings';

const reclaimScript = new LuaScript(RECLAIM);
const heartbeatScript = new LuaScript(HEARTBEAT);
/** Streams per reclaim or heartbeat script call: bounds the time one script holds Redis. */
const STREAMS_PER_SCRIPT = 64;

export interface SubscriptionHost {
  readonly redis: Redis;
  readonly settings: ResolvedRedisSettings;
  readonly logger: Logger;
  readonly sink: MessageSink;
  /** Every known workflow stream now, and a feed of new ones; returns the unsubscribe function. */
  watchStreams(listener: (streams: readonly string[]) => void): Promise<{ streams: string[]; stop: () => void }>;
  ensureGroups(group: string, streams: readonly string[], force?: boolean): Promise<void>;
  registerGroup(group: string): Promise<void>;
}

export class RedisSubscription implements Subscription {
  private readonly dispatcher: LaneDispatcher;
  private readonly types: ReadonlySet<EngineEventType> | undefined;
  private readonly shards: ShardReader[] = [];
  private readonly streams: string[] = [];
  private readonly streamSet = new Set<string>();
  /** Messages accepted and not yet settled, keyed `<stream> <id>`. */
  private readonly inFlight = new Map<string, { stream: string; id: string }>();
  private readonly highWater: number;
  private readonly reclaimer: Periodic;
  private readonly heartbeat: Periodic;
  private adding: Promise<void> = Promise.resolve();
  private stopWatching: (() => void) | undefined;
  private stopped = false;
  private closing: Promise<void> | undefined;
  private readonly starting: Promise<void>;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly options: SubscribeOptions,
    private readonly handler: (message: StreamMessage) => Promise<void>,
  ) {
    const { settings } = host;
    const concurrency = options.concurrency ?? 1;
    this.dispatcher = new LaneDispatcher(concurrency);
    this.highWater = Math.max(settings.batchSize, concurrency * 2);
    this.types = options.types ? new Set(options.types) : undefined;
    const warn = (what: string) => (e: unknown) => host.logger.warn(`${what} failed`, { err: ensureError(e) });
    this.reclaimer = new Periodic(settings.claimIntervalMs, () => this.reclaim(), warn('reclaim'));
    this.heartbeat = new Periodic(
      Math.max(10, Math.floor(settings.claimIdleMs / 3)),
      () => this.beat(),
      warn('heartbeat'),
    );
    this.starting = this.startWithRetry();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    // Heartbeats stop first: from now on our unacknowledged messages age and can be reclaimed.
    await Promise.all([this.heartbeat.stop(), this.reclaimer.stop()]);
    await this.starting;
    this.stopWatching?.();
    await this.adding;
    await Promise.all(this.shards.map((shard) => shard.stop()));
    this.dispatcher.clear();
    await this.dispatcher.drain();
    await this.host.sink.settled();
  }

  private async startWithRetry(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      try {
        await this.start();
        return;
      } catch (e) {
        this.host.logger.warn('subscription start failed; retrying', {
          err: ensureError(e),
          group: this.options.group,
        });
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private async start(): Promise<void> {
    await this.host.registerGroup(this.options.group);
    const watch = await this.host.watchStreams((streams) => this.addStreams(streams));
    if (this.stopped) return watch.stop();
    this.stopWatching = watch.stop;
    this.addStreams(watch.streams);
    await this.adding;
    this.reclaimer.start();
    this.heartbeat.start();
  }

  private addStreams(streams: readonly string[]): void {
    this.adding = this.adding.then(async () => {
      const fresh = [...new Set(streams)].filter((stream) => !this.streamSet.has(stream));
      if (this.stopped || fresh.length === 0) return;
      await this.host.ensureGroups(this.options.group, fresh);
      if (this.stopped) return;
      for (const stream of fresh) this.streamSet.add(stream);
      this.streams.push(...fresh);
      this.assignToShards(fresh);
    });
    this.adding = this.adding.catch((e: unknown) =>
      this.host.logger.error('could not subscribe to new streams', { err: ensureError(e) }),
    );
  }

  private assignToShards(streams: readonly string[]): void {
    let rest = streams;
    while (rest.length > 0) {
      let shard = this.shards.at(-1);
      if (!shard?.hasRoom()) shard = this.newShard();
      const room = this.host.settings.streamsPerRead - shard.size;
      shard.add(rest.slice(0, room));
      rest = rest.slice(room);
    }
  }

  private newShard(): ShardReader {
    const { settings, redis, logger } = this.host;
    const { group, consumer } = this.options;
    const shard = new ShardReader(
      redis,
      redis,
      {
        group,
        consumer,
        blockMs: settings.blockMs,
        count: settings.batchSize,
        capacity: settings.streamsPerRead,
        name: `wormhole-transport-${group}-${consumer}-${this.shards.length}`,
      },
      {
        waitForRoom: () => this.dispatcher.waitForRoom(this.highWater),
        accept: (reply) => this.acceptRead(reply),
        recreateGroups: (streams) => this.host.ensureGroups(group, streams, true),
      },
      logger,
    );
    this.shards.push(shard);
    shard.start();
    return shard;
  }

  private acceptRead(reply: ReadReply): void {
    for (const [stream, entries] of reply) {
      for (const [id, fields] of entries) this.accept(stream, id, fields, 1);
    }
  }

  private accept(stream: string, id: string, fields: string[] | null, deliveries: number): void {
    const { sink } = this.host;
    const { group } = this.options;
    const target = fieldValue(fields, 'group');
    // A redriven message is meant for the group that dead-lettered it only.
    if (target !== undefined && target !== group) return sink.skip(group, stream, id, 'redriven for another group');
    const decoded = sink.decode(stream, fieldValue(fields, 'event'));
    if (!decoded.ok) return sink.poison(group, stream, id, decoded.raw, decoded.error);
    const event: EngineEvent = decoded.event;
    if (this.types && !this.types.has(event.type)) return sink.skip(group, stream, id, 'type not subscribed');
    const key = `${stream} ${id}`;
    // Already running here (reclaimed while a heartbeat was late): never a second copy.
    if (this.inFlight.has(key) || this.stopped) return;
    const message: StreamMessage = { id, stream, event, deliveries };
    if (deliveries > this.host.settings.maxDeliveries) return sink.abandoned(group, message);
    this.inFlight.set(key, { stream, id });
    this.dispatcher.push(`${event.tenantid}/${event.executionid}`, () => this.handle(key, message));
  }

  private async handle(key: string, message: StreamMessage): Promise<void> {
    const { sink } = this.host;
    try {
      await sink.run(this.options.group, this.options.consumer, message, this.handler);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Takes over messages left idle by consumers that died, or by handlers that failed. */
  private async reclaim(): Promise<void> {
    const { settings, redis } = this.host;
    for (let i = 0; i < this.streams.length && !this.stopped; i += STREAMS_PER_SCRIPT) {
      if (this.dispatcher.size >= this.highWater) return;
      const keys = this.streams.slice(i, i + STREAMS_PER_SCRIPT);
      const args = [this.options.group, this.options.consumer, settings.claimIdleMs, settings.batchSize];
      const rows = (await reclaimScript.run(redis, keys, args)) as [string, string, number, string[]][];
      for (const [stream, id, deliveries, fields] of rows) {
        this.host.sink.reclaimed(this.options.group);
        this.accept(stream, id, fields, Number(deliveries));
      }
    }
  }

  /** Keeps messages whose handlers are still running from being reclaimed by others. */
  private async beat(): Promise<void> {
    const byStream = new Map<string, string[]>();
    for (const { stream, id } of this.inFlight.values()) {
      const ids = byStream.get(stream) ?? [];
      ids.push(id);
      byStream.set(stream, ids);
    }
    const entries = [...byStream.entries()];
    for (let i = 0; i < entries.length; i += STREAMS_PER_SCRIPT) {
      const batch = entries.slice(i, i + STREAMS_PER_SCRIPT);
      const args: (string | number)[] = [this.options.group, this.options.consumer];
      for (const [, ids] of batch) args.push(ids.length, ...ids);
      const keys = batch.map(([stream]) => stream);
      const lost = (await heartbeatScript.run(this.host.redis, keys, args)) as [string, string][];
      for (const [stream, id] of lost) {
        // Also reported when the ack landed while the script ran: only still-running ones matter.
        if (!this.inFlight.has(`${stream} ${id}`)) continue;
        this.host.logger.warn('message reclaimed by another consumer while being handled', { stream, entry_id: id });
      }
    }
  }
}
