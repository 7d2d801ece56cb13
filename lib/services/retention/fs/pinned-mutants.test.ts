/**
 * fs/pinned.ts, the descriptor-relative calls, tested call by call for each implementation where
 * StrykerJS found them checked only through act.ts (issue #12): the names refused, the errno of
 * each failure, every stat field, a mount crossed in the middle or at the end of a path (/ → /proc),
 * the per-descriptor lock, and which implementation pinnedOps picks when the addon is missing.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { availablePinnedOps, errnoName, ERRNO, fileType, newStatBuf, pinnedOps, PinnedUnavailableError, procOps, procUnavailable, S_IFDIR, S_IFLNK, S_IFREG, ST, STAT_LEN } from './pinned';

const native = createRequire(import.meta.url)('@steward/native-scan') as { pinned: unknown; loadError: string | null };
const OPS = availablePinnedOps();
const E = os.constants.errno;

let base: string;
let dirFd: number;
const fds: number[] = [];
const track = (fd: number) => {
  if (fd >= 0) fds.push(fd);
  return fd;
};

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pinned-')));
  fs.mkdirSync(path.join(base, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(base, 'a/b/f.txt'), 'hello');
  fs.writeFileSync(path.join(base, 'top.txt'), 'top');
  fs.symlinkSync(path.join(base, 'a'), path.join(base, 'link'));
  dirFd = track(fs.openSync(base, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY));
});
afterEach(() => {
  for (const fd of fds.splice(0)) fs.closeSync(fd);
  vi.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('helpers', () => {
  it('errnoName names known numbers, either sign, and numbers unknown ones', () => {
    expect(errnoName(E.ENOENT)).toBe('ENOENT');
    expect(errnoName(-E.EACCES)).toBe('EACCES');
    expect(errnoName(99_999)).toBe('E99999');
    expect(errnoName(-99_999)).toBe('E99999');
  });

  it('fileType keeps the type bits only; the stat buffer has every field', () => {
    const st = newStatBuf();
    expect(st).toHaveLength(STAT_LEN);
    expect(STAT_LEN).toBe(Object.keys(ST).length);
    st[ST.MODE] = S_IFREG | 0o4755;
    expect(fileType(st)).toBe(S_IFREG);
    st[ST.MODE] = S_IFLNK | 0o777;
    expect(fileType(st)).toBe(S_IFLNK);
  });

  it('procUnavailable: usable on this Linux machine', () => {
    expect(process.platform).toBe('linux');
    expect(procUnavailable()).toBeNull();
  });

  it('PinnedUnavailableError says why and that previews still work', () => {
    const e = new PinnedUnavailableError('because');
    expect(e.name).toBe('PinnedUnavailableError');
    expect(e.message).toBe('cannot execute safely on this machine: because. Steward can preview here but will not delete or compress without descriptor-relative filesystem calls.');
  });
});

describe('pinnedOps: which implementation', () => {
  const saved = { pinned: native.pinned, loadError: native.loadError };
  afterEach(() => {
    native.pinned = saved.pinned;
    native.loadError = saved.loadError;
    delete process.env.STEWARD_SCANNER;
    resetEnvCache();
  });

  it('"proc" is /proc; the default and "auto" are native when built; STEWARD_SCANNER picks', () => {
    expect(pinnedOps('proc')).toBe(procOps);
    if (!native.pinned) return;
    expect(pinnedOps('auto').kind).toBe('native');
    expect(pinnedOps('native').kind).toBe('native');
    resetEnvCache();
    expect(pinnedOps().kind).toBe('native');
    process.env.STEWARD_SCANNER = 'js';
    resetEnvCache();
    expect(pinnedOps()).toBe(procOps);
    process.env.STEWARD_SCANNER = 'native';
    resetEnvCache();
    expect(pinnedOps().kind).toBe('native');
    process.env.STEWARD_SCANNER = 'auto';
    resetEnvCache();
    expect(pinnedOps().kind).toBe('native');
  });

  it('without the addon: "native" refuses, naming why; "auto" falls back to /proc; only /proc is available', () => {
    native.pinned = null;
    native.loadError = 'it did not compile';
    expect(() => pinnedOps('native')).toThrow(new PinnedUnavailableError('the native addon is unavailable: it did not compile'));
    native.loadError = null;
    expect(() => pinnedOps('native')).toThrow(new PinnedUnavailableError('the native addon is unavailable: not built'));
    expect(pinnedOps('auto')).toBe(procOps);
    expect(availablePinnedOps()).toEqual([procOps]);
    process.env.STEWARD_SCANNER = 'native';
    resetEnvCache();
    expect(() => pinnedOps()).toThrow(PinnedUnavailableError);
  });

  it('with the addon, availablePinnedOps lists native first, then /proc', () => {
    if (!native.pinned) return;
    expect(availablePinnedOps().map((o) => o.kind)).toEqual(['native', 'proc']);
  });
});

describe.each(OPS.map((o) => [o.kind, o] as const))('%s ops', (_kind, ops) => {
  const { O_RDONLY, O_DIRECTORY, O_RDWR, O_CREAT, O_EXCL } = fs.constants;

  describe('openBeneath', () => {
    it('opens a file several directories down, and a directory', () => {
      const fd = track(ops.openBeneath(dirFd, 'a/b/f.txt', O_RDONLY));
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(fs.readFileSync(fd, 'utf8')).toBe('hello');
      const d = track(ops.openBeneath(dirFd, 'a/b', O_RDONLY | O_DIRECTORY));
      expect(fs.fstatSync(d).ino).toBe(fs.statSync(path.join(base, 'a/b')).ino);
      const t = track(ops.openBeneath(dirFd, 'top.txt', O_RDONLY));
      expect(fs.readFileSync(t, 'utf8')).toBe('top');
    });

    it.each(['', '.', '..', 'a/../a/b/f.txt', 'a//b/f.txt', 'a/b/', './top.txt', 'a/b/f\0.txt', '../top.txt'])('refuses the path %j (EXDEV)', (rel) => {
      expect(ops.openBeneath(dirFd, rel, O_RDONLY)).toBe(-ERRNO.EXDEV);
    });

    it('never follows a symlink, in the middle or at the end', () => {
      expect([-ERRNO.ELOOP, -ERRNO.ENOTDIR]).toContain(ops.openBeneath(dirFd, 'link/b/f.txt', O_RDONLY));
      expect([-ERRNO.ELOOP, -ERRNO.ENOTDIR]).toContain(ops.openBeneath(dirFd, 'link', O_RDONLY));
    });

    it('a missing directory or file is ENOENT; a file used as a directory is ENOTDIR', () => {
      expect(ops.openBeneath(dirFd, 'nope/f.txt', O_RDONLY)).toBe(-ERRNO.ENOENT);
      expect(ops.openBeneath(dirFd, 'a/b/nope', O_RDONLY)).toBe(-ERRNO.ENOENT);
      expect(ops.openBeneath(dirFd, 'top.txt/x', O_RDONLY)).toBe(-ERRNO.ENOTDIR);
    });

    it('never crosses onto another filesystem, in the middle or at the end (/ → /proc)', () => {
      const slash = track(fs.openSync('/', O_RDONLY | O_DIRECTORY));
      expect(ops.openBeneath(slash, 'proc/version', O_RDONLY)).toBe(-ERRNO.EXDEV);
      expect(ops.openBeneath(slash, 'proc', O_RDONLY | O_DIRECTORY)).toBe(-ERRNO.EXDEV);
      expect(ops.openBeneath(slash, 'proc/self/status', O_RDONLY)).toBe(-ERRNO.EXDEV);
      // The same filesystem is fine.
      expect(track(ops.openBeneath(slash, path.relative('/', path.join(base, 'a/b/f.txt')), O_RDONLY))).toBeGreaterThanOrEqual(0);
    });

    it('creates a file exclusively, with its mode; EEXIST the second time', () => {
      const fd = track(ops.openBeneath(dirFd, 'a/new.bin', O_RDWR | O_CREAT | O_EXCL, 0o600));
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(fs.statSync(path.join(base, 'a/new.bin')).mode & 0o777).toBe(0o600 & ~process.umask());
      expect(ops.openBeneath(dirFd, 'a/new.bin', O_RDWR | O_CREAT | O_EXCL, 0o600)).toBe(-ERRNO.EEXIST);
      // No mode given: created 0 (no permission bits).
      track(ops.openBeneath(dirFd, 'a/zero.bin', O_RDWR | O_CREAT | O_EXCL));
      expect(fs.statSync(path.join(base, 'a/zero.bin')).mode & 0o777).toBe(0);
    });

    it('leaves no intermediate descriptor open, on success or failure', async () => {
      const count = () => fs.readdirSync('/proc/self/fd').length;
      const before = count();
      fs.closeSync(ops.openBeneath(dirFd, 'a/b/f.txt', O_RDONLY));
      expect(ops.openBeneath(dirFd, 'a/b/nope', O_RDONLY)).toBe(-ERRNO.ENOENT);
      expect(ops.openBeneath(dirFd, 'a/nope/x', O_RDONLY)).toBe(-ERRNO.ENOENT);
      const slash = fs.openSync('/', O_RDONLY | O_DIRECTORY);
      expect(ops.openBeneath(slash, 'proc/self/status', O_RDONLY)).toBe(-ERRNO.EXDEV);
      expect(ops.openBeneath(slash, 'proc', O_RDONLY)).toBe(-ERRNO.EXDEV);
      fs.closeSync(slash);
      expect(count()).toBe(before);
    });
  });

  describe('statAt / fstat', () => {
    it('fills every field like lstat, never following a symlink', () => {
      for (const name of ['top.txt', 'link', 'a']) {
        const st = newStatBuf();
        expect(ops.statAt(dirFd, name, st)).toBe(0);
        const want = fs.lstatSync(path.join(base, name));
        expect([...st]).toEqual([want.dev, want.ino, want.mode, want.nlink, want.uid, want.gid, want.size, want.mtimeMs, want.ctimeMs, want.blocks].map((v) => expect.closeTo(v, 3)));
      }
      const st = newStatBuf();
      expect(ops.statAt(dirFd, 'a', st)).toBe(0);
      expect(fileType(st)).toBe(S_IFDIR);
    });

    it('ENOENT, EINVAL for a bad name, ENOTDIR in a file', () => {
      const st = newStatBuf();
      expect(ops.statAt(dirFd, 'nope', st)).toBe(ERRNO.ENOENT);
      for (const bad of ['', '.', '..', 'a/b', 'x\0']) expect(ops.statAt(dirFd, bad, st)).toBe(ERRNO.EINVAL);
      const file = track(fs.openSync(path.join(base, 'top.txt'), 'r'));
      expect(ops.statAt(file, 'x', st)).toBe(ERRNO.ENOTDIR);
    });

    it('fstat fills the descriptor\'s stat; a closed descriptor is EBADF', () => {
      const fd = track(fs.openSync(path.join(base, 'a/b/f.txt'), 'r'));
      const st = newStatBuf();
      expect(ops.fstat(fd, st)).toBe(0);
      const want = fs.fstatSync(fd);
      expect([st[ST.INO], st[ST.SIZE], st[ST.MODE], st[ST.NLINK]]).toEqual([want.ino, 5, want.mode, 1]);
      const closed = fs.openSync(path.join(base, 'top.txt'), 'r');
      fs.closeSync(closed);
      expect(ops.fstat(closed, st)).toBe(E.EBADF);
    });
  });

  describe('unlinkAt / linkAt / renameAt / mkdirAt', () => {
    const bad = ['', '.', '..', 'a/b', 'x\0'];

    it('unlinkAt removes one name; ENOENT, EISDIR, EINVAL', () => {
      expect(ops.unlinkAt(dirFd, 'top.txt')).toBe(0);
      expect(fs.existsSync(path.join(base, 'top.txt'))).toBe(false);
      expect(ops.unlinkAt(dirFd, 'top.txt')).toBe(ERRNO.ENOENT);
      expect(ops.unlinkAt(dirFd, 'a')).toBe(E.EISDIR);
      // A symlink is removed, never its target.
      expect(ops.unlinkAt(dirFd, 'link')).toBe(0);
      expect(fs.existsSync(path.join(base, 'a/b/f.txt'))).toBe(true);
      for (const n of bad) expect(ops.unlinkAt(dirFd, n)).toBe(ERRNO.EINVAL);
    });

    it('linkAt links in the same directory, never replacing; EINVAL for either bad name', () => {
      expect(ops.linkAt(dirFd, 'top.txt', 'second.txt')).toBe(0);
      expect(fs.statSync(path.join(base, 'second.txt')).ino).toBe(fs.statSync(path.join(base, 'top.txt')).ino);
      fs.writeFileSync(path.join(base, 'other.txt'), 'other');
      expect(ops.linkAt(dirFd, 'top.txt', 'other.txt')).toBe(ERRNO.EEXIST);
      expect(fs.readFileSync(path.join(base, 'other.txt'), 'utf8')).toBe('other');
      expect(ops.linkAt(dirFd, 'nope', 'x')).toBe(ERRNO.ENOENT);
      for (const n of bad) {
        expect(ops.linkAt(dirFd, n, 'x')).toBe(ERRNO.EINVAL);
        expect(ops.linkAt(dirFd, 'top.txt', n)).toBe(ERRNO.EINVAL);
      }
      expect(fs.existsSync(path.join(base, 'x'))).toBe(false);
    });

    it('renameAt renames in the same directory; ENOENT; EINVAL for either bad name', () => {
      expect(ops.renameAt(dirFd, 'top.txt', 'moved.txt')).toBe(0);
      expect(fs.readFileSync(path.join(base, 'moved.txt'), 'utf8')).toBe('top');
      expect(ops.renameAt(dirFd, 'top.txt', 'again.txt')).toBe(ERRNO.ENOENT);
      for (const n of bad) {
        expect(ops.renameAt(dirFd, n, 'x')).toBe(ERRNO.EINVAL);
        expect(ops.renameAt(dirFd, 'moved.txt', n)).toBe(ERRNO.EINVAL);
      }
      expect(fs.existsSync(path.join(base, 'moved.txt'))).toBe(true);
    });

    it('mkdirAt makes a directory with its mode; EEXIST; EINVAL', () => {
      expect(ops.mkdirAt(dirFd, 'made', 0o700)).toBe(0);
      expect(fs.statSync(path.join(base, 'made')).mode & 0o777).toBe(0o700 & ~process.umask());
      expect(ops.mkdirAt(dirFd, 'made', 0o700)).toBe(ERRNO.EEXIST);
      for (const n of bad) expect(ops.mkdirAt(dirFd, n, 0o700)).toBe(ERRNO.EINVAL);
    });
  });

  describe('lockFd', () => {
    it('one holder per directory: a second open description gets EWOULDBLOCK until the first closes', () => {
      const first = fs.openSync(base, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
      const second = track(fs.openSync(base, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY));
      expect(ops.lockFd(first)).toBe(0);
      expect(ops.lockFd(second)).toBe(ERRNO.EWOULDBLOCK);
      fs.closeSync(first);
      expect(ops.lockFd(second)).toBe(0);
    });
  });
});

describe('the /proc implementation only', () => {
  it('a descriptor that is not open is EINVAL', () => {
    const fd = fs.openSync(base, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    fs.closeSync(fd);
    expect(procOps.openBeneath(fd, 'top.txt', fs.constants.O_RDONLY)).toBe(-ERRNO.EINVAL);
  });

  it('without flock(1) on the PATH locking is ENOSYS', () => {
    const savedPath = process.env.PATH;
    process.env.PATH = base;
    try {
      expect(procOps.lockFd(dirFd)).toBe(ERRNO.ENOSYS);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

describe('procUnavailable on a machine where /proc cannot be used (a fresh module each time)', () => {
  const saved = { pinned: native.pinned, loadError: native.loadError };
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  afterEach(() => {
    Object.defineProperty(process, 'platform', platform);
    native.pinned = saved.pinned;
    native.loadError = saved.loadError;
    vi.resetModules();
  });
  const fresh = async () => {
    vi.resetModules();
    return (await import('./pinned')) as typeof import('./pinned');
  };

  it('not Linux: said once and remembered; execution is refused, naming both reasons', async () => {
    Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
    const m = await fresh();
    expect(m.procUnavailable()).toBe('not Linux (darwin)');
    Object.defineProperty(process, 'platform', platform);
    expect(m.procUnavailable()).toBe('not Linux (darwin)');
    expect(m.availablePinnedOps().map((o) => o.kind)).toEqual(native.pinned ? ['native'] : []);
    expect(() => m.pinnedOps('proc')).toThrow(new m.PinnedUnavailableError('not Linux (darwin)'));
    native.pinned = null;
    native.loadError = 'no compiler';
    expect(() => m.pinnedOps('auto')).toThrow(new m.PinnedUnavailableError('the native addon is unavailable (no compiler) and not Linux (darwin)'));
    native.loadError = null;
    expect(() => m.pinnedOps('auto')).toThrow(new m.PinnedUnavailableError('the native addon is unavailable (not built) and not Linux (darwin)'));
    expect(m.availablePinnedOps()).toEqual([]);
  });

  it('a /proc/self/fd that cannot be read: said with the error; the probe descriptor is closed', async () => {
    const m = await fresh();
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const before = count();
    const lstat = vi.spyOn(fs, 'lstatSync').mockImplementation(() => {
      throw new Error('no /proc here');
    });
    expect(m.procUnavailable()).toBe('/proc/self/fd is not usable (no /proc here)');
    lstat.mockRestore();
    expect(count()).toBe(before);
    expect(m.procUnavailable()).toBe('/proc/self/fd is not usable (no /proc here)');
  });

  it('a freshly loaded module: its helpers and both implementations work (module-level code)', async () => {
    const m = await fresh();
    expect(m.newStatBuf()).toHaveLength(m.STAT_LEN);
    const st = m.newStatBuf();
    st[m.ST.MODE] = m.S_IFDIR | 0o755;
    expect(m.fileType(st)).toBe(m.S_IFDIR);
    expect([m.errnoName(m.ERRNO.ENOENT), m.errnoName(-m.ERRNO.EXDEV)]).toEqual(['ENOENT', 'EXDEV']);
    const impls = [m.procOps, ...(native.pinned ? [m.pinnedOps('native')] : [])];
    expect(impls.map((o) => o.kind)).toEqual(native.pinned ? ['proc', 'native'] : ['proc']);
    for (const ops of impls) {
      const d = fs.mkdtempSync(path.join(base, 'smoke-'));
      const dfd = track(fs.openSync(d, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY));
      const f = track(ops.openBeneath(dfd, 'f', fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600));
      expect(f).toBeGreaterThanOrEqual(0);
      const s1 = m.newStatBuf();
      expect(ops.fstat(f, s1)).toBe(0);
      expect(m.fileType(s1)).toBe(m.S_IFREG);
      expect(ops.statAt(dfd, 'f', s1)).toBe(0);
      expect(ops.linkAt(dfd, 'f', 'g')).toBe(0);
      expect(ops.renameAt(dfd, 'g', 'h')).toBe(0);
      expect(ops.mkdirAt(dfd, 'sub', 0o700)).toBe(0);
      expect(ops.unlinkAt(dfd, 'h')).toBe(0);
      expect(fs.readdirSync(d).sort()).toEqual(['f', 'sub']);
      expect(ops.lockFd(dfd)).toBe(0);
    }
  });

  it('without the addon and STEWARD_SCANNER unset, the default is "auto": /proc', async () => {
    const m = await fresh();
    delete process.env.STEWARD_SCANNER;
    resetEnvCache();
    native.pinned = null;
    expect(m.pinnedOps()).toBe(m.procOps);
  });

  it('usable: null, and the probe descriptor is closed', async () => {
    const m = await fresh();
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const before = count();
    expect(m.procUnavailable()).toBeNull();
    expect(count()).toBe(before);
  });
});
