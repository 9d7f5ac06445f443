import type { LogEntry } from '@wormhole/interfaces';
import { newId } from '@wormhole/interfaces';
import { MemoryLogger } from '@wormhole/platform';
import type { TestEmbedded } from '@wormhole/storage';
import { openTestEmbedded } from '@wormhole/storage';
import { LogRetention } from './log-retention';

const NOW = Date.UTC(2026, 5, 30);
const DAY = 86_400_000;

function line(executionId: string, daysAgo: number): LogEntry {
  return {
    tenant_id: 'acme',
    execution_id: executionId,
    level: 'info',
    message: `${daysAgo} days ago`,
    timestamp: new Date(NOW - daysAgo * DAY).toISOString(),
  };
}

describe('LogRetention', () => {
  let embedded: TestEmbedded;
  beforeAll(async () => {
    embedded = await openTestEmbedded();
  });
  afterAll(() => embedded.cleanup());

  it('deletes the lines older than the retention, in batches, and keeps the rest', async () => {
    const logs = embedded.db.logs;
    const [a, b] = [newId('execution'), newId('execution')];
    await logs.append('acme', [line(a, 45), line(a, 31), line(a, 29), line(a, 0)]);
    await logs.append('acme', [line(b, 400), line(b, 30.5)]);
    const logger = new MemoryLogger();
    const retention = new LogRetention(
      logs,
      logger,
      { retentionDays: 30, intervalMs: 3_600_000, batchSize: 2 },
      () => NOW,
    );
    expect(await retention.purge()).toBe(4);
    expect((await logs.list('acme', a)).map((l) => l.message)).toEqual(['29 days ago', '0 days ago']);
    expect(await logs.list('acme', b)).toEqual([]);
    expect(logger.lines.some((e) => e.message === 'execution logs purged' && e.fields.lines === 4)).toBe(true);
    expect(await retention.purge()).toBe(0);
  });
});
