import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnavailableError } from '@wormhole/interfaces';

/** Lock files are `wormhole.lock.<generation>`; the highest generation is the lock. */
export const LOCK_FILE = 'wormhole.lock';
const GENERATION = /^wormhole\.lock\.(\d{1,15})$/;

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

/** What a lock file holds: enough to tell a live holder from a dead one. */
interface LockRecord {
  readonly pid: number;
  readonly host: string;
  /** Linux process start time (clock ticks since boot): tells a reused pid from the original holder. */
  readonly started?: string;
  /** Unique per acquisition: tells this process's own locks from an earlier process with its pid. */
  readonly token: string;
  readonly acquiredAt: string;
}

/** Tokens of the locks this process holds or is acquiring. */
const ownTokens = new Set<string>();

/**
 * An exclusive lock on a data directory. Two processes on one PGlite directory corrupt it
 * silently, so the second must fail at start; a lock left by a dead process is taken over.
 *
 * Nothing ever deletes a file that might belong to a live holder: taking over a dead holder's
 * generation N means creating N+1 with O_EXCL (only one process can), then checking that no
 * higher generation appeared meanwhile (else backing off). Lower generations, whose holders were
 * dead when they were superseded, are then removed.
 */
export class DataDirLock {
  private released: Promise<void> | undefined;

  private constructor(
    readonly dataDir: string,
    /** The lock file this process created. */
    readonly file: string,
    private readonly token: string,
  ) {}

  /** Creates the directory if missing. Throws DataDirLockedError if a live process holds it. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const dir = path.resolve(dataDir);
    await fs.mkdir(dir, { recursive: true });
    const record: LockRecord = {
      pid: process.pid,
      host: os.hostname(),
      started: processStartTicks(process.pid),
      token: randomUUID(),
      acquiredAt: new Date().toISOString(),
    };
    ownTokens.add(record.token);
    try {
      // A pass repeats only when another process raced us for the same generation.
      for (let attempt = 0; attempt < 10; attempt++) {
        const file = await tryGeneration(dir, record);
        if (file) return new DataDirLock(dir, file, record.token);
      }
    } catch (e) {
      ownTokens.delete(record.token);
      throw e;
    }
    ownTokens.delete(record.token);
    throw new UnavailableError('embedded', `could not take the lock on data directory ${dir} (contended)`);
  }

  /** Removes this process's lock file. Idempotent. */
  release(): Promise<void> {
    this.released ??= fs.rm(this.file, { force: true }).finally(() => ownTokens.delete(this.token));
    return this.released;
  }
}

/** One attempt: the created lock file, or undefined to try again. Throws on a live holder. */
async function tryGeneration(dir: string, record: LockRecord): Promise<string | undefined> {
  const top = (await generations(dir)).at(-1) ?? 0;
  if (top > 0) {
    const topFile = lockFile(dir, top);
    const holder = await readRecord(topFile);
    if (holder === 'missing') return undefined; // released or superseded meanwhile
    if (holder === 'unreadable') {
      // Created but not yet written, or its writer died right after creating it.
      if (!(await olderThan(topFile, 5_000))) return sleep(200);
    } else {
      const live = liveHolder(holder, topFile);
      if (live) throw new DataDirLockedError(dir, holder.pid, holder.host, live);
    }
  }
  const mine = lockFile(dir, top + 1);
  if (!(await createExclusive(mine, record))) return undefined;
  const after = await generations(dir);
  if (after.at(-1) !== top + 1) {
    // A process that saw a newer generation than ours won; it is judged on the next pass.
    await fs.rm(mine, { force: true });
    return undefined;
  }
  for (const g of after) if (g < top + 1) await fs.rm(lockFile(dir, g), { force: true });
  return mine;
}

function lockFile(dir: string, generation: number): string {
  return path.join(dir, `${LOCK_FILE}.${generation}`);
}

async function generations(dir: string): Promise<number[]> {
  const names = await fs.readdir(dir);
  const found: number[] = [];
  for (const name of names) {
    const match = GENERATION.exec(name);
    if (match?.[1]) found.push(Number(match[1]));
  }
  return found.sort((a, b) => a - b);
}

async function createExclusive(file: string, record: LockRecord): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(JSON.stringify(record));
    // The lock must be on disk before we touch the database: a crash right after must leave it.
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
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string' && typeof parsed.host === 'string') {
      return parsed as LockRecord;
    }
  } catch {
    // fall through: empty or cut short
  }
  return 'unreadable';
}

/** Describes the holder for the error if it may still be running; undefined if it is dead. */
function liveHolder(holder: LockRecord, file: string): string | undefined {
  if (ownTokens.has(holder.token)) return `this process (pid ${holder.pid}): it is already open here`;
  if (holder.host !== os.hostname()) {
    // A directory on a shared volume (or a new container): we cannot see that machine's processes.
    return `pid ${holder.pid} on host ${holder.host} (delete ${file} if that process is not running)`;
  }
  // Our own pid in a lock we did not take: an earlier process (a restarted container's pid 1).
  if (holder.pid === process.pid || !processAlive(holder.pid)) return undefined;
  const started = processStartTicks(holder.pid);
  if (holder.started !== undefined && started !== undefined && started !== holder.started) return undefined;
  return `another process, pid ${holder.pid} (lock file ${file})`;
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs > ms;
  } catch {
    return true;
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
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
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
