/**
 * The Redis half of settling a message: each move is one MULTI (append + XACK), or one script.
 * Every acknowledgement marks the stream for the trimmer.
 */
import type Redis from 'ioredis';
import type { StreamMessage } from '@wormhole/interfaces';
import type { Settler } from '../core/message-sink';
import { serializeEngineEvent } from '../event-schema';
import type { TransportKeys } from '../keys';
import { LuaScript } from './lua';
import { RECORD_FAILURE } from './scripts';
import type { Trimmer } from './trimmer';

const recordFailureScript = new LuaScript(RECORD_FAILURE);

type Transaction = ReturnType<Redis['multi']>;

export class RedisSettler implements Settler {
  constructor(
    private readonly redis: Redis,
    private readonly keys: TransportKeys,
    private readonly deadLetterMaxLen: number,
    private readonly trimmer: Trimmer,
  ) {}

  async ack(group: string, stream: string, id: string, hadFailures: boolean): Promise<void> {
    if (hadFailures) {
      await exec(this.redis.multi().xack(stream, group, id).hdel(this.keys.lastErrors(group), `${stream} ${id}`));
    } else {
      await this.redis.xack(stream, group, id);
    }
    this.trimmer.markDirty(stream);
  }

  async recordFailure(group: string, consumer: string, message: StreamMessage, error: string): Promise<void> {
    const keys = [message.stream, this.keys.lastErrors(group)];
    await recordFailureScript.run(this.redis, keys, [group, consumer, message.id, error]);
  }

  async deadLetter(group: string, message: StreamMessage, error: string): Promise<void> {
    const { stream, id, event } = message;
    const entry = ['stream', stream, 'id', id, 'group', group, 'event', serializeEngineEvent(event)];
    entry.push('error', error, 'deliveries', String(message.deliveries), 'dead_at', new Date().toISOString());
    await exec(
      this.redis
        .multi()
        .xadd(this.keys.deadLetters(event.tenantid), 'MAXLEN', '~', this.deadLetterMaxLen, '*', ...entry)
        .xack(stream, group, id)
        .hdel(this.keys.lastErrors(group), `${stream} ${id}`),
    );
    this.trimmer.markDirty(stream);
  }

  async quarantine(group: string, stream: string, id: string, raw: string, error: string): Promise<void> {
    const scope = this.keys.parseWorkflowEvents(stream);
    const transaction = this.redis.multi();
    if (scope) {
      const entry = ['stream', stream, 'id', id, 'group', group, 'raw', raw, 'error', error];
      entry.push('dead_at', new Date().toISOString());
      const key = this.keys.poisonMessages(scope.tenantId);
      transaction.xadd(key, 'MAXLEN', '~', this.deadLetterMaxLen, '*', ...entry);
    }
    await exec(transaction.xack(stream, group, id));
    this.trimmer.markDirty(stream);
  }

  async lastError(group: string, stream: string, id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.lastErrors(group), `${stream} ${id}`)) ?? undefined;
  }
}

/** Runs a MULTI and surfaces the first command error (EXEC reports them per command). */
async function exec(transaction: Transaction): Promise<void> {
  const results = await transaction.exec();
  if (!results) throw new Error('transaction aborted');
  for (const [error] of results) if (error) throw error;
}
