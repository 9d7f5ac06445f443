import { resolvePostgresSettings } from './postgres/settings';
import { resolveRedisSettings } from './redis/settings';

describe('transport settings', () => {
  it('fills Redis defaults and derives the claim interval from the idle time', () => {
    const settings = resolveRedisSettings({ url: 'redis://localhost:6379', keyPrefix: 'p:', claimIdleMs: 1000 });
    expect(settings).toMatchObject({ claimIdleMs: 1000, claimIntervalMs: 500, maxDeliveries: 5, batchSize: 100 });
  });

  it.each([
    [{ maxDeliveries: 0 }, /transport.maxDeliveries/],
    [{ claimIdleMs: 1.5 }, /transport.claimIdleMs/],
    [{ url: '' }, /transport.url/],
  ])('rejects Redis settings %j', (override, message) => {
    expect(() => resolveRedisSettings({ url: 'redis://localhost:6379', keyPrefix: '', ...override })).toThrow(message);
  });

  it('validates the Postgres schema name and integers', () => {
    expect(resolvePostgresSettings({ schema: 'wormhole' }).pollMs).toBe(1000);
    expect(() => resolvePostgresSettings({ schema: 'bad; drop' })).toThrow(/transport.schema/);
    expect(() => resolvePostgresSettings({ schema: 'ok', batchSize: -1 })).toThrow(/transport.batchSize/);
  });
});
