import type { BackendHealth } from '@wormhole/interfaces';
import { ensureError } from '@wormhole/interfaces';

/**
 * Times `ping` against a backend and reports it as a health entry: ok with the latency in ms
 * (to the microsecond), or not ok with the error's message. Never throws.
 */
export async function probeBackend(name: string, ping: () => Promise<unknown>): Promise<BackendHealth> {
  const started = performance.now();
  try {
    await ping();
    return { name, ok: true, latency_ms: Math.round((performance.now() - started) * 1000) / 1000 };
  } catch (e) {
    return { name, ok: false, error: ensureError(e).message };
  }
}

/**
 * The health of everything a role runs on: the database (with its log and blob stores) and the
 * event transport, asked at once. A role without either is not healthy.
 */
export async function roleHealth(
  db: { health(): Promise<BackendHealth[]> },
  stream: { health(): Promise<BackendHealth> },
): Promise<BackendHealth[]> {
  const [database, transport] = await Promise.all([db.health(), stream.health()]);
  return [...database, transport];
}
