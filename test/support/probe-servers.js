// Jest global setup: finds out once which test servers this machine can reach, so suites that
// need an unreachable one are skipped (and said so) instead of failing on a laptop with nothing
// installed. In CI (CI=true) an unreachable server fails the run: nothing may be skipped there.
const net = require('node:net');

const TIMEOUT_MS = 700;

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function mongoTarget(url) {
  try {
    const parsed = new URL(url.replace(/^mongodb(\+srv)?:/, 'http:'));
    return { host: parsed.hostname, port: Number(parsed.port || 27017) };
  } catch {
    return undefined;
  }
}

module.exports = async function probeServers() {
  const targets = [
    { name: 'postgres', host: '127.0.0.1', port: 5432 },
    { name: 'redis', host: '127.0.0.1', port: 6379 },
  ];
  const mongo = process.env.MONGODB_URL ? mongoTarget(process.env.MONGODB_URL) : undefined;
  if (mongo) targets.push({ name: 'mongo', ...mongo });
  const results = await Promise.all(targets.map(async (t) => ({ ...t, ok: await reachable(t.host, t.port) })));
  const down = results.filter((r) => !r.ok);
  const missing = [...down.map((r) => r.name), ...(process.env.MONGODB_URL ? [] : ['mongo'])];
  // Read by the suites through @wormhole/platform's testServersReachable; workers inherit it.
  process.env.WORMHOLE_TEST_UNREACHABLE = missing.join(',');
  const lines = [
    ...down.map((r) => `  ${r.name}: nothing answers at ${r.host}:${r.port}`),
    ...(process.env.MONGODB_URL
      ? []
      : ['  mongo: MONGODB_URL is not set (MONGODB_URL=$(bash .ci/mongo.sh) starts one)']),
  ];
  if (process.env.CI === 'true' && missing.length > 0) {
    throw new Error(`CI=true and test servers are missing, so their suites would be skipped:\n${lines.join('\n')}`);
  }
  process.env.WORMHOLE_TEST_SKIP_REPORT =
    missing.length === 0
      ? ''
      : `Skipped the suites that need these servers (everything else ran):\n${lines.join('\n')}\n`;
  if (missing.length > 0) process.stdout.write(`\n${process.env.WORMHOLE_TEST_SKIP_REPORT}`);
};
