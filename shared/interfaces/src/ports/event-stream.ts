import type { EngineEvent } from '../domain/engine-events';
import type { BackendHealth } from './repositories';

/** A message read from a stream: the event and how often it has been delivered. */
export interface StreamMessage {
  /** Transport id of the message (e.g. a Redis Streams entry id). */
  readonly id: string;
  /** The stream the message was read from. */
  readonly stream: string;
  readonly event: EngineEvent;
  /** 1 on first delivery; grows each time the message is reclaimed after a consumer died. */
  readonly deliveries: number;
}

export interface SubscribeOptions {
  /** Consumer group, one per service role (e.g. "worker", "executor"). */
  readonly group: string;
  /** Unique name of this consumer within the group (e.g. host + pid). */
  readonly consumer: string;
  /** Only events whose type is listed are handed to this subscriber; others are acknowledged. */
  readonly types?: readonly EngineEvent['type'][];
  /** Messages handled concurrently by this subscriber. */
  readonly concurrency?: number;
}

export interface Subscription {
  /** Stops reading; resolves once in-flight handlers have settled. Unacked messages are redelivered. */
  close(): Promise<void>;
}

/** A dead-lettered message: it failed `maxDeliveries` times. */
export interface DeadLetter {
  readonly id: string;
  readonly stream: string;
  readonly event: EngineEvent;
  readonly error: string;
  readonly deliveries: number;
  readonly dead_at: string;
}

/**
 * The event transport between api, worker and executor. Events of one execution are published to
 * its workflow's stream (`tenant:<tenant>:workflow:<workflow>:events`). Delivery is at-least-once:
 * a message is acknowledged only after its handler resolves; a handler that throws leaves it
 * pending, to be redelivered, and after the configured number of deliveries it is moved to the
 * dead-letter stream with its error. Implementations: Redis Streams, and a table-backed one.
 */
export interface EventStream {
  /** Appends the event to its workflow's stream. Resolves once it is durable in the transport. */
  publish(event: EngineEvent): Promise<void>;
  /** Delivers every event of every tenant's workflow streams to `handler`, group by group. */
  subscribe(options: SubscribeOptions, handler: (message: StreamMessage) => Promise<void>): Subscription;
  /** Dead letters of a tenant, oldest first. */
  listDeadLetters(tenantId: string, limit: number): Promise<DeadLetter[]>;
  /** Publishes a dead letter's event again and removes it from the dead-letter stream. */
  redrive(tenantId: string, deadLetterId: string): Promise<void>;
  /** Pings the transport (named `stream:<backend>`). Never throws. */
  health(): Promise<BackendHealth>;
  /**
   * Calls `listener` when the transport finds that it lost messages it had accepted (a Redis
   * server restarted without persistence): anything published before `lostBefore` may never be
   * delivered, so whoever knows what was outstanding (the reconciler) must publish it again.
   * Returns the function that removes the listener. A transport that cannot lose acknowledged
   * publishes (the table-backed one) never calls it.
   */
  onMessagesLost(listener: (lostBefore: Date) => void): () => void;
  close(): Promise<void>;
}
