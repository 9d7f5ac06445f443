/** The table half of settling a message: each move is one statement. */
import type { StreamMessage } from '@wormhole/interfaces';
import { UnavailableError, ensureError } from '@wormhole/interfaces';
import type { Settler } from '../core/message-sink';
import { MicroBatcher } from '@wormhole/platform';
import { serializeEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import type { PgPool } from './pool';
import type { Statements } from './sql';

export class PostgresSettler implements Settler {
  private readonly acks = new MicroBatcher<{ group: string; id: string }>((batch) => this.flushAcks(batch));

  constructor(
    private readonly pool: PgPool,
    private readonly sql: Statements,
    private readonly keys: TransportKeys,
    /** Called after each acknowledgement: something may now be trimmable. */
    private readonly acknowledged: () => void,
  ) {}

  /**
   * Acknowledgements of one event-loop turn share one UPDATE per group: with concurrent handlers
   * that turns a commit per message into a commit per batch. Each caller still resolves only once
   * its own acknowledgement is committed.
   */
  ack(group: string, _stream: string, id: string): Promise<void> {
    return this.acks.add({ group, id });
  }

  private async flushAcks(batch: readonly { group: string; id: string }[]): Promise<void> {
    const byGroup = new Map<string, string[]>();
    for (const { group, id } of batch) byGroup.set(group, [...(byGroup.get(group) ?? []), id]);
    try {
      await Promise.all([...byGroup].map(([group, ids]) => this.pool.query(this.sql.ack, [group, ids])));
    } catch (e) {
      throw unavailable('acknowledge', e);
    }
    this.acknowledged();
  }

  async recordFailure(group: string, consumer: string, message: StreamMessage, error: string): Promise<void> {
    try {
      await this.pool.query(this.sql.recordFailure, [group, consumer, message.id, error]);
    } catch (e) {
      throw unavailable('record a failure', e);
    }
  }

  async deadLetter(group: string, message: StreamMessage, error: string): Promise<void> {
    const { event } = message;
    const body = serializeEngineEvent(event);
    const params = [group, message.id, event.tenantid, 'dead', message.stream, body, error, message.deliveries];
    await this.pool.query(this.sql.deadLetter, params);
    this.acknowledged();
  }

  async quarantine(group: string, stream: string, id: string, raw: string, error: string): Promise<void> {
    // The tenant comes from the stream name, never from the untrusted payload.
    const tenant = this.keys.parseWorkflowEvents(stream)?.tenantId ?? '';
    await this.pool.query(this.sql.deadLetter, [group, id, tenant, 'poison', stream, raw, error, 1]);
    this.acknowledged();
  }

  async lastError(group: string, _stream: string, id: string): Promise<string | undefined> {
    const result = await this.pool.query<{ last_error: string | null }>(this.sql.lastError, [group, id]);
    return result.rows[0]?.last_error ?? undefined;
  }
}

/**
 * A failed acknowledgement or failure record, as the publish path reports its failures: retryable
 * (both writes are idempotent), so the message sink tries them again before leaving the message
 * for redelivery.
 */
function unavailable(what: string, cause: unknown): UnavailableError {
  return new UnavailableError('postgres', `${what} failed: ${ensureError(cause).message}`, { cause });
}
