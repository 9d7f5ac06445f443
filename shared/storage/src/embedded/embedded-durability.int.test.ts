import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DataDirLockedError } from './data-dir-lock';
import { EmbeddedDatabase } from './embedded-database';
import { makeTempDataDir, testStorageDeps } from './testing';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const CHILD = path.join(__dirname, '__tests__', 'crash-child.ts');

describe('EmbeddedDatabase durability', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps data across close and reopen of the same directory', async () => {
    const dir = await tempDir();
    const first = await EmbeddedDatabase.create(dir, testStorageDeps());
    const wf = await first.workflows.create('acme', {
      name: 'kept',
      definition: { document: { dsl: '1.0.0', namespace: 'ns', name: 'kept', version: '1.0.0' }, do: [] },
      spec_version: '1.0.0',
      tags: ['durable'],
    });
    const { execution } = await first.executions.create('acme', {
      workflow_id: wf.id,
      workflow_version: 1,
      input: { n: 1 },
    });
    await first.close();

    const second = await EmbeddedDatabase.create(dir, testStorageDeps());
    try {
      expect(await second.workflows.get('acme', wf.id)).toEqual(wf);
      expect(await second.executions.get('acme', execution.id)).toEqual(execution);
      expect(second.dataDir).toBe(path.resolve(dir));
      expect(await second.health()).toEqual([
        expect.objectContaining({ name: 'embedded', ok: true, data_dir: path.resolve(dir) }),
      ]);
    } finally {
      await second.close();
    }
    expect((await fs.readdir(dir)).filter((name) => name.startsWith('wormhole.lock'))).toEqual([]);
  });

  it('refuses a second open of one directory in the same process, naming the directory and pid', async () => {
    const dir = await tempDir();
    const db = await EmbeddedDatabase.create(dir, testStorageDeps());
    try {
      const second = EmbeddedDatabase.create(dir, testStorageDeps());
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(second).rejects.toMatchObject({ dataDir: path.resolve(dir), holderPid: process.pid });
      // The refused open must not have disturbed the first: it still works and still holds the lock.
      expect(
        await db.workflows.list('acme', { limit: 1, offset: 0, sortBy: 'created_at', sortOrder: 'asc' }),
      ).toMatchObject({
        total: 0,
      });
    } finally {
      await db.close();
    }
    // Closed: the directory can be opened again.
    await (await EmbeddedDatabase.create(dir, testStorageDeps())).close();
  });

  it('keeps every committed write when the process is killed with SIGKILL mid-write, and refuses the directory while it runs', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout });
    const committed: string[] = [];
    let childPid: number | undefined;
    const enough = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const [word, value] = line.split(' ');
        if (word === 'ready') childPid = Number(value);
        if (word === 'committed' && value) committed.push(value);
        if (committed.length === 30) resolve();
      });
      void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });
    await enough;

    // While the child runs, a second process on the directory must fail fast, naming the holder.
    const refused = EmbeddedDatabase.create(dir, testStorageDeps());
    await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(refused).rejects.toThrow(new RegExp(`${escapeRegExp(path.resolve(dir))}.*pid ${childPid}`));

    child.kill('SIGKILL'); // while it is writing: it never stops between creates
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    const reported = [...committed];

    // The dead holder's lock is taken over; everything reported committed is there and intact.
    const db = await EmbeddedDatabase.create(dir, testStorageDeps());
    try {
      for (const id of reported) expect((await db.workflows.get('crash', id)).tags).toEqual(['crash']);
      const all = await db.workflows.list('crash', { limit: 1000, offset: 0, sortBy: 'created_at', sortOrder: 'asc' });
      expect(all.total).toBeGreaterThanOrEqual(reported.length);
      // A create in flight at the kill is either whole or absent: every listed workflow reads back.
      for (const wf of all.items) expect(await db.workflows.get('crash', wf.id)).toEqual(wf);
      // And the database takes writes again.
      await db.workflows.create('crash', { name: 'after', definition: { do: [] }, spec_version: '1.0.0' });
    } finally {
      await db.close();
    }
  }, 60_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
