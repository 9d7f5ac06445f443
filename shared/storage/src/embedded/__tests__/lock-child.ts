/**
 * Child process for the cross-process lock race: waits until the epoch-ms time in argv[3], tries
 * to lock the directory in argv[2], prints `won` or `refused <message>`, holds a won lock for
 * argv[4] ms, releases it and exits. Run with `node --import tsx` from the repository root.
 */
import { DataDirLock } from '../data-dir-lock';

async function main(): Promise<void> {
  const [dir, startAt, holdMs] = process.argv.slice(2);
  if (!dir || !startAt || !holdMs) throw new Error('usage: lock-child <dir> <start-at-ms> <hold-ms>');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  let lock: DataDirLock;
  try {
    lock = await DataDirLock.acquire(dir);
  } catch (e) {
    process.stdout.write(`refused ${(e as Error).message}\n`);
    return;
  }
  process.stdout.write('won\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  await lock.release();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
