import { RateLimitedError } from '@wormhole/interfaces';
import { StartRateLimiter } from './start-rate-limiter';

describe('StartRateLimiter', () => {
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  const refused = (limiter: StartRateLimiter, tenant: string): RateLimitedError => {
    try {
      limiter.take(tenant);
    } catch (error) {
      if (error instanceof RateLimitedError) return error;
      throw error;
    }
    throw new Error('expected the start to be refused');
  };

  it('allows a burst, then refuses until tokens flow back at the rate', () => {
    const limiter = new StartRateLimiter(2, 3, now);
    for (let i = 0; i < 3; i++) limiter.take('a');
    const error = refused(limiter, 'a');
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.message).toContain('TENANT_START_RATE');
    clock += 499; // 0.998 tokens: not yet one
    refused(limiter, 'a');
    clock += 2; // the refused attempts took nothing
    limiter.take('a');
    refused(limiter, 'a');
  });

  it('keeps one bucket per tenant', () => {
    const limiter = new StartRateLimiter(1, 1, now);
    limiter.take('a');
    refused(limiter, 'a');
    limiter.take('b');
  });

  it('never stores more than the burst, however long a tenant was idle', () => {
    const limiter = new StartRateLimiter(10, 2, now);
    limiter.take('a');
    clock += 3_600_000;
    limiter.take('a');
    limiter.take('a');
    refused(limiter, 'a');
  });

  it('asks slow-rate clients to wait the seconds one token takes', () => {
    const limiter = new StartRateLimiter(0.2, 1, now);
    limiter.take('a');
    expect(refused(limiter, 'a').retryAfterSeconds).toBe(5);
  });

  it('rejects a rate or burst that would refuse everything', () => {
    expect(() => new StartRateLimiter(0, 1)).toThrow();
    expect(() => new StartRateLimiter(1, 0)).toThrow();
  });
});
