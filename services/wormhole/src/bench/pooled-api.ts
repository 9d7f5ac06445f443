/**
 * The load generator's client: the harness's Api over one keep-alive undici Pool per engine.
 * Node's global fetch spends about a millisecond of CPU per request (WHATWG streams, Headers
 * objects); on 2 cores the load generator shares the machine with the engine it measures, so its
 * own CPU was taken from the engine's (measured: 1.5 ms of client CPU per started run with fetch).
 */
import { Pool } from 'undici';
import { Api } from '../__tests__/engine-harness';

export class PooledApi extends Api {
  private readonly pool: Pool;

  constructor(base: string, tenant: string, connections = 64) {
    super(base, tenant);
    this.pool = new Pool(base, { connections, pipelining: 1 });
  }

  override async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.pool.request({
      method: method as 'GET' | 'POST' | 'PUT' | 'DELETE',
      path: `/api/v1/${this.tenant}${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
