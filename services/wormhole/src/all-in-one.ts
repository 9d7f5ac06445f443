import type { Logger } from '@wormhole/interfaces';
import { openBackends } from '@wormhole/backends';
import { loadApiConfig, startApi } from '@wormhole/api';
import { loadExecutorConfig, startExecutor } from '@wormhole/executor';
import type { Env } from '@wormhole/platform';
import { PromMetrics, createWinstonLogger, openSecretStore, processConsumerName } from '@wormhole/platform';
import { loadBlobConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import { createExpressionEngine, loadWorkerConfig, startWorker } from '@wormhole/worker';

/**
 * Every role in one process, sharing one database, one transport and one metrics registry,
 * composed through the services' public start functions. The API serves /health and /metrics
 * for all of them.
 */
export async function bootAllInOne(
  env: Env,
): Promise<{ stop(): Promise<void>; graceMs: number; logger: Logger; port: number }> {
  const apiConfig = loadApiConfig(env);
  const workerConfig = loadWorkerConfig(env);
  const executorConfig = loadExecutorConfig(env);
  const secrets = openSecretStore(executorConfig.secrets, env);
  const transport = loadTransportConfig(env, apiConfig.storage.type);
  const blobs = loadBlobConfig(env, apiConfig.storage);
  const logger = createWinstonLogger({ service: 'wormhole', level: apiConfig.logLevel });
  const metrics = new PromMetrics({ defaultLabels: { service: 'wormhole' } });
  const backends = await openBackends({ storage: apiConfig.storage, transport, blobs }, { logger, metrics });
  const { db, stream } = backends;
  const timers = await backends.timers();
  const expressions = await createExpressionEngine(workerConfig);
  const executor = await startExecutor({
    config: executorConfig,
    db,
    stream,
    timers,
    secrets,
    logger: logger.child({ role: 'executor' }),
    metrics,
    consumerName: processConsumerName('executor'),
    serveHealth: false,
  });
  const worker = await startWorker({
    config: workerConfig,
    db,
    stream,
    evaluator: expressions.evaluator,
    secrets,
    logger: logger.child({ role: 'worker' }),
    metrics,
    consumerName: processConsumerName('worker'),
    serveHealth: false,
  });
  const api = await startApi({
    config: apiConfig,
    db,
    stream,
    logger: logger.child({ role: 'api' }),
    metrics,
    port: apiConfig.port,
    host: apiConfig.host,
  });
  return {
    graceMs: apiConfig.shutdownGraceMs,
    logger,
    port: api.port,
    stop: async () => {
      await api.stop();
      await worker.stop();
      await executor.stop();
      await expressions.close();
      await backends.close();
    },
  };
}
