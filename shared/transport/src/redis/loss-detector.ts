/**
 * Notices that the Redis server lost the transport's data. A marker (the epoch, a random value) is
 * written when the transport connects and read again after every reconnect: missing means the
 * server came back empty (restarted without persistence, or flushed), a different value means
 * another process noticed first and wrote a new one. Either way, messages published before may be
 * gone, together with the consumer groups' pending lists, the stream and group registries.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';

export class LossDetector {
  private epoch: string | undefined;
  private checking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly logger: Logger,
    /** Called once per loss noticed, with the time it was noticed. */
    private readonly onLoss: (lostBefore: Date) => Promise<void>,
  ) {}

  /** Reads (or writes) the epoch, then checks it after every reconnect. */
  async start(): Promise<void> {
    this.epoch = await this.current();
    this.redis.on('ready', this.onReady);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.off('ready', this.onReady);
    await this.checking;
  }

  private readonly onReady = (): void => {
    // Checks run one at a time: two reconnects in a row must not report one loss twice.
    this.checking = this.checking
      .then(() => this.check())
      .catch((e: unknown) =>
        this.logger.warn('could not check whether Redis kept the transport data', { err: ensureError(e) }),
      );
  };

  private async check(): Promise<void> {
    if (this.stopped) return;
    const noticed = new Date();
    const epoch = await this.current();
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.logger.warn('Redis lost the transport data (restarted empty?); outstanding work is published again');
    await this.onLoss(noticed);
  }

  /** The epoch, written first when missing. */
  private async current(): Promise<string> {
    await this.redis.set(this.key, randomUUID(), 'NX');
    return (await this.redis.get(this.key)) ?? '';
  }
}
