import { RateLimitedError } from '@wormhole/interfaces';

interface Bucket {
  tokens: number;
  /** When `tokens` was last refilled, in milliseconds. */
  at: number;
}

/** Buckets kept before idle (full) ones are dropped, so tenants that stopped starting cost nothing. */
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per tenant for execution starts: `ratePerSecond` tokens flow in, at most `burst`
 * are kept, each start takes one. It lives in the API process (no shared state), so with N API
 * processes behind a balancer a tenant may start up to N times the rate. Hand-written rather than
 * a library: it is a dozen lines of arithmetic, and it must be keyed by tenant with a fake clock.
 */
export class StartRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error('StartRateLimiter needs a rate > 0 and a burst >= 1');
  }

  /** Takes one start for the tenant. @throws RateLimitedError when its bucket is empty */
  take(tenantId: string): void {
    const now = this.now();
    const bucket = this.refilled(tenantId, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const waitSeconds = (1 - bucket.tokens) / this.ratePerSecond;
    throw new RateLimitedError(
      `tenant '${tenantId}' starts executions faster than ${this.ratePerSecond}/s (TENANT_START_RATE, burst ${this.burst})`,
      Math.max(1, Math.ceil(waitSeconds)),
    );
  }

  private refilled(tenantId: string, now: number): Bucket {
    let bucket = this.buckets.get(tenantId);
    if (bucket === undefined) {
      if (this.buckets.size >= PRUNE_ABOVE) this.pruneFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(tenantId, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.ratePerSecond);
    bucket.at = now;
    return bucket;
  }

  /** A bucket that would be full now is the same as no bucket. */
  private pruneFull(now: number): void {
    for (const [tenantId, bucket] of this.buckets) {
      const tokens = bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.ratePerSecond;
      if (tokens >= this.burst) this.buckets.delete(tenantId);
    }
  }
}
