/**
 * Child process for the crash test: opens the embedded database in the directory given as
 * argv[2], says `ready <pid>`, then creates workflows one after another, printing
 * `committed <id>` after each create resolved, until it is killed (or 60 s pass, so a lost parent
 * never leaves it running). Run with `node --import tsx` from the repository root.
 */
import { MemoryLogger, NoopMetrics } from '@wormhole/platform';
import { EmbeddedDatabase } from '../embedded-database';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: crash-child <data-dir>');
  const db = await EmbeddedDatabase.create(dataDir, { logger: new MemoryLogger(), metrics: new NoopMetrics() });
  process.stdout.write(`ready ${process.pid}\n`);
  const until = Date.now() + 60_000;
  for (let i = 0; Date.now() < until; i++) {
    const wf = await db.workflows.create('crash', {
      name: `crash-${i}`,
      definition: { document: { dsl: '1.0.0', namespace: 'crash', name: `crash-${i}`, version: '1.0.0' }, do: [] },
      spec_version: '1.0.0',
      tags: ['crash'],
    });
    process.stdout.write(`committed ${wf.id}\n`);
  }
  await db.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
