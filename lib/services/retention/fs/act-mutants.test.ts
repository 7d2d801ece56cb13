/**
 * fs/act.ts where StrykerJS found act.test.ts blind (issue #12): every refusal and failure branch
 * of recheck, deleteEntry, compressEntry and resumedCompression with its exact outcome, the 1 ms
 * edges of the mtime/ctime comparison, and the temp archive and descriptors left behind (none).
 * Failures a test cannot provoke on a real tree (EACCES as root, a mount, an archive replaced right
 * after it was linked) come from a PinnedOps wrapper that passes every call to the real one except
 * the one it is told to change. Run against every pinned implementation available.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashFd, verifyArchiveFd, writeTarGz } from './archive';
import { compressEntry, deleteEntry, recheck, resumedCompression, TEMP_ARCHIVE_RE, tempArchiveName, type ActEntry } from './act';
import { availablePinnedOps, ERRNO, type PinnedOps, ST } from './pinned';
import { PinnedRoot } from './pinned-root';

const HOUR = 3_600_000;
const OPS = availablePinnedOps();
const EIO = os.constants.errno.EIO;

let base: string;
let root: string;
let now: number;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-actm-')));
  root = path.join(base, 'root');
  fs.mkdirSync(root);
  now = Date.now();
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

/** Writes a file `ageMs` old and returns its planned entry (with identity). */
function put(rel: string, content: string | Buffer, ageMs = HOUR): ActEntry {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = (now - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
  const st = fs.lstatSync(abs);
  return { path: rel, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ctimeMs: st.ctimeMs };
}
const exists = (rel: string) => fs.existsSync(path.join(root, rel));
const ls = (rel = '') => fs.readdirSync(path.join(root, rel)).sort();
const openFds = () => fs.readdirSync('/proc/self/fd').length;

/** Call hooks: return undefined to pass the call to the real implementation. `n` counts the calls of that method with that name (from 1). */
interface Hooks {
  openBeneath?: (rel: string, n: number, real: () => number) => number | undefined;
  statAt?: (name: string, n: number, out: Float64Array, real: () => number) => number | undefined;
  fstat?: (fd: number, n: number, out: Float64Array, real: () => number) => number | undefined;
  unlinkAt?: (name: string, n: number) => number | undefined;
  linkAt?: (from: string, to: string) => number | undefined;
}

/** The real ops, with some calls changed by `hooks`. */
function faked(real: PinnedOps, hooks: Hooks): PinnedOps {
  const counts = new Map<string, number>();
  const count = (k: string) => {
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    return n;
  };
  return {
    kind: real.kind,
    openBeneath: (dirfd, rel, flags, mode) => {
      const call = () => real.openBeneath(dirfd, rel, flags, mode);
      return hooks.openBeneath?.(rel, count(`open:${rel}`), call) ?? call();
    },
    statAt: (dirfd, name, out) => {
      const call = () => real.statAt(dirfd, name, out);
      return hooks.statAt?.(name, count(`stat:${name}`), out, call) ?? call();
    },
    fstat: (fd, out) => {
      const call = () => real.fstat(fd, out);
      return hooks.fstat?.(fd, count(`fstat:${fd}`), out, call) ?? call();
    },
    unlinkAt: (dirfd, name) => hooks.unlinkAt?.(name, count(`unlink:${name}`)) ?? real.unlinkAt(dirfd, name),
    linkAt: (dirfd, from, to) => hooks.linkAt?.(from, to) ?? real.linkAt(dirfd, from, to),
    renameAt: (dirfd, from, to) => real.renameAt(dirfd, from, to),
    mkdirAt: (dirfd, name, mode) => real.mkdirAt(dirfd, name, mode),
    lockFd: (fd) => real.lockFd(fd),
  };
}

/** A stat hook that lets the real call fill `out`, then changes it. */
const edit =
  (fn: (out: Float64Array) => void) =>
  (out: Float64Array, real: () => number): number => {
    const e = real();
    fn(out);
    return e;
  };

describe('TEMP_ARCHIVE_RE / tempArchiveName', () => {
  it('matches exactly the temp names', () => {
    for (const n of ['f.json', 'a\nb', 'x']) expect(TEMP_ARCHIVE_RE.test(tempArchiveName(n))).toBe(true);
    expect(tempArchiveName('f.json')).toBe('.f.json.steward-tmp');
    for (const n of ['f.json.steward-tmp', '.f.json.steward-tmpx', 'x.f.steward-tmp', '..steward-tmp', '.f.json.steward_tmp', '.f.json']) expect(TEMP_ARCHIVE_RE.test(n)).toBe(false);
  });
});

/** Lets the thread pool finish what a destroyed stream still had queued (a read, then its close). */
async function drainThreadPool(): Promise<void> {
  for (let i = 0; i < 20; i++) await fs.promises.stat(base);
}

describe('the archive code never closes a descriptor it was given (the caller owns it)', () => {
  const want = { name: 'f.json', size: 3, mtimeMs: 0, sha256: '' };

  it('reading back a corrupt archive leaves its descriptor open', async () => {
    const file = path.join(base, 'corrupt.tar.gz');
    fs.writeFileSync(file, Buffer.alloc(600_000, 7));
    const fd = fs.openSync(file, 'r');
    expect((await verifyArchiveFd(fd, want)).ok).toBe(false);
    await drainThreadPool();
    expect(() => fs.fstatSync(fd)).not.toThrow();
    fs.closeSync(fd);
  });

  it('a source longer than its size fails the write and leaves both descriptors open', async () => {
    const src = path.join(base, 'src');
    fs.writeFileSync(src, Buffer.alloc(2_000_000, 1));
    const sfd = fs.openSync(src, 'r');
    const ofd = fs.openSync(path.join(base, 'out'), 'w');
    await expect(writeTarGz(sfd, ofd, 'src', 0o644, 1000, 0)).rejects.toThrow(/changed while it was read/);
    await drainThreadPool();
    expect(() => fs.fstatSync(sfd)).not.toThrow();
    expect(() => fs.fstatSync(ofd)).not.toThrow();
    // Still readable from byte 0.
    expect((await hashFd(sfd)).bytes).toBe(2_000_000);
    fs.closeSync(sfd);
    fs.closeSync(ofd);
  });
});

describe.each(OPS.map((o) => [o.kind, o] as const))('act.ts branches through %s descriptors', (_kind, realOps) => {
  let opened: PinnedRoot[] = [];
  const pin = (hooks: Hooks = {}) => {
    const p = PinnedRoot.open(root, { ops: faked(realOps, hooks) });
    opened.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of opened) p.close();
    opened = [];
  });

  describe('recheck', () => {
    it('a parent directory that is gone: vanished', () => {
      const e = put('d/a.log', 'data');
      fs.rmSync(path.join(root, 'd'), { recursive: true });
      expect(recheck(pin(), e, now)).toEqual({ ok: false, code: 'vanished', reason: 'vanished' });
    });

    it('a parent that is now a file: unsafe, named', () => {
      const e = put('d/a.log', 'data');
      fs.rmSync(path.join(root, 'd'), { recursive: true });
      fs.writeFileSync(path.join(root, 'd'), 'a file now');
      expect(recheck(pin(), e, now)).toEqual({ ok: false, code: 'unsafe', reason: 'parent directory "d" is now a symlink or not a directory' });
    });

    it('a parent on another filesystem (EXDEV) is unsafe; any other error is an error, named', () => {
      const e = put('d/a.log', 'data');
      expect(recheck(pin({ openBeneath: (rel) => (rel === 'd' ? -ERRNO.EXDEV : undefined) }), e, now)).toEqual({ ok: false, code: 'unsafe', reason: 'parent directory "d" is on another filesystem now (a mount)' });
      expect(recheck(pin({ openBeneath: (rel) => (rel === 'd' ? -ERRNO.ELOOP : undefined) }), e, now)).toEqual({ ok: false, code: 'unsafe', reason: 'parent directory "d" is now a symlink or not a directory' });
      expect(recheck(pin({ openBeneath: (rel) => (rel === 'd' ? -ERRNO.EACCES : undefined) }), e, now)).toEqual({ ok: false, code: 'error', reason: 'parent directory "d": permission denied' });
      expect(fs.readFileSync(path.join(root, 'd/a.log'), 'utf8')).toBe('data');
    });

    it('a directory or a FIFO is not a regular file', () => {
      const e = put('a.log', 'data');
      fs.rmSync(path.join(root, 'a.log'));
      fs.mkdirSync(path.join(root, 'a.log'));
      expect(recheck(pin(), e, now)).toEqual({ ok: false, code: 'not-a-file', reason: 'is no longer a regular file' });
    });

    it('a stat that fails with anything but ENOENT is an error, named', () => {
      const e = put('a.log', 'data');
      expect(recheck(pin({ statAt: () => ERRNO.EACCES }), e, now)).toEqual({ ok: false, code: 'error', reason: 'permission denied' });
      expect(recheck(pin({ statAt: () => EIO }), e, now)).toEqual({ ok: false, code: 'error', reason: 'input/output error' });
      // An errno without a text of its own is named (it once read "[object Object]").
      expect(recheck(pin({ statAt: () => os.constants.errno.EMFILE }), e, now)).toEqual({ ok: false, code: 'error', reason: 'EMFILE' });
      expect(recheck(pin({ statAt: () => ERRNO.ENOENT }), e, now)).toEqual({ ok: false, code: 'vanished', reason: 'vanished' });
    });

    it('a file on another device than the root is unsafe, not merely changed', () => {
      const e = put('a.log', 'data');
      const p = pin({ statAt: (_n, _i, out, real) => edit((o) => (o[ST.DEV] = (o[ST.DEV] as number) + 1))(out, real) });
      expect(recheck(p, e, now)).toEqual({ ok: false, code: 'unsafe', reason: 'is on another filesystem now' });
    });

    it('size, mtime and ctime messages; mtime and ctime equal within 1 ms, either way', () => {
      const e = put('a.log', 'data');
      const shifted = (i: number, by: number) => pin({ statAt: (_n, _c, out, real) => edit((o) => (o[i] = (o[i] as number) + by))(out, real) });
      expect(recheck(pin(), { ...e, size: 3 }, now)).toEqual({ ok: false, code: 'changed', reason: 'changed since the plan (size 3 → 4 bytes)' });
      expect(recheck(shifted(ST.MTIME, 0.5), e, now)).toMatchObject({ ok: true });
      expect(recheck(shifted(ST.MTIME, -0.5), e, now)).toMatchObject({ ok: true });
      expect(recheck(shifted(ST.MTIME, 1), e, now)).toEqual({ ok: false, code: 'changed', reason: `changed since the plan (modified ${new Date(e.mtimeMs + 1).toISOString()})` });
      expect(recheck(shifted(ST.MTIME, -1), e, now)).toMatchObject({ ok: false, code: 'changed' });
      expect(recheck(shifted(ST.CTIME, 0.5), e, now)).toMatchObject({ ok: true });
      expect(recheck(shifted(ST.CTIME, -0.5), e, now)).toMatchObject({ ok: true });
      expect(recheck(shifted(ST.CTIME, 1), e, now)).toEqual({ ok: false, code: 'changed', reason: 'changed since the plan (its metadata changed: rewritten or touched)' });
      expect(recheck(shifted(ST.CTIME, -1), e, now)).toMatchObject({ ok: false, code: 'changed' });
      expect(recheck(shifted(ST.INO, 1), e, now)).toEqual({ ok: false, code: 'changed', reason: 'was replaced by another file since the plan' });
    });

    it('a plan without inode or ctime checks neither (older plans)', () => {
      const e = put('a.log', 'data');
      expect(recheck(pin(), { ...e, ino: null, ctimeMs: null }, now)).toMatchObject({ ok: true });
      expect(recheck(pin(), { ...e, ino: undefined, ctimeMs: undefined }, now)).toMatchObject({ ok: true });
      expect(recheck(pin(), { ...e, ino: null }, now)).toMatchObject({ ok: true });
      expect(recheck(pin(), { ...e, ctimeMs: null }, now)).toMatchObject({ ok: true });
    });

    it('the busy message rounds the age down and the quiet time up; a future mtime reads 0 s', () => {
      const e = put('a.log', 'data');
      expect(recheck(pin(), e, e.mtimeMs + 30_900)).toEqual({ ok: false, code: 'busy', reason: 'modified 30 s ago (less than 60 s): may still be written' });
      expect(recheck(pin(), e, e.mtimeMs + 1_000, { minQuietMs: 1_500 })).toEqual({ ok: false, code: 'busy', reason: 'modified 1 s ago (less than 2 s): may still be written' });
      expect(recheck(pin(), e, e.mtimeMs - 5_000, { minQuietMs: 0 })).toEqual({ ok: false, code: 'busy', reason: 'modified 0 s ago (less than 0 s): may still be written' });
      expect(recheck(pin(), e, e.mtimeMs, { minQuietMs: 0 })).toMatchObject({ ok: true });
    });

    it('returns the directory descriptor, the name and the stat it checked', () => {
      const e = put('d/a.log', 'data');
      const p = pin();
      const r = recheck(p, e, now);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.dirFd).toBe(p.dir('d'));
      expect(r.name).toBe('a.log');
      expect([r.st[ST.INO], r.st[ST.SIZE]]).toEqual([e.ino, 4]);
    });
  });

  describe('deleteEntry', () => {
    it('passes minQuietMs on', () => {
      const e = put('a.log', 'data');
      expect(deleteEntry(pin(), e, now, { minQuietMs: 2 * HOUR })).toMatchObject({ status: 'skipped', code: 'busy' });
      expect(exists('a.log')).toBe(true);
    });

    it.each([
      ['EBUSY', ERRNO.EBUSY, { status: 'failed', outcome: 'is a mount point' }],
      ['EACCES', ERRNO.EACCES, { status: 'failed', outcome: 'permission denied' }],
      ['EPERM', ERRNO.EPERM, { status: 'failed', outcome: 'permission denied' }],
      ['EIO', EIO, { status: 'failed', outcome: 'input/output error' }],
      ['ENOENT', ERRNO.ENOENT, { status: 'skipped', outcome: 'vanished', code: 'vanished' }],
    ])('an unlink failing with %s', (_l, errno, want) => {
      const e = put('a.log', 'data');
      expect(deleteEntry(pin({ unlinkAt: () => errno }), e, now)).toEqual(want);
      expect(exists('a.log')).toBe(true);
    });
  });

  describe('compressEntry', () => {
    const big = 'compress me\n'.repeat(2_000);

    it('a file that cannot be opened: vanished, a symlink, or failed with the error', async () => {
      const e = put('f.log', big);
      const openFails = (errno: number) => pin({ openBeneath: (rel) => (rel === 'f.log' ? -errno : undefined) });
      expect(await compressEntry(openFails(ERRNO.ENOENT), e, now)).toEqual({ status: 'skipped', outcome: 'vanished', code: 'vanished' });
      expect(await compressEntry(openFails(ERRNO.ELOOP), e, now)).toEqual({ status: 'skipped', outcome: 'is now a symlink' });
      expect(await compressEntry(openFails(ERRNO.EACCES), e, now)).toEqual({ status: 'failed', outcome: 'permission denied' });
      expect(ls()).toEqual(['f.log']);
    });

    it('an fstat of the opened file that fails: not a regular file, skipped', async () => {
      const e = put('f.log', big);
      let src = -1;
      const p = pin({ openBeneath: (rel, _n, real) => (rel === 'f.log' ? (src = real()) : undefined), fstat: (fd) => (fd === src ? EIO : undefined) });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'skipped', outcome: 'is no longer a regular file', code: 'not-a-file' });
      expect(ls()).toEqual(['f.log']);
    });

    it.each([
      ['device', ST.DEV],
      ['inode', ST.INO],
      ['size', ST.SIZE],
      ['mtime', ST.MTIME],
      ['ctime', ST.CTIME],
    ])('the opened file differs from the checked one in its %s: skipped, nothing written', async (_l, field) => {
      const e = put('f.log', big);
      let src = -1;
      const p = pin({
        openBeneath: (rel, _n, real) => (rel === 'f.log' ? (src = real()) : undefined),
        fstat: (fd, n, out, real) => (fd === src && n === 1 ? edit((o) => (o[field] = (o[field] as number) + 1))(out, real) : undefined),
      });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'skipped', outcome: 'was replaced by another file while it was checked', code: 'changed' });
      expect(ls()).toEqual(['f.log']);
    });

    it('an existing directory named like the archive is left alone, named, and so is a leftover temp', async () => {
      const e = put('f.log', big);
      fs.mkdirSync(path.join(root, 'f.log.tar.gz'));
      fs.writeFileSync(path.join(root, tempArchiveName('f.log')), 'leftover');
      expect(await compressEntry(pin(), e, now)).toEqual({ status: 'skipped', outcome: 'f.log.tar.gz already exists and is not an archive of this file; left alone' });
      expect(ls()).toEqual(['.f.log.steward-tmp', 'f.log', 'f.log.tar.gz']);
    });

    it('a file with another hard link is skipped as changed', async () => {
      const e = put('f.log', big);
      fs.linkSync(path.join(root, 'f.log'), path.join(base, 'elsewhere'));
      const st = fs.lstatSync(path.join(root, 'f.log'));
      expect(await compressEntry(pin(), { ...e, ctimeMs: st.ctimeMs }, now)).toEqual({ status: 'skipped', outcome: 'has 2 hard links: compressing one name would free nothing and copy a file shared with another path', code: 'changed' });
    });

    it('an existing archive that cannot be opened or inspected is not trusted: skipped, the original kept', async () => {
      const e = put('s/g.json', 'same content');
      const copy = put('t/g.json', 'same content');
      await compressEntry(pin(), copy, now);
      fs.renameSync(path.join(root, 't/g.json.tar.gz'), path.join(root, 's/g.json.tar.gz'));
      const notTrusted = { status: 'skipped', outcome: 'g.json.tar.gz already exists and is not an archive of this file; left alone' };
      expect(await compressEntry(pin({ openBeneath: (rel) => (rel === 'g.json.tar.gz' ? -ERRNO.EACCES : undefined) }), e, now)).toEqual(notTrusted);
      let fd = -1;
      const p = pin({ openBeneath: (rel, _n, real) => (rel === 'g.json.tar.gz' ? (fd = real()) : undefined), fstat: (f) => (f === fd ? EIO : undefined) });
      expect(await compressEntry(p, e, now)).toEqual(notTrusted);
      expect(ls('s')).toEqual(['g.json', 'g.json.tar.gz']);
    });

    it('an archive already in place: done with its path and size, the original removed', async () => {
      const e = put('s/g.json', 'same content');
      const copy = put('t/g.json', 'same content');
      expect((await compressEntry(pin(), copy, now)).status).toBe('done');
      fs.renameSync(path.join(root, 't/g.json.tar.gz'), path.join(root, 's/g.json.tar.gz'));
      const size = fs.statSync(path.join(root, 's/g.json.tar.gz')).size;
      expect(await compressEntry(pin(), e, now)).toEqual({ status: 'done', outcome: 'archive already in place', archivePath: 's/g.json.tar.gz', archiveBytes: size });
      expect(ls('s')).toEqual(['g.json.tar.gz']);
    });

    it('an archive in place whose original was removed meanwhile keeps its own outcome', async () => {
      const e = put('s/g.json', 'same content');
      const copy = put('t/g.json', 'same content');
      await compressEntry(pin(), copy, now);
      fs.renameSync(path.join(root, 't/g.json.tar.gz'), path.join(root, 's/g.json.tar.gz'));
      // The original's third lookup (recheck, then removeOriginal) finds it gone.
      const p = pin({ statAt: (name, n) => (name === 'g.json' && n === 2 ? ERRNO.ENOENT : undefined) });
      expect(await compressEntry(p, e, now)).toMatchObject({ status: 'done', outcome: 'archive already in place' });
    });

    it('a FIFO as a leftover temp fails, named, and is left alone', async () => {
      const e = put('f.log', big);
      fs.mkdirSync(path.join(root, tempArchiveName('f.log')));
      expect(await compressEntry(pin(), e, now)).toEqual({ status: 'failed', outcome: '.f.log.steward-tmp exists and is not a file; left alone' });
      expect(ls()).toEqual(['.f.log.steward-tmp', 'f.log']);
    });

    it('a temp that cannot be created fails, named; nothing is left', async () => {
      const e = put('f.log', big);
      const p = pin({ openBeneath: (rel) => (rel === tempArchiveName('f.log') ? -ERRNO.EACCES : undefined) });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'failed', outcome: 'cannot create the temp archive: permission denied' });
      expect(ls()).toEqual(['f.log']);
    });

    it('an archive that does not verify fails; the file is kept and the temp removed', async () => {
      const e = put('f.log', big);
      // The temp's descriptor appends after garbage: what is read back is not the archive written.
      const junk = path.join(base, 'junk');
      fs.writeFileSync(junk, 'not a gzip stream at all');
      const p = pin({
        openBeneath: (rel, _n, real) => {
          if (rel !== tempArchiveName('f.log')) return undefined;
          real();
          return fs.openSync(junk, fs.constants.O_RDWR | fs.constants.O_APPEND);
        },
      });
      const r = await compressEntry(p, e, now);
      expect(r.status).toBe('failed');
      expect(r.outcome).toMatch(/^archive does not verify \(cannot be read back \(.+\)\); file kept$/);
      expect(ls()).toEqual(['f.log']);
    });

    it('a file changed while it was compressed is kept; the temp removed', async () => {
      const e = put('f.log', big);
      let src = -1;
      const p = pin({
        openBeneath: (rel, _n, real) => (rel === 'f.log' ? (src = real()) : undefined),
        fstat: (fd, n, out, real) => (fd === src && n === 2 ? edit((o) => (o[ST.MTIME] = (o[ST.MTIME] as number) + 1))(out, real) : undefined),
      });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'skipped', outcome: 'changed while it was being compressed; file kept', code: 'changed' });
      expect(ls()).toEqual(['f.log']);
      const q = pin({
        openBeneath: (rel, _n, real) => (rel === 'f.log' ? (src = real()) : undefined),
        fstat: (fd, n) => (fd === src && n === 2 ? EIO : undefined),
      });
      expect(await compressEntry(q, e, now)).toMatchObject({ status: 'skipped', code: 'changed' });
      expect(ls()).toEqual(['f.log']);
    });

    it('a source that holds more bytes than checked is skipped as changed (SourceChangedError)', async () => {
      const e = put('f.log', big);
      const longer = path.join(base, 'longer');
      fs.writeFileSync(longer, `${big}and more`);
      let src = -1;
      let real = -1;
      const p = pin({
        openBeneath: (rel, _n, open) => {
          if (rel !== 'f.log') return undefined;
          real = open();
          return (src = fs.openSync(longer, 'r'));
        },
        // The impostor reports the checked file's identity.
        fstat: (fd, _n, out) => (fd === src ? realOps.fstat(real, out) : undefined),
      });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'skipped', outcome: `the file changed while it was read (${big.length + 8} bytes read, ${big.length} expected); file kept`, code: 'changed' });
      fs.closeSync(real);
      expect(ls()).toEqual(['f.log']);
    });

    it('any other error fails the compression with its text; the temp removed', async () => {
      const e = put('f.log', big);
      vi.spyOn(fs, 'fchmodSync').mockImplementation(() => {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      });
      expect(await compressEntry(pin(), e, now)).toEqual({ status: 'failed', outcome: 'compression failed: read-only file system' });
      vi.restoreAllMocks();
      expect(ls()).toEqual(['f.log']);
    });

    it('an owner that cannot be given skips the file, named; the temp removed', async () => {
      const e = put('f.log', big);
      const st = fs.statSync(path.join(root, 'f.log'));
      vi.spyOn(process, 'geteuid').mockReturnValue(st.uid + 1);
      vi.spyOn(fs, 'fchownSync').mockImplementation(() => {
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      });
      expect(await compressEntry(pin(), e, now)).toEqual({ status: 'skipped', outcome: `cannot give the archive the file's owner (uid ${st.uid}, gid ${st.gid}); file kept` });
      vi.restoreAllMocks();
      expect(ls()).toEqual(['f.log']);
    });

    it('the owner is given when the uid differs or the gid differs, and only then', async () => {
      const st = fs.statSync(root);
      const calls: unknown[][] = [];
      vi.spyOn(fs, 'fchownSync').mockImplementation((...a: unknown[]) => void calls.push(a.slice(1)));
      const gid = vi.spyOn(process, 'getegid').mockReturnValue(st.gid);
      const uid = vi.spyOn(process, 'geteuid').mockReturnValue(st.uid);
      expect((await compressEntry(pin(), put('a.log', big), now)).status).toBe('done');
      expect(calls).toEqual([]);
      gid.mockReturnValue(st.gid + 1);
      expect((await compressEntry(pin(), put('b.log', big), now)).status).toBe('done');
      gid.mockReturnValue(st.gid);
      uid.mockReturnValue(st.uid + 1);
      expect((await compressEntry(pin(), put('c.log', big), now)).status).toBe('done');
      const file = fs.statSync(path.join(root, 'a.log.tar.gz'));
      expect(calls).toEqual([
        [file.uid, file.gid],
        [file.uid, file.gid],
      ]);
    });

    it('an archive name that appears meanwhile: skipped, named; another link error: failed; the temp removed, the file kept', async () => {
      const e = put('f.log', big);
      expect(await compressEntry(pin({ linkAt: () => ERRNO.EEXIST }), e, now)).toEqual({ status: 'skipped', outcome: 'f.log.tar.gz appeared while compressing; left alone' });
      expect(ls()).toEqual(['f.log']);
      expect(await compressEntry(pin({ linkAt: () => ERRNO.EACCES }), e, now)).toEqual({ status: 'failed', outcome: 'cannot put the archive in place: permission denied' });
      expect(ls()).toEqual(['f.log']);
    });

    it('an archive replaced right after it was linked (or unreadable): failed, the file kept', async () => {
      const e = put('f.log', big);
      const p = pin({ statAt: (name, n, out, real) => (name === 'f.log.tar.gz' && n === 2 ? edit((o) => (o[ST.INO] = (o[ST.INO] as number) + 1))(out, real) : undefined) });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'failed', outcome: 'the archive was replaced right after it was put in place; file kept' });
      expect(ls()).toEqual(['f.log', 'f.log.tar.gz']);
      fs.rmSync(path.join(root, 'f.log.tar.gz'));
      const q = pin({ statAt: (name, n) => (name === 'f.log.tar.gz' && n === 2 ? EIO : undefined) });
      expect(await compressEntry(q, e, now)).toMatchObject({ status: 'failed', outcome: 'the archive was replaced right after it was put in place; file kept' });
      expect(ls()).toEqual(['f.log', 'f.log.tar.gz']);
    });

    it('an original removed after the archive was placed: done, "original already removed"', async () => {
      const e = put('f.log', big);
      const p = pin({ statAt: (name, n) => (name === 'f.log' && n === 2 ? ERRNO.ENOENT : undefined) });
      const r = await compressEntry(p, e, now);
      expect(r).toEqual({ status: 'done', outcome: 'original already removed', archivePath: 'f.log.tar.gz', archiveBytes: fs.statSync(path.join(root, 'f.log.tar.gz')).size });
      expect(ls()).toEqual(['f.log', 'f.log.tar.gz']);
    });

    it('an original changed or unreadable after the archive was placed is kept: failed, with the archive', async () => {
      const e = put('f.log', big);
      const p = pin({ statAt: (name, n, out, real) => (name === 'f.log' && n === 2 ? edit((o) => (o[ST.CTIME] = (o[ST.CTIME] as number) + 1))(out, real) : undefined) });
      expect(await compressEntry(p, e, now)).toEqual({ status: 'failed', outcome: 'archived, but the original changed or was replaced meanwhile: original kept', archivePath: 'f.log.tar.gz' });
      expect(ls()).toEqual(['f.log', 'f.log.tar.gz']);
      const g = put('g.log', big);
      const q = pin({ statAt: (name, n) => (name === 'g.log' && n === 2 ? EIO : undefined) });
      expect(await compressEntry(q, g, now)).toMatchObject({ status: 'failed', outcome: 'archived, but the original changed or was replaced meanwhile: original kept' });
      expect(exists('g.log')).toBe(true);
    });

    it('an original that cannot be unlinked: failed with the archive; one already gone: done', async () => {
      const e = put('f.log', big);
      const r = await compressEntry(pin({ unlinkAt: (name) => (name === 'f.log' ? ERRNO.EACCES : undefined) }), e, now);
      const size = fs.statSync(path.join(root, 'f.log.tar.gz')).size;
      expect(r).toEqual({ status: 'failed', outcome: 'archived, original kept: permission denied', archivePath: 'f.log.tar.gz', archiveBytes: size });
      expect(ls()).toEqual(['f.log', 'f.log.tar.gz']);
      const g = put('g.log', big);
      const r2 = await compressEntry(pin({ unlinkAt: (name) => (name === 'g.log' ? ERRNO.ENOENT : undefined) }), g, now);
      expect(r2).toEqual({ status: 'done', outcome: 'original already removed', archivePath: 'g.log.tar.gz', archiveBytes: fs.statSync(path.join(root, 'g.log.tar.gz')).size });
    });

    it('leaves no descriptor open, done or refused', async () => {
      const p = pin();
      // A first compression warms up what Node opens once (the thread pool's descriptors).
      expect((await compressEntry(p, put('d/warm.log', big), now)).status).toBe('done');
      const before = openFds();
      expect((await compressEntry(p, put('d/a.log', big), now)).status).toBe('done');
      expect((await compressEntry(p, put('d/b.log', big), now, { minQuietMs: 2 * HOUR })).status).toBe('skipped');
      fs.mkdirSync(path.join(root, 'd', tempArchiveName('c.log')));
      expect((await compressEntry(p, put('d/c.log', big), now)).status).toBe('failed');
      expect(await compressEntry(p, put('d/e.log', big), now)).toMatchObject({ status: 'done' });
      const s = put('d/s.log', 'same');
      const copy = put('t/s.log', 'same');
      await compressEntry(p, copy, now);
      fs.renameSync(path.join(root, 't/s.log.tar.gz'), path.join(root, 'd/s.log.tar.gz'));
      p.forget('t');
      expect(await compressEntry(p, s, now)).toMatchObject({ outcome: 'archive already in place' });
      expect(openFds()).toBe(before);
    });
  });

  describe('resumedCompression', () => {
    const archive = async (dir: string, names: string[], out: string) => tar.c({ gzip: true, file: path.join(root, out), cwd: path.join(root, dir), portable: true }, names);

    it('done from an archive holding the one planned member, with its path and size; no descriptor left open', async () => {
      const e = put('a/b/f.json', 'content');
      await archive('a/b', ['f.json'], 'a/b/f.json.tar.gz');
      fs.rmSync(path.join(root, e.path));
      const p = pin();
      expect(await resumedCompression(p, e)).toMatchObject({ status: 'done' });
      const before = openFds();
      expect(await resumedCompression(p, e)).toEqual({ status: 'done', outcome: 'original already removed', archivePath: 'a/b/f.json.tar.gz', archiveBytes: fs.statSync(path.join(root, 'a/b/f.json.tar.gz')).size });
      expect(await resumedCompression(p, { ...e, size: 1 })).toBeNull();
      expect(openFds()).toBe(before);
    });

    it('null when the directory, the archive or the original say otherwise', async () => {
      const e = put('a/f.json', 'content');
      await archive('a', ['f.json'], 'a/f.json.tar.gz');
      // The original is still there.
      expect(await resumedCompression(pin(), e)).toBeNull();
      fs.rmSync(path.join(root, 'a/f.json'));
      // Another size than planned.
      expect(await resumedCompression(pin(), { ...e, size: e.size + 1 })).toBeNull();
      // The original's lookup fails otherwise than ENOENT.
      expect(await resumedCompression(pin({ statAt: (name) => (name === 'f.json' ? EIO : undefined) }), e)).toBeNull();
      // No archive.
      fs.renameSync(path.join(root, 'a/f.json.tar.gz'), path.join(root, 'a/f.json.tgz'));
      expect(await resumedCompression(pin(), e)).toBeNull();
      // The archive is a directory.
      fs.mkdirSync(path.join(root, 'a/f.json.tar.gz'));
      expect(await resumedCompression(pin(), e)).toBeNull();
      fs.rmdirSync(path.join(root, 'a/f.json.tar.gz'));
      // The archive cannot be fstat'ed.
      fs.renameSync(path.join(root, 'a/f.json.tgz'), path.join(root, 'a/f.json.tar.gz'));
      expect(await resumedCompression(pin(), e)).toMatchObject({ status: 'done' });
      let fd = -1;
      const p = pin({ openBeneath: (rel, _n, real) => (rel === 'f.json.tar.gz' ? (fd = real()) : undefined), fstat: (f) => (f === fd ? EIO : undefined) });
      expect(await resumedCompression(p, e)).toBeNull();
      // Not a gzip tar at all.
      fs.writeFileSync(path.join(root, 'a/f.json.tar.gz'), 'garbage');
      expect(await resumedCompression(pin(), e)).toBeNull();
      // The directory is gone.
      fs.rmSync(path.join(root, 'a'), { recursive: true });
      expect(await resumedCompression(pin(), e)).toBeNull();
    });

    it('null for an archive of two members, of another name, or of a non-file', async () => {
      const e = put('m/f.json', 'content');
      put('m/other.json', 'content');
      await archive('m', ['f.json', 'other.json'], 'm/f.json.tar.gz');
      fs.rmSync(path.join(root, 'm/f.json'));
      expect(await resumedCompression(pin(), e)).toBeNull();
      await archive('m', ['other.json'], 'm/f.json.tar.gz');
      expect(await resumedCompression(pin(), e)).toBeNull();
      // A symlink member of the planned name and size 0.
      fs.symlinkSync('other.json', path.join(root, 'm/f.json'));
      await archive('m', ['f.json'], 'm/f.json.tar.gz');
      fs.rmSync(path.join(root, 'm/f.json'));
      expect(await resumedCompression(pin(), { ...e, size: 0 })).toBeNull();
      // The same with a regular empty file is done (the size and type checks are what refused).
      fs.writeFileSync(path.join(root, 'm/f.json'), '');
      await archive('m', ['f.json'], 'm/f.json.tar.gz');
      fs.rmSync(path.join(root, 'm/f.json'));
      expect(await resumedCompression(pin(), { ...e, size: 0 })).toMatchObject({ status: 'done' });
    });
  });
});
