import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * A service whose start-up takes 600 ms, run in a process of its own and sent SIGTERM as soon as
 * it says it is booting; returns its exit code and output.
 */
function runSlowStart(): Promise<{ code: number | null; output: string }> {
  const script = `
    const { runService, MemoryLogger } = require('@wormhole/platform');
    const logger = new MemoryLogger();
    const log = (m) => process.stdout.write(m + '\\n');
    runService('slow', async () => {
      log('booting');
      await new Promise((r) => setTimeout(r, 600));
      log('booted');
      return { graceMs: 2000, logger: { ...logger, info: (m) => log(m), error: (m) => log(m), child: () => logger }, stop: async () => log('stop called') };
    });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let signalled = false;
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
    if (!signalled && output.includes('booting')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('runService', () => {
  it('holds a SIGTERM that arrives during start-up, then stops the service gracefully', async () => {
    const { code, output } = await runSlowStart();
    expect(output.indexOf('booted')).toBeGreaterThan(output.indexOf('booting'));
    expect(output).toContain('stop called');
    expect(code).toBe(0);
  });
});
