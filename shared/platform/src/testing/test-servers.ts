import type { Env } from '../config/env';

/** The servers integration suites run against. */
export type TestServer = 'postgres' | 'redis' | 'mongo';

/**
 * Whether every listed server was reachable when this test run started. Jest's global setup
 * (test/support/probe-servers.js) probes them once and records the missing ones; a suite that
 * needs one of them is skipped, and the run says so at the end. Outside jest's setup (nothing
 * recorded) every server counts as reachable, so a missing one fails loudly.
 */
export function testServersReachable(servers: readonly TestServer[], env: Env = process.env): boolean {
  const missing = new Set((env.WORMHOLE_TEST_UNREACHABLE ?? '').split(',').filter(Boolean));
  return servers.every((server) => !missing.has(server));
}
