import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnavailableError } from '@wormhole/interfaces';

export const LOCK_FILE = 'wormhole.lock';

/** Another live process (or this one) holds the data directory. */
export class DataDirLockedError extends UnavailableError {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly holderHost: string,
    detail: string,
  ) {
    super('embedded', `data directory ${dataDir} is in use by ${detail}`);
  }
}

/** What the lock file holds: enough to tell a live holder from a dead one, and whose it is. */
interface LockRecord {
  readonly pid: number;
  readonly host: string;
  /** Linux process start time (clock ticks since boot): tells a reused pid from the original holder. */
  readonly started?: string;
  /** Unique per acquisition, so release never removes a lock that someone else took over. */
  readonly token: string;
  readonly acquiredAt: string;
}

/** Lock files held by this process, by path: a second open in the same process must fail too. */
const heldHere = new Set<string>();

/**
 * An exclusive lock on a data directory: the file `wormhole.lock`, created with O_EXCL. Two
 * processes on one PGlite directory corrupt it silently, so the second must fail at start.
 * A lock left by a dead process (crash, kill -9) is taken over.
 */
export class DataDirLock {
  private released: Promise<void> | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly file: string,
    private readonly record: LockRecord,
  ) {}

  /** Creates the directory if missing. Throws DataDirLockedError if a live process holds it. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const dir = path.resolve(dataDir);
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    const record: LockRecord = {
      pid: process.pid,
      host: os.hostname(),
      started: processStartTicks(process.pid),
      token: randomUUID(),
      acquiredAt: new Date().toISOString(),
    };
    // Each pass either creates the file, fails on a live holder, or removes a dead holder's file;
    // a few passes only repeat when other processes race us for the same stale lock.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await tryCreate(file, record)) {
        heldHere.add(file);
        return new DataDirLock(dir, file, record);
      }
      const holder = await readRecord(file);
      if (holder === 'missing') continue;
      const live = liveHolder(holder, file);
      if (live) throw new DataDirLockedError(dir, live.pid, live.host, live.detail);
      await removeStale(file, holder);
    }
    throw new UnavailableError('embedded', `could not take the lock on data directory ${dir} (contended)`);
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void> {
    this.released ??= this.remove();
    return this.released;
  }

  private async remove(): Promise<void> {
    heldHere.delete(this.file);
    const current = await readRecord(this.file);
    if (current !== 'missing' && current !== 'unreadable' && current.token === this.record.token) {
      await fs.rm(this.file, { force: true });
    }
  }
}

async function tryCreate(file: string, record: LockRecord): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(JSON.stringify(record));
    // The lock must outlive a crash of this process right after start, or a restart would not see it.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readRecord(file: string): Promise<LockRecord | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') return parsed as LockRecord;
  } catch {
    // fall through: a holder that died between creating and writing the file leaves it empty
  }
  return 'unreadable';
}

/** The holder, described for the error, if it may still be running; undefined if it is dead. */
function liveHolder(
  holder: LockRecord | 'unreadable',
  file: string,
): { pid: number; host: string; detail: string } | undefined {
  if (holder === 'unreadable') {
    // Empty or garbled: a holder that died before writing it, or one writing it right now.
    // Only the former is old; give a writer a few seconds.
    return undefined;
  }
  const host = holder.host ?? 'unknown host';
  if (holder.host !== os.hostname()) {
    // A directory on a shared volume: we cannot see the other machine's processes.
    return { pid: holder.pid, host, detail: `pid ${holder.pid} on host ${host} (delete ${file} if it is not running)` };
  }
  if (heldHere.has(file)) {
    return { pid: holder.pid, host, detail: `this process (pid ${holder.pid}): it is already open here` };
  }
  if (holder.pid === process.pid || !processAlive(holder.pid)) return undefined;
  const started = processStartTicks(holder.pid);
  if (holder.started !== undefined && started !== undefined && started !== holder.started) return undefined;
  return { pid: holder.pid, host, detail: `another process, pid ${holder.pid} (lock file ${file})` };
}

/**
 * Moves a dead holder's file aside and deletes it. The rename is atomic, so of two processes
 * taking over the same stale lock only one moves it; if what we moved is no longer the stale
 * record (someone took over between our read and our rename), we put it back.
 */
async function removeStale(file: string, stale: LockRecord | 'unreadable'): Promise<void> {
  if (stale === 'unreadable' && !(await olderThan(file, 5_000))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return;
  }
  const aside = `${file}.stale-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fs.rename(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readRecord(aside);
  const sameAsStale =
    stale === 'unreadable'
      ? moved === 'unreadable'
      : moved !== 'missing' && moved !== 'unreadable' && moved.token === stale.token;
  if (!sameAsStale) {
    // Restore the live lock; link fails (EEXIST) only if yet another process created one meanwhile.
    await fs.link(aside, file).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs > ms;
  } catch {
    return true;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; undefined off Linux or if the process is gone. */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
