/**
 * Knows every workflow stream and tells subscribers about new ones as they appear, without
 * scanning the keyspace: the registry set gives the streams that exist at start, and a blocking
 * XREAD on the announcements stream delivers each new one within milliseconds. A slow periodic
 * re-read of the registry repairs anything missed (announcements trimmed while disconnected).
 */
import type Redis from 'ioredis';
import type { Logger } from '@wormhole/interfaces';
import type { TransportKeys } from '../keys';
import { Periodic, sleep } from '@wormhole/platform';

export type StreamsListener = (streams: readonly string[]) => void;

export class StreamDirectory {
  private readonly known = new Set<string>();
  private readonly listeners = new Set<StreamsListener>();
  private readonly reader: Redis;
  private readonly resync: Periodic;
  private cursor = '0-0';
  private stopped = false;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly keys: TransportKeys,
    private readonly blockMs: number,
    resyncMs: number,
    private readonly logger: Logger,
  ) {
    this.reader = redis.duplicate({ enableAutoPipelining: false, connectionName: 'wormhole-transport-directory' });
    this.resync = new Periodic(
      resyncMs,
      () => this.loadRegistry(),
      (e) => this.logger.warn('stream registry resync failed', { err: e as Error }),
    );
  }

  static async start(
    redis: Redis,
    keys: TransportKeys,
    options: { blockMs: number; resyncMs: number },
    logger: Logger,
  ): Promise<StreamDirectory> {
    const directory = new StreamDirectory(redis, keys, options.blockMs, options.resyncMs, logger);
    try {
      // The cursor is taken before the registry is read: a stream registered in between is then
      // both in the registry and after the cursor, never in neither.
      const last = await redis.xrevrange(keys.streamAnnouncements(), '+', '-', 'COUNT', 1);
      directory.cursor = last[0]?.[0] ?? '0-0';
      await directory.loadRegistry();
    } catch (e) {
      directory.reader.disconnect();
      throw e;
    }
    directory.loop = directory.listen();
    directory.resync.start();
    return directory;
  }

  streams(): string[] {
    return [...this.known];
  }

  /** Calls `listener` with every stream registered from now on; returns the unsubscribe function. */
  onAdded(listener: StreamsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.resync.stop();
    // Closing the connection is what interrupts the blocking XREAD.
    this.reader.disconnect();
    await this.loop;
  }

  private async loadRegistry(): Promise<void> {
    this.add(await this.redis.smembers(this.keys.streamRegistry()));
  }

  private add(streams: readonly string[]): void {
    const fresh = streams.filter((stream) => !this.known.has(stream) && this.keys.parseWorkflowEvents(stream));
    if (fresh.length === 0) return;
    for (const stream of fresh) this.known.add(stream);
    for (const listener of this.listeners) listener(fresh);
  }

  private async listen(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      try {
        const reply = await this.reader.xread(
          'COUNT',
          500,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          this.keys.streamAnnouncements(),
          this.cursor,
        );
        backoffMs = 50;
        const entries = reply?.[0]?.[1] ?? [];
        const streams: string[] = [];
        for (const [id, fields] of entries) {
          this.cursor = id;
          const stream = fieldValue(fields, 'stream');
          if (stream !== undefined) streams.push(stream);
        }
        this.add(streams);
      } catch (e) {
        if (this.stopped) return;
        this.logger.warn('stream announcements read failed; retrying', { err: e as Error });
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }
}

/** The value of one field of a stream entry (a flat name/value list). */
export function fieldValue(fields: readonly string[] | null, name: string): string | undefined {
  if (!fields) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
