import type { Logger } from '@wormhole/interfaces';
import { openBackends } from '@wormhole/backends';
import type { Env } from '@wormhole/platform';
import { PromMetrics, createWinstonLogger, openSecretStore, processConsumerName } from '@wormhole/platform';
import { loadBlobConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import { loadExecutorConfig } from './config';
import { startExecutor } from './executor';

/**
 * Composition root of the executor service: reads config from `env`, builds the adapters, wires them
 * and starts. Returns how to stop everything it started.
 */
export async function bootExecutor(env: Env): Promise<{ stop(): Promise<void>; graceMs: number; logger: Logger }> {
  const config = loadExecutorConfig(env);
  const transport = loadTransportConfig(env, config.storage.type);
  const blobs = loadBlobConfig(env, config.storage);
  const logger = createWinstonLogger({ service: 'executor', level: config.logLevel });
  const metrics = new PromMetrics({ defaultLabels: { service: 'executor' } });
  const backends = await openBackends({ storage: config.storage, transport, blobs }, { logger, metrics });
  const running = await startExecutor({
    config,
    db: backends.db,
    stream: backends.stream,
    timers: await backends.timers(),
    secrets: openSecretStore(config.secrets, env),
    logger,
    metrics,
    consumerName: processConsumerName('executor'),
  });
  return {
    graceMs: config.shutdownGraceMs,
    logger,
    stop: async () => {
      await running.stop();
      await backends.close();
    },
  };
}
