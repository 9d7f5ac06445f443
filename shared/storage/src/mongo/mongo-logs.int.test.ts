import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import { MongoLogRepository } from './log-repository';
import { mongoTestUrl } from './testing';

const url = mongoTestUrl();
const suite = url && testServersReachable(['mongo']) ? describe : describe.skip;

suite('execution_logs in Mongo', () => {
  const database = `wh_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let client: MongoClient;
  let logs: MongoLogRepository;

  beforeAll(async () => {
    client = new MongoClient(url!);
    await client.connect();
    logs = await MongoLogRepository.create(
      { url: url!, database, logRetentionDays: 7 },
      { logger: new MemoryLogger(), metrics: new NoopMetrics() },
    );
  });

  afterAll(async () => {
    await client.db(database).dropDatabase();
    await client.close();
    await logs.close();
  });

  it('stores the documents in the shape of the storage design', async () => {
    await logs.append('acme', [
      {
        tenant_id: 'acme',
        execution_id: 'ex_1',
        step_run_id: 'st_1',
        task: '/do/0/a',
        level: 'warn',
        message: 'slow',
        context: { ms: 1200 },
        timestamp: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const doc = await client
      .db(database)
      .collection('execution_logs')
      .findOne({}, { projection: { _id: 0 } });
    expect(doc).toEqual({
      tenantId: 'acme',
      workflowRunId: 'ex_1',
      stepRunId: 'st_1',
      task: '/do/0/a',
      level: 'warn',
      message: 'slow',
      context: { ms: 1200 },
      timestamp: new Date('2026-01-01T00:00:00.000Z'),
    });
  });

  it('has the three query indexes and a TTL on timestamp from the retention setting', async () => {
    const indexes = await client.db(database).collection('execution_logs').indexes();
    const keys = indexes.map((i) => ({ key: i.key, ttl: i.expireAfterSeconds }));
    expect(keys).toEqual(
      expect.arrayContaining([
        { key: { tenantId: 1, workflowRunId: 1 }, ttl: undefined },
        { key: { tenantId: 1, workflowRunId: 1, stepRunId: 1 }, ttl: undefined },
        { key: { tenantId: 1, level: 1 }, ttl: undefined },
        { key: { timestamp: 1 }, ttl: 7 * 86400 },
      ]),
    );
    expect(await logs.health()).toMatchObject({ name: 'mongo-logs', ok: true });
  });

  it('applies a changed LOG_RETENTION_DAYS to the existing TTL index at the next start', async () => {
    const deps = { logger: new MemoryLogger(), metrics: new NoopMetrics() };
    const restarted = await MongoLogRepository.create({ url: url!, database, logRetentionDays: 30 }, deps);
    await restarted.close();
    const ttl = (await client.db(database).collection('execution_logs').indexes()).find(
      (i) => i.name === 'ttl_timestamp',
    );
    expect(ttl?.expireAfterSeconds).toBe(30 * 86400);
  });
});
