import type { Logger } from '@wormhole/interfaces';
import type { Env } from '@wormhole/platform';
import { PromMetrics, createWinstonLogger, processConsumerName } from '@wormhole/platform';
import { createDatabase } from '@wormhole/storage';
import { RedisEventStream, RedisTimerStore, loadTransportConfig } from '@wormhole/transport';
import { loadExecutorConfig } from './config';
import { startExecutor } from './executor';

/**
 * Composition root of the executor service: reads config from `env`, builds the adapters, wires them
 * and starts. Returns how to stop everything it started.
 */
export async function bootExecutor(env: Env): Promise<{ stop(): Promise<void>; graceMs: number; logger: Logger }> {
  const config = loadExecutorConfig(env);
  const transport = loadTransportConfig(env);
  const logger = createWinstonLogger({ service: 'executor', level: config.logLevel });
  const metrics = new PromMetrics({ defaultLabels: { service: 'executor' } });
  const db = await createDatabase(config.storage, { logger, metrics });
  const stream = await RedisEventStream.create(transport.redis, { logger, metrics });
  const timers = await RedisTimerStore.connect(transport.redis);
  const running = await startExecutor({
    config,
    db,
    stream,
    timers,
    logger,
    metrics,
    consumerName: processConsumerName('executor'),
  });
  return {
    graceMs: config.shutdownGraceMs,
    logger,
    stop: async () => {
      await running.stop();
      await stream.close();
      await timers.close();
      await db.close();
    },
  };
}
