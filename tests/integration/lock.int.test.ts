import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { acquireDataDirLock, DataDirLockedError } from '@/lib/db/lock';
import { createUser } from '@/lib/services/users';

const repo = path.resolve(import.meta.dirname, '../..');
let dir = '';
let lockPath = '';
const children: ChildProcess[] = [];
const handles: DbHandle[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-lock-'));
  lockPath = path.join(dir, 'pglite.lock');
});
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

const holder = () => JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number; command: string };

function liveChild(): ChildProcess {
  const c = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(c);
  expect(c.pid).toBeGreaterThan(0);
  return c;
}

describe('acquireDataDirLock', () => {
  it('writes our pid, and release removes the file (idempotently)', () => {
    const release = acquireDataDirLock(lockPath);
    expect(holder().pid).toBe(process.pid);
    expect(fs.statSync(lockPath).mode & 0o777).toBe(0o600);
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses a lock held by a live process, naming its pid, and leaves the lock alone', () => {
    const c = liveChild();
    fs.writeFileSync(lockPath, JSON.stringify({ pid: c.pid, command: 'steward worker' }));
    let err: unknown;
    try {
      acquireDataDirLock(lockPath);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLockedError);
    const locked = err as DataDirLockedError;
    expect(locked.pid).toBe(c.pid);
    expect(locked.command).toBe('steward worker');
    expect(locked.lockPath).toBe(lockPath);
    expect(locked.message).toContain(`in use by another Steward process (pid ${c.pid}: steward worker)`);
    expect(locked.message).toContain(`Only one process may open ${path.join(dir, 'pglite')} at a time`);
    expect(holder()).toEqual({ pid: c.pid, command: 'steward worker' });
  });

  it('takes over a lock left by a dead process', () => {
    const dead = spawnSync(process.execPath, ['-e', '']);
    expect(dead.status).toBe(0);
    expect(dead.pid).toBeGreaterThan(0);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: dead.pid, command: 'crashed' }));
    const release = acquireDataDirLock(lockPath);
    expect(holder().pid).toBe(process.pid);
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('takes over an unreadable (half-written) lock file', () => {
    fs.writeFileSync(lockPath, '{"pid":');
    const release = acquireDataDirLock(lockPath);
    expect(holder().pid).toBe(process.pid);
    release();
  });

  it("release does not remove a lock that another process has taken since", () => {
    const release = acquireDataDirLock(lockPath);
    const c = liveChild();
    fs.writeFileSync(lockPath, JSON.stringify({ pid: c.pid, command: 'other' }));
    release();
    expect(holder().pid).toBe(c.pid);
  });

  it('a second acquire of the same path in the same process is refused', () => {
    const release = acquireDataDirLock(lockPath);
    try {
      expect(() => acquireDataDirLock(lockPath)).toThrow(DataDirLockedError);
      expect(fs.existsSync(lockPath)).toBe(true);
    } finally {
      release();
    }
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('acquire/release cycles do not leak process exit listeners', () => {
    const before = process.listenerCount('exit');
    for (let i = 0; i < 3; i++) acquireDataDirLock(lockPath)();
    expect(process.listenerCount('exit')).toBe(before);
  });
});

describe('a second Steward process on the same embedded data dir', () => {
  function cli(...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, STEWARD_DATA_DIR: dir };
    delete env.DATABASE_URL;
    delete env.TEST_DATABASE_URL;
    return spawnSync(process.execPath, ['bin/steward.mjs', ...args], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
  }

  it('is refused with exit 75 while this process holds it, and works once it is closed', async () => {
    const h = await openDatabase({ dataDir: dir });
    handles.push(h);
    expect(h.kind).toBe('embedded');
    expect(holder().pid).toBe(process.pid);
    await createUser(h.db, { type: 'cli', id: null, label: 'cli:test', origin: 'cli' }, { email: 'shared@example.com', name: 'Shared', password: 'shared-password' });

    const refused = cli('user', 'list');
    expect(refused.stderr).toContain(`in use by another Steward process (pid ${process.pid}`);
    expect(refused.status).toBe(75);
    expect(refused.stdout).toBe('');
    expect(holder().pid).toBe(process.pid);

    await h.close();
    handles.splice(0);
    expect(fs.existsSync(lockPath)).toBe(false);

    const ok = cli('user', 'list');
    expect(ok.stderr).not.toContain('in use');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^shared@example\.com\s+viewer\s+active$/m);
    // The CLI released its lock on exit too.
    expect(fs.existsSync(lockPath)).toBe(false);
  }, 300_000);
});
