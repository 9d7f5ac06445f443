import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { CONTRACT_SETTINGS, eventStreamContract } from '../__tests__/event-stream.contract';
import type { OpenedEventStream } from '../__tests__/event-stream.contract';
import { StreamWakeups } from '../core/wakeups';
import { createKeys } from '../keys';
import { PostgresEventStream } from './postgres-event-stream';
import { statements } from './sql';

async function openPostgres(): Promise<OpenedEventStream> {
  const schema = `wh_transport_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
  const wakeups = new StreamWakeups();
  const stream = await PostgresEventStream.create(
    pool,
    // A long poll: pick-up of new streams must come from the wake-ups, not from polling.
    { schema, pollMs: 5000, ...CONTRACT_SETTINGS },
    { logger: new MemoryLogger(), metrics: new NoopMetrics(), wakeups },
  );
  const sql = statements(schema);
  const keys = createKeys('');
  return {
    stream,
    storedCount: async (tenant, workflow) => {
      const result = await pool.query<{ n: number }>(sql.storedCount, [keys.workflowEvents(tenant, workflow)]);
      return result.rows[0]?.n ?? 0;
    },
    appendRaw: async (tenant, workflow, raw) => {
      await pool.query(sql.publish, [[keys.workflowEvents(tenant, workflow)], [tenant], [raw]]);
      wakeups.notify();
    },
    listPoison: (tenant) => stream.listPoisonMessages(tenant, 100),
    cleanup: async () => {
      await stream.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

eventStreamContract('postgres', openPostgres, ['postgres']);
