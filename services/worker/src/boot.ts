import type { Logger } from '@wormhole/interfaces';
import { openBackends } from '@wormhole/backends';
import type { Env } from '@wormhole/platform';
import { PromMetrics, createWinstonLogger, openSecretStore, processConsumerName } from '@wormhole/platform';
import { loadBlobConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import { loadWorkerConfig } from './config';
import { createExpressionEngine } from './expression-engine';
import { startWorker } from './worker';

/**
 * Composition root of the worker service: reads config from `env`, builds the adapters, wires them
 * and starts. Returns how to stop everything it started.
 */
export async function bootWorker(env: Env): Promise<{ stop(): Promise<void>; graceMs: number; logger: Logger }> {
  const config = loadWorkerConfig(env);
  const secrets = openSecretStore(config.secrets, env);
  const transport = loadTransportConfig(env, config.storage.type);
  const blobs = loadBlobConfig(env, config.storage);
  const logger = createWinstonLogger({ service: 'worker', level: config.logLevel });
  const metrics = new PromMetrics({ defaultLabels: { service: 'worker' } });
  const backends = await openBackends({ storage: config.storage, transport, blobs }, { logger, metrics });
  const { db, stream } = backends;
  const expressions = await createExpressionEngine(config);
  const running = await startWorker({
    config,
    db,
    stream,
    evaluator: expressions.evaluator,
    secrets,
    logger,
    metrics,
    consumerName: processConsumerName('worker'),
  });
  return {
    graceMs: config.shutdownGraceMs,
    logger,
    stop: async () => {
      await running.stop();
      await expressions.close();
      await backends.close();
    },
  };
}
