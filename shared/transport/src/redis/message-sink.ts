/**
 * Where a read message ends up: acknowledged after its handler succeeds, left pending with its
 * error recorded when the handler fails, moved to the tenant's dead-letter stream after
 * `maxDeliveries`, or quarantined at once as poison when it cannot be parsed. Every move is one
 * MULTI (append + XACK), so a message is never both lost and acknowledged.
 */
import type Redis from 'ioredis';
import type { EngineEvent, Logger, LogFields, StreamMessage } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { parseEngineEvent, serializeEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import type { TransportMetrics } from '../metrics';
import { LuaScript } from './lua';
import { RECORD_FAILURE } from './scripts';
import type { ResolvedRedisSettings } from './settings';
import type { Trimmer } from './trimmer';

const recordFailureScript = new LuaScript(RECORD_FAILURE);

export type Decoded = { ok: true; event: EngineEvent } | { ok: false; raw: string; error: string };

export class MessageSink {
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: TransportKeys,
    private readonly settings: ResolvedRedisSettings,
    private readonly logger: Logger,
    private readonly metrics: TransportMetrics,
    private readonly trimmer: Trimmer,
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
      if (!failure) await this.ack(group, message.stream, message.id, message.deliveries > 1, 'ok');
      else if (message.deliveries >= this.settings.maxDeliveries) {
        await this.deadLetter(group, message, failure.message, 'failed');
      } else await this.recordFailure(group, consumer, message, failure);
    } catch (e) {
      // The message stays pending and comes back after the idle time: at-least-once holds.
      this.logger.error('could not settle message; it will be redelivered', {
        ...fields(group, message),
        err: ensureError(e),
      });
    }
  }

  /** Acknowledges without handling: a type this group does not want, or a redrive meant for another group. */
  skip(group: string, stream: string, id: string, reason: string): void {
    this.track(
      this.ack(group, stream, id, false, 'skipped').catch((e: unknown) =>
        this.logger.warn('could not acknowledge a skipped message', {
          group,
          stream,
          entry_id: id,
          reason,
          err: ensureError(e),
        }),
      ),
    );
  }

  poison(group: string, stream: string, id: string, raw: string, error: string): void {
    this.track(this.quarantine(group, stream, id, raw, error));
  }

  /** A message reclaimed more than `maxDeliveries` times: its consumers died or never settled it. */
  abandoned(group: string, message: StreamMessage): void {
    const work = async (): Promise<void> => {
      const last = await this.redis.hget(this.keys.lastErrors(group), `${message.stream} ${message.id}`);
      const handled = message.deliveries - 1;
      const error = `${last ?? 'no handler error recorded'}; not acknowledged after ${handled} deliveries`;
      await this.deadLetter(group, { ...message, deliveries: handled }, error, 'abandoned');
    };
    this.track(
      work().catch((e: unknown) =>
        this.logger.error('could not dead-letter an abandoned message', {
          ...fields(group, message),
          err: ensureError(e),
        }),
      ),
    );
  }

  reclaimed(group: string): void {
    this.metrics.reclaimed.inc({ group });
  }

  /** Resolves once every background acknowledgement and dead-lettering has finished. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async ack(group: string, stream: string, id: string, hadFailures: boolean, outcome: string): Promise<void> {
    if (hadFailures) {
      await exec(this.redis.multi().xack(stream, group, id).hdel(this.keys.lastErrors(group), `${stream} ${id}`));
    } else await this.redis.xack(stream, group, id);
    this.metrics.handled.inc({ group, outcome });
    this.trimmer.markDirty(stream);
  }

  private async recordFailure(group: string, consumer: string, message: StreamMessage, error: Error): Promise<void> {
    this.metrics.handled.inc({ group, outcome: 'error' });
    const keys = [message.stream, this.keys.lastErrors(group)];
    await recordFailureScript.run(this.redis, keys, [group, consumer, message.id, error.message]);
    this.logger.warn('handler failed; the message will be redelivered', { ...fields(group, message), err: error });
  }

  private async deadLetter(group: string, message: StreamMessage, error: string, reason: string): Promise<void> {
    const { stream, id, event } = message;
    const entry = ['stream', stream, 'id', id, 'group', group, 'event', serializeEngineEvent(event)];
    entry.push('error', error, 'deliveries', String(message.deliveries), 'dead_at', new Date().toISOString());
    const key = this.keys.deadLetters(event.tenantid);
    await exec(
      this.redis
        .multi()
        .xadd(key, 'MAXLEN', '~', this.settings.deadLetterMaxLen, '*', ...entry)
        .xack(stream, group, id)
        .hdel(this.keys.lastErrors(group), `${stream} ${id}`),
    );
    this.metrics.deadLettered.inc({ group, reason });
    this.trimmer.markDirty(stream);
    this.logger.error('message dead-lettered', { ...fields(group, message), error });
  }

  private async quarantine(group: string, stream: string, id: string, raw: string, error: string): Promise<void> {
    const scope = this.keys.parseWorkflowEvents(stream);
    try {
      const transaction = this.redis.multi();
      // The tenant comes from the stream key, never from the untrusted payload.
      if (scope) {
        const entry = ['stream', stream, 'id', id, 'group', group, 'raw', raw, 'error', error];
        entry.push('dead_at', new Date().toISOString());
        transaction.xadd(
          this.keys.poisonMessages(scope.tenantId),
          'MAXLEN',
          '~',
          this.settings.deadLetterMaxLen,
          '*',
          ...entry,
        );
      }
      await exec(transaction.xack(stream, group, id));
      this.metrics.deadLettered.inc({ group, reason: 'poison' });
      this.trimmer.markDirty(stream);
      this.logger.error('poison message quarantined', { group, stream, entry_id: id, error });
    } catch (e) {
      this.logger.error('could not quarantine a poison message', { group, stream, entry_id: id, err: ensureError(e) });
    }
  }

  private track(work: Promise<void>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }
}

type Transaction = ReturnType<Redis['multi']>;

/** Runs a MULTI and surfaces the first command error (EXEC reports them per command). */
async function exec(transaction: Transaction): Promise<void> {
  const results = await transaction.exec();
  if (!results) throw new Error('transaction aborted');
  for (const [error] of results) if (error) throw error;
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
