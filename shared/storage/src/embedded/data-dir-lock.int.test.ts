import { execFile, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock';
import { makeTempDataDir } from './testing';

interface Record {
  pid: number;
  host: string;
  started?: string;
  token: string;
  acquiredAt: string;
}

function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The lock files in a directory, lowest generation first. */
async function lockFiles(dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.startsWith(`${LOCK_FILE}.`));
  return names.sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('DataDirLock', () => {
  let dir: string;
  /** A lock file of generation 1, as another process would have left it. */
  let lockFile: string;
  const writeLock = async (record: Partial<Record>, mtime?: Date): Promise<void> => {
    await fs.writeFile(
      lockFile,
      JSON.stringify({ host: os.hostname(), token: 'theirs', acquiredAt: new Date().toISOString(), ...record }),
    );
    if (mtime) await fs.utimes(lockFile, mtime, mtime);
  };
  /** The record of the current (highest) generation. */
  const readLock = async (): Promise<Record> => {
    const top = (await lockFiles(dir)).at(-1)!;
    return JSON.parse(await fs.readFile(path.join(dir, top), 'utf8')) as Record;
  };

  beforeEach(async () => {
    dir = await makeTempDataDir();
    lockFile = path.join(dir, `${LOCK_FILE}.1`);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('creates a missing directory, writes its pid, and removes the file on release (idempotent)', async () => {
    const nested = path.join(dir, 'a', 'b');
    const lock = await DataDirLock.acquire(nested);
    expect(lock.dataDir).toBe(nested);
    expect(lock.file).toBe(path.join(nested, `${LOCK_FILE}.1`));
    const held = JSON.parse(await fs.readFile(lock.file, 'utf8')) as Record;
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname(), started: startTicks(process.pid) });
    await lock.release();
    await lock.release();
    expect(await lockFiles(nested)).toEqual([]);
  });

  it('refuses a live holder, naming the directory and its pid', async () => {
    const parent = process.ppid;
    await writeLock({ pid: parent, started: startTicks(parent) });
    const attempt = DataDirLock.acquire(dir);
    await expect(attempt).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(attempt).rejects.toMatchObject({ dataDir: dir, holderPid: parent });
    await expect(attempt).rejects.toThrow(
      `data directory ${dir} is in use by another process, pid ${parent} (lock file ${lockFile})`,
    );
    expect(await lockFiles(dir)).toEqual([`${LOCK_FILE}.1`]);
  });

  it('refuses a holder on another host, whose processes it cannot see', async () => {
    await writeLock({ pid: deadPid(), host: 'elsewhere' });
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(/on host elsewhere/);
  });

  it('takes over the lock of a dead process with the next generation, removing the old one', async () => {
    await writeLock({ pid: deadPid() });
    const lock = await DataDirLock.acquire(dir);
    expect(await lockFiles(dir)).toEqual([`${LOCK_FILE}.2`]);
    expect(await readLock()).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(await lockFiles(dir)).toEqual([]);
  });

  it('takes over a lock whose pid now belongs to a different process (start time differs)', async () => {
    await writeLock({ pid: process.ppid, started: '1' });
    const lock = await DataDirLock.acquire(dir);
    expect(await readLock()).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock left by an earlier process with this pid (a restarted container)', async () => {
    await writeLock({ pid: process.pid, started: '1' });
    const lock = await DataDirLock.acquire(dir);
    expect((await readLock()).token).not.toBe('theirs');
    await lock.release();
  });

  it('takes over an old unreadable lock file, but waits out a fresh one that may be being written', async () => {
    await fs.writeFile(lockFile, '');
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(/contended/);
    expect(await lockFiles(dir)).toEqual([`${LOCK_FILE}.1`]);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockFile, old, old);
    const lock = await DataDirLock.acquire(dir);
    expect(await readLock()).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('refuses a second acquisition in the same process', async () => {
    const lock = await DataDirLock.acquire(dir);
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(/already open here/);
    await lock.release();
    await (await DataDirLock.acquire(dir)).release();
  });

  it('judges only the highest generation: a live newer holder refuses even over a dead older one', async () => {
    await writeLock({ pid: deadPid() });
    await fs.writeFile(
      path.join(dir, `${LOCK_FILE}.3`),
      JSON.stringify({ pid: process.ppid, host: os.hostname(), started: startTicks(process.ppid), token: 'newer' }),
    );
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(`pid ${process.ppid}`);
    expect(await lockFiles(dir)).toEqual([`${LOCK_FILE}.1`, `${LOCK_FILE}.3`]);
  });

  it('releases only its own file, leaving a newer generation alone', async () => {
    const lock = await DataDirLock.acquire(dir);
    const newer = path.join(dir, `${LOCK_FILE}.2`);
    await fs.writeFile(newer, '{}');
    await lock.release();
    expect(await lockFiles(dir)).toEqual([`${LOCK_FILE}.2`]);
  });

  it('lets exactly one of several concurrent takeovers of a stale lock win', async () => {
    await writeLock({ pid: deadPid() });
    // Within one process the losers are refused as "already open here"; across processes they
    // would name the winner's pid. Either way exactly one acquisition succeeds.
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map(() => DataDirLock.acquire(dir)));
    const won = results.filter((r): r is PromiseFulfilledResult<DataDirLock> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataDirLockedError);
    expect(await lockFiles(dir)).toEqual([path.basename(won[0]!.value.file)]);
    await won[0]!.value.release();
  });

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    await writeLock({ pid: deadPid() });
    const child = path.join(__dirname, '__tests__', 'lock-child.ts');
    const run = promisify(execFile);
    // Every child starts its attempt at the same wall-clock moment, after tsx has loaded.
    const startAt = String(Date.now() + 4000);
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() =>
        run(process.execPath, ['--import', 'tsx', child, dir, startAt, '1500'], { cwd: REPO_ROOT, timeout: 20_000 }),
      ),
    );
    const lines = outputs.map((o) => o.stdout.trim());
    expect(lines.filter((l) => l === 'won')).toHaveLength(1);
    for (const line of lines.filter((l) => l !== 'won')) {
      expect(line).toMatch(/^refused .* is in use by another process, pid \d+/);
    }
    expect(await lockFiles(dir)).toEqual([]);
  }, 30_000);
});
