/**
 * Where a read message ends up, whatever the backend: acknowledged after its handler succeeds,
 * left for redelivery with its error recorded when the handler fails, moved to the tenant's dead
 * letters after `maxDeliveries`, or quarantined at once as poison when it cannot be parsed. The
 * backend's `Settler` makes each move atomic (append + acknowledge in one step), so a message is
 * never acknowledged without landing where it should.
 */
import type { EngineEvent, Logger, LogFields, StreamMessage } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { parseEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import type { TransportMetrics } from './metrics';
import { SETTLE_RETRY, retryWhileUnavailable } from './transient-retry';

/** The backend half: each method is one atomic write. */
export interface Settler {
  /** Acknowledges; `hadFailures` also forgets the recorded error. */
  ack(group: string, stream: string, id: string, hadFailures: boolean): Promise<void>;
  /** Records the handler's error, if this consumer still owns the unacknowledged message. */
  recordFailure(group: string, consumer: string, message: StreamMessage, error: string): Promise<void>;
  /** Appends to the tenant's dead letters and acknowledges. */
  deadLetter(group: string, message: StreamMessage, error: string): Promise<void>;
  /** Appends to the tenant's (taken from the stream, not the payload) poison messages and acknowledges. */
  quarantine(group: string, stream: string, id: string, raw: string, error: string): Promise<void>;
  lastError(group: string, stream: string, id: string): Promise<string | undefined>;
}

export type Decoded = { ok: true; event: EngineEvent } | { ok: false; raw: string; error: string };

export class MessageSink {
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly keys: TransportKeys,
    private readonly settler: Settler,
    private readonly maxDeliveries: number,
    private readonly logger: Logger,
    private readonly metrics: TransportMetrics,
  ) {}

  /** Parses an entry and checks it belongs to the stream it was read from (no cross-tenant events). */
  decode(stream: string, raw: string | undefined): Decoded {
    if (raw === undefined) return { ok: false, raw: '', error: "entry has no 'event' field" };
    const parsed = parseEngineEvent(raw);
    if (!parsed.ok) return { ok: false, raw, error: parsed.error };
    const scope = this.keys.parseWorkflowEvents(stream);
    const { tenantid, workflowid } = parsed.event;
    if (scope?.tenantId !== tenantid || scope.workflowId !== workflowid) {
      return { ok: false, raw, error: `event of tenant '${tenantid}', workflow '${workflowid}' on stream '${stream}'` };
    }
    return parsed;
  }

  /** Runs the handler, then acknowledges, records the failure, or dead-letters. Never rejects. */
  async run(
    group: string,
    consumer: string,
    message: StreamMessage,
    handler: (message: StreamMessage) => Promise<void>,
  ): Promise<void> {
    const stopTimer = this.metrics.handlerSeconds.startTimer({ group });
    let failure: Error | undefined;
    try {
      await handler(message);
    } catch (e) {
      failure = ensureError(e);
    }
    stopTimer();
    try {
      if (!failure) {
        await this.idempotent(() => this.settler.ack(group, message.stream, message.id, message.deliveries > 1));
        this.metrics.handled.inc({ group, outcome: 'ok' });
      } else if (message.deliveries >= this.maxDeliveries) {
        this.metrics.handled.inc({ group, outcome: 'error' });
        await this.deadLetter(group, message, failure.message, 'failed');
      } else {
        this.metrics.handled.inc({ group, outcome: 'error' });
        await this.idempotent(() => this.settler.recordFailure(group, consumer, message, failure.message));
        this.logger.warn('handler failed; the message will be redelivered', {
          ...fields(group, message),
          err: failure,
        });
      }
    } catch (e) {
      // The message stays unacknowledged and comes back after the idle time: at-least-once holds.
      this.logger.error('could not settle message; it will be redelivered', {
        ...fields(group, message),
        err: ensureError(e),
      });
    }
  }

  /** Acknowledges without handling: a type this group does not want, or a redrive meant for another group. */
  skip(group: string, stream: string, id: string, reason: string): void {
    const work = async (): Promise<void> => {
      await this.idempotent(() => this.settler.ack(group, stream, id, false));
      this.metrics.handled.inc({ group, outcome: 'skipped' });
    };
    this.track(work(), 'could not acknowledge a skipped message', { group, stream, entry_id: id, reason });
  }

  poison(group: string, stream: string, id: string, raw: string, error: string): void {
    const work = async (): Promise<void> => {
      await this.settler.quarantine(group, stream, id, raw, error);
      this.metrics.deadLettered.inc({ group, reason: 'poison' });
      this.logger.error('poison message quarantined', { group, stream, entry_id: id, error });
    };
    this.track(work(), 'could not quarantine a poison message', { group, stream, entry_id: id });
  }

  /** A message reclaimed more than `maxDeliveries` times: its consumers died or never settled it. */
  abandoned(group: string, message: StreamMessage): void {
    const work = async (): Promise<void> => {
      const last = await this.settler.lastError(group, message.stream, message.id);
      const handled = message.deliveries - 1;
      const error = `${last ?? 'no handler error recorded'}; not acknowledged after ${handled} deliveries`;
      await this.deadLetter(group, { ...message, deliveries: handled }, error, 'abandoned');
    };
    this.track(work(), 'could not dead-letter an abandoned message', fields(group, message));
  }

  reclaimed(group: string): void {
    this.metrics.reclaimed.inc({ group });
  }

  /** A handler failed because a backend is unreachable and runs again in `delayMs`, in place. */
  retrying(group: string, message: StreamMessage, error: Error, attempt: number, delayMs: number): void {
    this.metrics.retried.inc({ group });
    this.logger.warn('backend unavailable; retrying the handler', {
      ...fields(group, message),
      err: error,
      attempt,
      delay_ms: delayMs,
    });
  }

  /** Resolves once every background acknowledgement and dead-lettering has finished. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async deadLetter(group: string, message: StreamMessage, error: string, reason: string): Promise<void> {
    await this.settler.deadLetter(group, message, error);
    this.metrics.deadLettered.inc({ group, reason });
    this.logger.error('message dead-lettered', { ...fields(group, message), error });
  }

  /**
   * An acknowledgement or a failure record, retried a few times while the backend is unreachable:
   * repeating it changes nothing, and one lost to a dropped connection would otherwise cost a
   * redelivery (the handler runs again). Dead-lettering and quarantining append an entry, so they
   * are not repeated here: a failed one is retried through redelivery.
   */
  private idempotent(write: () => Promise<void>): Promise<void> {
    return retryWhileUnavailable(write, {
      ...SETTLE_RETRY,
      onRetry: (error, attempt, delayMs) =>
        this.logger.warn('backend unavailable; retrying an acknowledgement', {
          err: error,
          attempt,
          delay_ms: delayMs,
        }),
    });
  }

  private track(work: Promise<void>, failure: string, context: LogFields): void {
    const tracked = work.catch((e: unknown) => this.logger.error(failure, { ...context, err: ensureError(e) }));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }
}

function fields(group: string, message: StreamMessage): LogFields {
  const { event } = message;
  return {
    tenant_id: event.tenantid,
    workflow_id: event.workflowid,
    execution_id: event.executionid,
    group,
    stream: message.stream,
    entry_id: message.id,
    event_type: event.type,
    deliveries: message.deliveries,
  };
}
