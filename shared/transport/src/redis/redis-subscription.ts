/**
 * One subscriber of one consumer group on Redis: follows the stream directory, creates its group
 * on every stream, reads them through a few blocking shard readers, and supplies the reclaim and
 * heartbeat scripts to the backend-independent Subscriber.
 */
import type Redis from 'ioredis';
import type { Logger, StreamMessage, SubscribeOptions, Subscription } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { MessageSink } from '../core/message-sink';
import { sleep } from '@wormhole/platform';
import type { MessageRef, RawMessage, SubscriberBackend } from '../core/subscriber';
import { Subscriber } from '../core/subscriber';
import { LuaScript } from './lua';
import { HEARTBEAT, RECLAIM } from './scripts';
import type { ResolvedRedisSettings } from './settings';
import type { ReadReply } from './shard-reader';
import { ShardReader } from './shard-reader';
import { fieldValue } from './stream-directory';

const reclaimScript = new LuaScript(RECLAIM);
const heartbeatScript = new LuaScript(HEARTBEAT);
/** Streams per reclaim or heartbeat script call: bounds the time one script holds Redis. */
const STREAMS_PER_SCRIPT = 64;

export interface SubscriptionHost {
  readonly redis: Redis;
  readonly settings: ResolvedRedisSettings;
  readonly logger: Logger;
  readonly sink: MessageSink;
  /** Every known workflow stream now, and a feed of new ones; `stop` ends the feed. */
  watchStreams(listener: (streams: readonly string[]) => void): Promise<{ streams: string[]; stop: () => void }>;
  ensureGroups(group: string, streams: readonly string[], force?: boolean): Promise<void>;
  registerGroup(group: string): Promise<void>;
}

export class RedisSubscription implements Subscription, SubscriberBackend {
  private readonly subscriber: Subscriber;
  private readonly shards: ShardReader[] = [];
  private readonly streams: string[] = [];
  private readonly streamSet = new Set<string>();
  private adding: Promise<void> = Promise.resolve();
  private stopWatching: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private readonly starting: Promise<void>;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly options: SubscribeOptions,
    handler: (message: StreamMessage) => Promise<void>,
  ) {
    this.subscriber = new Subscriber(options, handler, host.sink, host.settings, this, host.logger);
    this.starting = this.startWithRetry();
  }

  close(): Promise<void> {
    this.closing ??= this.subscriber.stop(async () => {
      await this.starting;
      this.stopWatching?.();
      await this.adding;
      await Promise.all(this.shards.map((shard) => shard.stop()));
    });
    return this.closing;
  }

  async reclaim(accept: (message: RawMessage) => void, hasRoom: () => boolean): Promise<void> {
    const { settings, redis } = this.host;
    for (let i = 0; i < this.streams.length && hasRoom(); i += STREAMS_PER_SCRIPT) {
      const keys = this.streams.slice(i, i + STREAMS_PER_SCRIPT);
      const args = [this.options.group, this.options.consumer, settings.claimIdleMs, settings.batchSize];
      const rows = (await reclaimScript.run(redis, keys, args)) as [string, string, number, string[]][];
      for (const [stream, id, deliveries, fields] of rows) accept(toRaw(stream, id, fields, Number(deliveries)));
    }
  }

  async heartbeat(running: readonly MessageRef[]): Promise<MessageRef[]> {
    const byStream = new Map<string, string[]>();
    for (const { stream, id } of running) byStream.set(stream, [...(byStream.get(stream) ?? []), id]);
    const entries = [...byStream.entries()];
    const lost: MessageRef[] = [];
    for (let i = 0; i < entries.length; i += STREAMS_PER_SCRIPT) {
      const batch = entries.slice(i, i + STREAMS_PER_SCRIPT);
      const args: (string | number)[] = [this.options.group, this.options.consumer];
      for (const [, ids] of batch) args.push(ids.length, ...ids);
      const keys = batch.map(([stream]) => stream);
      const reply = (await heartbeatScript.run(this.host.redis, keys, args)) as [string, string][];
      for (const [stream, id] of reply) lost.push({ stream, id });
    }
    return lost;
  }

  private async startWithRetry(): Promise<void> {
    let backoffMs = 100;
    while (!this.subscriber.stopped) {
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
    if (this.subscriber.stopped) return watch.stop();
    this.stopWatching = watch.stop;
    this.addStreams(watch.streams);
    await this.adding;
    this.subscriber.startTimers();
  }

  private addStreams(streams: readonly string[]): void {
    const add = async (): Promise<void> => {
      const fresh = [...new Set(streams)].filter((stream) => !this.streamSet.has(stream));
      if (this.subscriber.stopped || fresh.length === 0) return;
      await this.host.ensureGroups(this.options.group, fresh);
      if (this.subscriber.stopped) return;
      for (const stream of fresh) this.streamSet.add(stream);
      this.streams.push(...fresh);
      this.assignToShards(fresh);
    };
    this.adding = this.adding
      .then(add)
      .catch((e: unknown) => this.host.logger.error('could not subscribe to new streams', { err: ensureError(e) }));
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
        waitForRoom: () => this.subscriber.waitForRoom(),
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
      for (const [id, fields] of entries) this.subscriber.accept(toRaw(stream, id, fields, 1));
    }
  }
}

function toRaw(stream: string, id: string, fields: string[] | null, deliveries: number): RawMessage {
  return { stream, id, body: fieldValue(fields, 'event'), targetGroup: fieldValue(fields, 'group'), deliveries };
}
