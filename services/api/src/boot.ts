import type { Logger } from '@wormhole/interfaces';
import { openBackends } from '@wormhole/backends';
import type { Env } from '@wormhole/platform';
import { PromMetrics, createWinstonLogger } from '@wormhole/platform';
import { loadBlobConfig } from '@wormhole/storage';
import { loadTransportConfig } from '@wormhole/transport';
import { loadApiConfig } from './config';
import { startApi } from './server';

/**
 * Composition root of the API service: reads config from `env`, builds the adapters, wires them
 * and starts. Returns how to stop everything it started.
 */
export async function bootApi(
  env: Env,
): Promise<{ stop(): Promise<void>; graceMs: number; logger: Logger; port: number }> {
  const config = loadApiConfig(env);
  const transport = loadTransportConfig(env, config.storage.type);
  const blobs = loadBlobConfig(env, config.storage);
  const logger = createWinstonLogger({ service: 'api', level: config.logLevel });
  const metrics = new PromMetrics({ defaultLabels: { service: 'api' } });
  const backends = await openBackends({ storage: config.storage, transport, blobs }, { logger, metrics });
  const { db, stream } = backends;
  const api = await startApi({ config, db, stream, logger, metrics, port: config.port, host: config.host });
  return {
    graceMs: config.shutdownGraceMs,
    logger,
    port: api.port,
    stop: async () => {
      await api.stop();
      await backends.close();
    },
  };
}
