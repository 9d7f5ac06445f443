import { readFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import type { ScheduledTimer, TimerStore } from '@wormhole/interfaces';
import { UnavailableError } from '@wormhole/interfaces';
import { LuaScript } from '../redis/lua';

// Run by its SHA1: the timer loop claims every TIMER_POLL_MS (20 ms), and EVAL would send the
// whole script text each time.
const CLAIM_DUE = new LuaScript(readFileSync(path.resolve(__dirname, '../../src/timers/claim-due.lua'), 'utf8'));

/**
 * Timers in Redis: a sorted set of ids by due time and a hash of their data. Claiming is one Lua
 * script, so two replicas never claim the same due timer within a lease.
 */
export class RedisTimerStore implements TimerStore {
  private readonly pendingKey: string;
  private readonly dataKey: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly ownsConnection = false,
  ) {
    this.pendingKey = `${keyPrefix}timers:pending`;
    this.dataKey = `${keyPrefix}timers:data`;
  }

  /** Opens its own connection (closed by `close()`). */
  static async connect(settings: {
    url: string;
    password?: string;
    db?: number;
    keyPrefix: string;
  }): Promise<RedisTimerStore> {
    const redis = new Redis(settings.url, {
      lazyConnect: true,
      connectionName: 'wormhole-timers',
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      ...(settings.db !== undefined ? { db: settings.db } : {}),
    });
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new UnavailableError('redis', 'cannot connect the timer store', { cause: e });
    }
    return new RedisTimerStore(redis, settings.keyPrefix, true);
  }

  async schedule(timer: ScheduledTimer): Promise<void> {
    await this.redis
      .multi()
      .hsetnx(this.dataKey, timer.id, JSON.stringify(timer))
      .zadd(this.pendingKey, 'NX', timer.dueAt, timer.id)
      .exec();
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ScheduledTimer[]> {
    const raw = (await CLAIM_DUE.run(this.redis, [this.pendingKey, this.dataKey], [now, limit, leaseMs])) as string[];
    return raw.map((json) => JSON.parse(json) as ScheduledTimer);
  }

  async complete(timerIds: readonly string[]): Promise<void> {
    if (timerIds.length === 0) return;
    await this.redis
      .multi()
      .zrem(this.pendingKey, ...timerIds)
      .hdel(this.dataKey, ...timerIds)
      .exec();
  }

  async cancel(timerId: string): Promise<void> {
    await this.complete([timerId]);
  }

  async nextDueAt(): Promise<number | undefined> {
    const [, score] = await this.redis.zrange(this.pendingKey, '0', '0', 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}
