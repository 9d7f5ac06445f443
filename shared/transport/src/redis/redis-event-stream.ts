/**
 * The EventStream on Redis Streams (production). One stream per workflow, one consumer group per
 * service role; see HOW_IT_WORKS.md for discovery, reclaim, dead letters, trimming and ordering.
 */
import Redis from 'ioredis';
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
import type { PoisonMessage, TransportDeps } from '../deps';
import { parseEngineEvent, serializeEngineEvent, validateEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import { createKeys } from '../keys';
import type { TransportMetrics } from '../core/metrics';
import { transportMetrics } from '../core/metrics';
import { LossDetector } from './loss-detector';
import { LuaScript } from './lua';
import { MessageSink } from '../core/message-sink';
import { RedisSettler } from './redis-settler';
import { RedisSubscription } from './redis-subscription';
import type { SubscriptionHost } from './redis-subscription';
import { PUBLISH_FIRST } from './scripts';
import type { RedisEventStreamSettings, ResolvedRedisSettings } from './settings';
import { resolveRedisSettings } from './settings';
import { StreamDirectory, fieldValue } from './stream-directory';
import { Trimmer } from './trimmer';
import { coalesceWrites, probeBackend } from '@wormhole/platform';

const publishFirstScript = new LuaScript(PUBLISH_FIRST);
const ANNOUNCEMENTS_MAX_LEN = 10_000;
const ENTRY_ID = /^\d+-\d+$/;

type Entry = [id: string, fields: string[]];

export class RedisEventStream implements EventStream {
  private readonly keys: TransportKeys;
  private readonly logger: Logger;
  private readonly metrics: TransportMetrics;
  private readonly trimmer: Trimmer;
  private readonly sink: MessageSink;
  /** Streams this process has registered: later publishes are a plain XADD. */
  private readonly registered = new Set<string>();
  /** `<group> <stream>` pairs whose consumer group is known to exist. */
  private readonly ensured = new Set<string>();
  private readonly subscriptions = new Set<RedisSubscription>();
  /** The groups of the open subscriptions, registered again when Redis lost the registry. */
  private readonly groups = new Map<RedisSubscription, string>();
  private readonly lossListeners = new Set<(lostBefore: Date) => void>();
  private readonly lossDetector: LossDetector;
  private directory: Promise<StreamDirectory> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly settings: ResolvedRedisSettings,
    deps: TransportDeps,
  ) {
    this.keys = createKeys(settings.keyPrefix);
    this.logger = deps.logger.child({ component: 'transport', backend: 'redis' });
    this.metrics = transportMetrics(deps.metrics, 'redis');
    this.trimmer = new Trimmer(redis, this.keys, settings.trimIntervalMs, this.metrics.trimmed, this.logger);
    const settler = new RedisSettler(redis, this.keys, settings.deadLetterMaxLen, this.trimmer);
    this.sink = new MessageSink(this.keys, settler, settings.maxDeliveries, this.logger, this.metrics);
    this.lossDetector = new LossDetector(redis, this.keys.epoch(), this.logger, (lostBefore) =>
      this.recoverFromLoss(lostBefore),
    );
  }

  static async create(settings: RedisEventStreamSettings, deps: TransportDeps): Promise<RedisEventStream> {
    const resolved = resolveRedisSettings(settings);
    const redis = new Redis(resolved.url, {
      lazyConnect: true,
      connectionName: 'wormhole-transport',
      ...(resolved.password !== undefined ? { password: resolved.password } : {}),
      ...(resolved.db !== undefined ? { db: resolved.db } : {}),
    });
    // One socket write per tick, without waiting for earlier replies (see coalesceWrites).
    coalesceWrites(redis);
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new UnavailableError('redis', 'cannot connect the event transport', { cause: e });
    }
    const stream = new RedisEventStream(redis, resolved, deps);
    try {
      await stream.lossDetector.start();
    } catch (e) {
      await stream.close();
      throw new UnavailableError('redis', 'cannot connect the event transport', { cause: e });
    }
    return stream;
  }

  async publish(event: EngineEvent): Promise<void> {
    this.assertOpen();
    const check = validateEngineEvent(event);
    if (!check.ok) throw new ValidationError(`invalid engine event: ${check.error}`);
    const stream = this.keys.workflowEvents(event.tenantid, event.workflowid);
    const body = serializeEngineEvent(event);
    try {
      if (this.registered.has(stream)) {
        await this.redis.xadd(stream, '*', 'event', body);
      } else {
        const keys = [stream, this.keys.streamRegistry(), this.keys.streamAnnouncements()];
        await publishFirstScript.run(this.redis, keys, [body, ANNOUNCEMENTS_MAX_LEN]);
        this.registered.add(stream);
      }
    } catch (e) {
      throw new UnavailableError('redis', `publish failed: ${ensureError(e).message}`, { cause: e });
    }
    this.metrics.published.inc({ type: event.type });
  }

  subscribe(options: SubscribeOptions, handler: (message: StreamMessage) => Promise<void>): Subscription {
    this.assertOpen();
    if (!options.consumer) throw new ValidationError('a subscriber needs a consumer name');
    this.keys.lastErrors(options.group); // rejects a group name that cannot be part of a key
    const subscription = new RedisSubscription(this.host(), options, handler);
    this.subscriptions.add(subscription);
    this.groups.set(subscription, options.group);
    return {
      close: async () => {
        await subscription.close();
        this.subscriptions.delete(subscription);
        this.groups.delete(subscription);
      },
    };
  }

  async listDeadLetters(tenantId: string, limit: number): Promise<DeadLetter[]> {
    const entries = (await this.redis.xrange(
      this.keys.deadLetters(tenantId),
      '-',
      '+',
      'COUNT',
      positive(limit),
    )) as Entry[];
    const letters: DeadLetter[] = [];
    for (const [id, fields] of entries) {
      const parsed = parseEngineEvent(fieldValue(fields, 'event') ?? '');
      if (!parsed.ok) {
        this.logger.error('unreadable dead letter skipped', { tenant_id: tenantId, entry_id: id, error: parsed.error });
        continue;
      }
      letters.push({
        id,
        stream: fieldValue(fields, 'stream') ?? '',
        event: parsed.event,
        error: fieldValue(fields, 'error') ?? '',
        deliveries: Number(fieldValue(fields, 'deliveries') ?? 0),
        dead_at: fieldValue(fields, 'dead_at') ?? '',
      });
    }
    return letters;
  }

  /**
   * Appends the event again, addressed to the group that dead-lettered it (other groups, which
   * handled it already, skip it), and deletes the dead letter, in one transaction.
   */
  async redrive(tenantId: string, deadLetterId: string): Promise<void> {
    this.assertOpen();
    const key = this.keys.deadLetters(tenantId);
    const found = ENTRY_ID.test(deadLetterId)
      ? ((await this.redis.xrange(key, deadLetterId, deadLetterId)) as Entry[])
      : [];
    const fields = found[0]?.[1];
    if (!fields) throw new NotFoundError('dead letter', tenantId, deadLetterId);
    const parsed = parseEngineEvent(fieldValue(fields, 'event') ?? '');
    if (!parsed.ok) throw new ValidationError(`dead letter ${deadLetterId} holds no valid event: ${parsed.error}`);
    const { event } = parsed;
    const stream = this.keys.workflowEvents(event.tenantid, event.workflowid);
    const entry = ['event', serializeEngineEvent(event)];
    const group = fieldValue(fields, 'group');
    if (group !== undefined) entry.push('group', group);
    const results = await this.redis
      .multi()
      .xadd(stream, '*', ...entry)
      .xdel(key, deadLetterId)
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw new UnavailableError('redis', 'redrive failed', { cause: failed });
    this.metrics.published.inc({ type: event.type });
  }

  /** A tenant's quarantined poison messages, oldest first. */
  async listPoisonMessages(tenantId: string, limit: number): Promise<PoisonMessage[]> {
    const entries = (await this.redis.xrange(
      this.keys.poisonMessages(tenantId),
      '-',
      '+',
      'COUNT',
      positive(limit),
    )) as Entry[];
    return entries.map(([id, fields]) => ({
      id,
      stream: fieldValue(fields, 'stream') ?? '',
      message_id: fieldValue(fields, 'id') ?? '',
      group: fieldValue(fields, 'group') ?? '',
      raw: fieldValue(fields, 'raw') ?? '',
      error: fieldValue(fields, 'error') ?? '',
      dead_at: fieldValue(fields, 'dead_at') ?? '',
    }));
  }

  /** Pings the transport. Never throws. */
  async health(): Promise<BackendHealth> {
    return probeBackend('stream:redis', () => this.redis.ping());
  }

  onMessagesLost(listener: (lostBefore: Date) => void): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /**
   * Redis came back without the transport's data. What this process remembered about it is
   * forgotten (streams registered, groups created), the groups of its subscriptions are registered
   * again (the trimmer trims only below registered groups), and the listeners are told, so that
   * the work those lost messages carried is published again from the database.
   */
  private async recoverFromLoss(lostBefore: Date): Promise<void> {
    this.registered.clear();
    this.ensured.clear();
    // Told first: the loss is noticed once, so a failed write below must not keep it from them.
    for (const listener of this.lossListeners) listener(lostBefore);
    const groups = [...new Set(this.groups.values())];
    if (groups.length > 0) await this.redis.sadd(this.keys.groupRegistry(), ...groups);
  }

  private async shutdown(): Promise<void> {
    await this.lossDetector.stop();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    const directory = await this.directory?.catch(() => undefined);
    await directory?.stop();
    await this.sink.settled();
    await this.trimmer.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError('redis', 'the event stream is closed');
  }

  private host(): SubscriptionHost {
    return {
      redis: this.redis,
      settings: this.settings,
      logger: this.logger,
      sink: this.sink,
      watchStreams: async (listener) => {
        const directory = await this.startDirectory();
        const stop = directory.onAdded(listener);
        return { streams: directory.streams(), stop };
      },
      ensureGroups: (group, streams, force) => this.ensureGroups(group, streams, force ?? false),
      registerGroup: async (group) => {
        await this.redis.sadd(this.keys.groupRegistry(), group);
      },
    };
  }

  private startDirectory(): Promise<StreamDirectory> {
    if (this.directory) return this.directory;
    const started = StreamDirectory.start(this.redis, this.keys, this.settings, this.logger);
    this.directory = started;
    // A failed start is retried by the next subscriber instead of being remembered.
    started.catch(() => {
      if (this.directory === started) this.directory = undefined;
    });
    return started;
  }

  /** Creates the group on each stream, from its first entry: events published before still arrive. */
  private async ensureGroups(group: string, streams: readonly string[], force: boolean): Promise<void> {
    const todo = force ? streams : streams.filter((stream) => !this.ensured.has(`${group} ${stream}`));
    // In chunks: a registry of many thousand streams must not become one giant pipeline.
    for (let start = 0; start < todo.length; start += 1000) {
      const chunk = todo.slice(start, start + 1000);
      const results = await Promise.allSettled(
        chunk.map((stream) => this.redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM')),
      );
      results.forEach((result, i) => {
        if (result.status === 'rejected' && !ensureError(result.reason).message.startsWith('BUSYGROUP')) {
          throw ensureError(result.reason);
        }
        this.ensured.add(`${group} ${chunk[i]!}`);
      });
    }
  }
}

function positive(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be a positive integer, got ${limit}`);
  }
  return limit;
}
