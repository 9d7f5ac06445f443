/**
 * One blocking XREADGROUP loop over a bounded set of streams, on a connection of its own (a
 * blocked connection can do nothing else). When a stream joins the set while the loop is blocked,
 * the loop is interrupted with CLIENT UNBLOCK, so the new stream is read within a round trip
 * instead of after the block times out.
 */
import type Redis from 'ioredis';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import { sleep } from '@wormhole/platform';

export type ReadReply = [stream: string, entries: [id: string, fields: string[] | null][]][];

export interface ShardReaderOptions {
  readonly group: string;
  readonly consumer: string;
  readonly blockMs: number;
  readonly count: number;
  readonly capacity: number;
  readonly name: string;
}

export interface ShardReaderHooks {
  /** Resolves when there is room for another batch. */
  waitForRoom(): Promise<void>;
  accept(reply: ReadReply): void;
  /** The group is missing on some stream (stream deleted and recreated): create it again. */
  recreateGroups(streams: readonly string[]): Promise<void>;
}

export class ShardReader {
  private readonly streams: string[] = [];
  private readonly connection: Redis;
  private clientId: number | undefined;
  private version = 0;
  /** Version of the stream set the pending blocking read was issued with; undefined when not reading. */
  private readingVersion: number | undefined;
  private kicking = false;
  private stopped = false;
  private wakeEmpty: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    parent: Redis,
    private readonly control: Redis,
    private readonly options: ShardReaderOptions,
    private readonly hooks: ShardReaderHooks,
    private readonly logger: Logger,
  ) {
    this.connection = parent.duplicate({ enableAutoPipelining: false, connectionName: options.name });
    // Client ids change on reconnect; the loop asks for the new one before its next read.
    this.connection.on('close', () => (this.clientId = undefined));
  }

  get size(): number {
    return this.streams.length;
  }

  hasRoom(): boolean {
    return this.streams.length < this.options.capacity;
  }

  start(): void {
    this.loop ??= this.run();
  }

  add(streams: readonly string[]): void {
    this.streams.push(...streams);
    this.version++;
    this.wakeEmpty?.();
    void this.interrupt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeEmpty?.();
    this.connection.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      await this.hooks.waitForRoom();
      if (this.stopped) return;
      if (this.streams.length === 0) {
        await new Promise<void>((resolve) => (this.wakeEmpty = resolve));
        continue;
      }
      try {
        // Asked on this connection before blocking it: afterwards it could answer nothing else.
        this.clientId ??= Number(await this.connection.client('ID'));
        this.readingVersion = this.version;
        const streams = this.streams.slice();
        const reply = await this.connection.xreadgroup(
          'GROUP',
          this.options.group,
          this.options.consumer,
          'COUNT',
          this.options.count,
          'BLOCK',
          this.options.blockMs,
          'STREAMS',
          ...streams,
          ...streams.map(() => '>'),
        );
        this.readingVersion = undefined;
        backoffMs = 50;
        if (reply) this.hooks.accept(reply);
      } catch (e) {
        this.readingVersion = undefined;
        if (this.stopped) return;
        const error = ensureError(e);
        if (error.message.startsWith('NOGROUP')) {
          await this.hooks.recreateGroups(this.streams.slice()).catch((err: unknown) => this.warn(err));
          continue;
        }
        this.warn(error);
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /**
   * Unblocks the pending read if it was issued before the latest change. UNBLOCK can reach Redis
   * before the read itself does (two connections), so it is retried until the read is seen
   * blocked or has returned.
   */
  private async interrupt(): Promise<void> {
    if (this.kicking) return;
    this.kicking = true;
    try {
      for (let attempt = 0; attempt < 200; attempt++) {
        const reading = this.readingVersion;
        if (this.stopped || reading === undefined || reading >= this.version || this.clientId === undefined) return;
        const unblocked = await this.control.client('UNBLOCK', this.clientId);
        if (unblocked === 1) return;
        await sleep(1);
      }
    } catch (e) {
      this.warn(e);
    } finally {
      this.kicking = false;
    }
  }

  private warn(e: unknown): void {
    this.logger.warn('stream read failed; retrying', { err: ensureError(e), reader: this.options.name });
  }
}
