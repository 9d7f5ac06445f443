/**
 * Requests per second the API answers for the three calls clients make most: start a run
 * (create), read one (get) and list a workflow's runs (list), each driven by autocannon for a few
 * seconds with a fixed number of connections kept busy.
 */
import autocannon from 'autocannon';
import type { Api } from '../__tests__/engine-harness';

export interface ApiFigures {
  readonly create_per_second: number;
  readonly get_per_second: number;
  readonly list_per_second: number;
}

export async function requestsPerSecond(options: autocannon.Options): Promise<number> {
  const result = await autocannon({ connections: 10, ...options });
  // A rate of errors is not a rate of answers.
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${options.method ?? 'GET'} ${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return Math.round(result.requests.average);
}

export async function measureApi(api: Api, workflow: string, seconds: number): Promise<ApiFigures> {
  const base = `${api.base}/api/v1/${api.tenant}`;
  const execution = await api.execute(workflow, { input: { qty: 3 } });
  const create = await requestsPerSecond({
    url: `${base}/workflows/${workflow}/execute`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { qty: 3 } }),
    duration: seconds,
  });
  const get = await requestsPerSecond({ url: `${base}/executions/${execution}`, duration: seconds });
  const list = await requestsPerSecond({
    url: `${base}/workflows/${workflow}/executions?limit=20`,
    duration: seconds,
  });
  return { create_per_second: create, get_per_second: get, list_per_second: list };
}
