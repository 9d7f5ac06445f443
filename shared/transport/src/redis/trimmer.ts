/**
 * Keeps Redis memory bounded: after messages of a stream are acknowledged, the stream is trimmed
 * below the oldest entry that some registered group still needs (see the TRIM script). Only
 * streams this process acknowledged on since the last pass are visited; the process whose ack
 * was the last one a stream waited for therefore always trims it.
 */
import type Redis from 'ioredis';
import type { Counter, Logger } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';
import type { TransportKeys } from '../keys';
import { Periodic } from '@wormhole/platform';
import { LuaScript } from './lua';
import { TRIM } from './scripts';

const trimScript = new LuaScript(TRIM);

export class Trimmer {
  private dirty = new Set<string>();
  private readonly periodic: Periodic;

  constructor(
    private readonly redis: Redis,
    private readonly keys: TransportKeys,
    intervalMs: number,
    private readonly trimmed: Counter,
    private readonly logger: Logger,
  ) {
    this.periodic = new Periodic(
      intervalMs,
      () => this.pass(),
      (e) => this.logger.warn('stream trim pass failed', { err: ensureError(e) }),
    ).start();
  }

  markDirty(stream: string): void {
    this.dirty.add(stream);
  }

  /** Stops the timer after one last pass, so acknowledgements just before a shutdown still count. */
  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.pass().catch((e: unknown) => this.logger.warn('final stream trim failed', { err: ensureError(e) }));
  }

  private async pass(): Promise<void> {
    const streams = [...this.dirty];
    this.dirty = new Set();
    const results = await Promise.allSettled(
      streams.map((stream) => trimScript.run(this.redis, [stream, this.keys.groupRegistry()], [])),
    );
    results.forEach((result, i) => {
      const stream = streams[i]!;
      if (result.status === 'fulfilled') {
        const removed = Number(result.value);
        if (removed > 0) this.trimmed.inc({}, removed);
        return;
      }
      this.dirty.add(stream);
      this.logger.warn('stream trim failed; will retry', { err: ensureError(result.reason), stream });
    });
  }
}
