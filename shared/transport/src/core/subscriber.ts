/**
 * The backend-independent half of a subscription: turns raw messages into handler calls through
 * per-execution lanes, filters by type, keeps running messages alive with heartbeats, periodically
 * reclaims idle ones, and shuts down in an order that never loses a message. Backends feed it
 * from their readers and supply the reclaim and heartbeat queries.
 */
import type { EngineEventType, Logger, StreamMessage, SubscribeOptions } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { LaneDispatcher } from './lane-dispatcher';
import type { MessageSink } from './message-sink';
import { Periodic } from '@wormhole/platform';
import { HANDLER_RETRY, retryWhileUnavailable, retryWithin } from './transient-retry';

/** A message as a backend read it, before it is parsed. */
export interface RawMessage {
  readonly stream: string;
  readonly id: string;
  /** The event JSON; undefined when the entry has none. */
  readonly body: string | undefined;
  /** Set on a redriven message: only this group handles it. */
  readonly targetGroup?: string | undefined;
  readonly deliveries: number;
}

export interface MessageRef {
  readonly stream: string;
  readonly id: string;
}

export interface SubscriberBackend {
  /** Claims messages idle for `claimIdleMs` for this consumer and passes them to `accept`, while `hasRoom()`. */
  reclaim(accept: (message: RawMessage) => void, hasRoom: () => boolean): Promise<void>;
  /** Resets the idle time of messages still being handled; returns those this consumer no longer owns. */
  heartbeat(running: readonly MessageRef[]): Promise<MessageRef[]>;
}

export interface SubscriberSettings {
  readonly maxDeliveries: number;
  readonly batchSize: number;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
}

export class Subscriber {
  private readonly dispatcher: LaneDispatcher;
  private readonly types: ReadonlySet<EngineEventType> | undefined;
  /** Messages accepted and not yet settled, keyed `<stream> <id>`. */
  private readonly inFlight = new Map<string, MessageRef>();
  private readonly reclaimer: Periodic;
  private readonly heartbeats: Periodic;
  /** A lease lasts `claimIdleMs`: three heartbeats. */
  private readonly beatMs: number;
  private stopping = false;
  /** Aborted on stop: handlers retrying in place give up and leave their message for redelivery. */
  private readonly stopSignal = new AbortController();
  /** Messages buffered ahead of the handlers before readers pause. */
  readonly highWater: number;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly handler: (message: StreamMessage) => Promise<void>,
    private readonly sink: MessageSink,
    private readonly settings: SubscriberSettings,
    private readonly backend: SubscriberBackend,
    private readonly logger: Logger,
  ) {
    const concurrency = options.concurrency ?? 1;
    this.dispatcher = new LaneDispatcher(concurrency);
    this.highWater = Math.max(settings.batchSize, concurrency * 2);
    this.types = options.types ? new Set(options.types) : undefined;
    const warn = (what: string) => (e: unknown) => logger.warn(`${what} failed`, { err: ensureError(e) });
    this.reclaimer = new Periodic(settings.claimIntervalMs, () => this.reclaim(), warn('reclaim'));
    this.beatMs = Math.max(10, Math.floor(settings.claimIdleMs / 3));
    this.heartbeats = new Periodic(this.beatMs, () => this.heartbeat(), warn('heartbeat'));
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** How many more messages may be read now. */
  room(): number {
    return Math.max(0, this.highWater - this.dispatcher.size);
  }

  waitForRoom(): Promise<void> {
    return this.dispatcher.waitForRoom(this.highWater);
  }

  startTimers(): void {
    if (this.stopping) return;
    this.reclaimer.start();
    this.heartbeats.start();
  }

  accept(raw: RawMessage): void {
    const { group } = this.options;
    const { stream, id, deliveries } = raw;
    // A redriven message is meant for the group that dead-lettered it only.
    if (raw.targetGroup && raw.targetGroup !== group) {
      return this.sink.skip(group, stream, id, 'redriven for another group');
    }
    const decoded = this.sink.decode(stream, raw.body);
    if (!decoded.ok) return this.sink.poison(group, stream, id, decoded.raw, decoded.error);
    const { event } = decoded;
    if (this.types && !this.types.has(event.type)) return this.sink.skip(group, stream, id, 'type not subscribed');
    const key = `${stream} ${id}`;
    // Already running here (reclaimed while a heartbeat was late): never a second copy.
    if (this.inFlight.has(key) || this.stopping) return;
    const message: StreamMessage = { id, stream, event, deliveries };
    if (deliveries > this.settings.maxDeliveries) return this.sink.abandoned(group, message);
    this.inFlight.set(key, { stream, id });
    // One lane per execution, one turn per tenant: a flooding tenant cannot delay the others.
    this.dispatcher.push(
      `${event.tenantid}/${event.executionid}`,
      async () => {
        try {
          await this.sink.run(group, this.options.consumer, message, (m) => this.handleRetrying(m));
        } finally {
          this.inFlight.delete(key);
        }
      },
      event.tenantid,
    );
  }

  /**
   * Heartbeats stop first: from then on our unacknowledged messages age and can be reclaimed by
   * others. Readers stop next; queued messages are dropped (they stay unacknowledged, so they come
   * back); running handlers finish and are settled.
   */
  async stop(stopReaders: () => Promise<void>): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    await Promise.all([this.heartbeats.stop(), this.reclaimer.stop()]);
    // Cleared before the readers stop, so a reader waiting for room is released promptly.
    this.dispatcher.clear();
    await stopReaders();
    this.dispatcher.clear();
    await this.dispatcher.drain();
    await this.sink.settled();
  }

  /**
   * The handler, run again in place (heartbeats keep the message ours meanwhile) while it fails
   * because a backend is unreachable; any other failure goes to the sink as it is.
   */
  private handleRetrying(message: StreamMessage): Promise<void> {
    return retryWhileUnavailable(() => this.handler(message), {
      ...HANDLER_RETRY,
      signal: this.stopSignal.signal,
      onRetry: (error, attempt, delayMs) => {
        this.sink.retrying(this.options.group, message, error, attempt, delayMs);
      },
    });
  }

  private async reclaim(): Promise<void> {
    if (this.room() === 0) return;
    await this.backend.reclaim(
      (raw) => {
        this.sink.reclaimed(this.options.group);
        this.accept(raw);
      },
      () => !this.stopping && this.room() > 0,
    );
  }

  private async heartbeat(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const running = [...this.inFlight.values()];
    // Tried again within the period: a heartbeat lost to one dropped connection must not let
    // the leases lapse (the messages would be reclaimed and their handlers run twice).
    const lost = await retryWithin(() => this.backend.heartbeat(running), this.beatMs, this.stopSignal.signal);
    for (const { stream, id } of lost) {
      // Also reported when the ack landed meanwhile: only still-running ones matter.
      if (!this.inFlight.has(`${stream} ${id}`)) continue;
      this.logger.warn('message reclaimed by another consumer while being handled', { stream, entry_id: id });
    }
  }
}
