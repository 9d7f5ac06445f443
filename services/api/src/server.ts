import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDeps } from './app';
import { createApp } from './app';

export interface RunningApi {
  readonly port: number;
  /** Stops accepting connections and waits for open requests (streams are closed). */
  stop(): Promise<void>;
}

/** Starts the API role with already-built dependencies (the composition root builds them). */
export async function startApi(deps: ApiDeps & { readonly port: number; readonly host: string }): Promise<RunningApi> {
  let ready = false;
  const app = createApp({ ...deps, isReady: () => ready && (deps.isReady?.() ?? true) });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(deps.port, deps.host, () => resolve(s));
    s.once('error', reject);
  });
  ready = true;
  const port = (server.address() as AddressInfo).port;
  deps.logger.info('api listening', { port });
  return {
    port,
    stop: async () => {
      ready = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}
