/**
 * fs/pinned-root.ts where StrykerJS found pinned-root.test.ts blind (issue #12): each way a root
 * cannot be pinned (its code and message), the identity check of device and inode separately, the
 * lock's two refusals, and the directory cache (hit, LRU eviction of the 33rd, forget, close).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { availablePinnedOps, ERRNO, type PinnedOps, S_IFREG, ST } from './pinned';
import { PinnedRoot, RootPinError, splitRel } from './pinned-root';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pinm-')));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});
const openFds = () => fs.readdirSync('/proc/self/fd').length;

function refusal(fn: () => unknown): RootPinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RootPinError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('splitRel', () => {
  it('splits at the last slash; a bare name is in the root', () => {
    expect(splitRel('a.log')).toEqual({ dir: '', name: 'a.log' });
    expect(splitRel('a/b/c.log')).toEqual({ dir: 'a/b', name: 'c.log' });
    expect(splitRel('a/c.log')).toEqual({ dir: 'a', name: 'c.log' });
  });
});

describe.each(availablePinnedOps().map((o) => [o.kind, o] as const))('PinnedRoot through %s descriptors', (_kind, ops) => {
  const with_ = (over: Partial<PinnedOps>): PinnedOps => ({ ...ops, kind: ops.kind, openBeneath: ops.openBeneath.bind(ops), statAt: ops.statAt.bind(ops), fstat: ops.fstat.bind(ops), lockFd: ops.lockFd.bind(ops), ...over });

  it('refusals: missing, a file, a symlink to a file, another error; each with its code and message', () => {
    const missing = refusal(() => PinnedRoot.open(path.join(base, 'nope'), { ops }));
    expect([missing.name, missing.code, missing.root, missing.reason, missing.message]).toEqual(['RootPinError', 'missing', path.join(base, 'nope'), 'does not exist', `root "${path.join(base, 'nope')}": does not exist`]);
    fs.writeFileSync(path.join(base, 'file'), 'x');
    expect(refusal(() => PinnedRoot.open(path.join(base, 'file'), { ops }))).toMatchObject({ code: 'not-a-directory', reason: 'is not a directory' });
    fs.symlinkSync(path.join(base, 'file'), path.join(base, 'file-link'));
    expect(refusal(() => PinnedRoot.open(path.join(base, 'file-link'), { ops }))).toMatchObject({ code: 'not-a-directory', reason: 'is a symlink (configure its real path)' });
    fs.mkdirSync(path.join(base, 'dir'));
    fs.symlinkSync(path.join(base, 'dir'), path.join(base, 'dir-link'));
    expect(refusal(() => PinnedRoot.open(path.join(base, 'dir-link'), { ops }))).toMatchObject({ code: 'not-a-directory', reason: 'is a symlink (configure its real path)' });
    // A symlink loop on the way fails ELOOP.
    fs.symlinkSync(path.join(base, 'loop'), path.join(base, 'loop'));
    expect(refusal(() => PinnedRoot.open(path.join(base, 'loop'), { ops }))).toMatchObject({ code: 'not-a-directory', reason: 'is a symlink (configure its real path)' });
    expect(refusal(() => PinnedRoot.open(path.join(base, 'loop', 'x'), { ops }))).toMatchObject({ code: 'not-a-directory', reason: 'is a symlink (configure its real path)' });
    vi.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(refusal(() => PinnedRoot.open(path.join(base, 'dir'), { ops }))).toMatchObject({ code: 'io', reason: 'permission denied' });
  });

  it('a descriptor that cannot be inspected, or is not a directory, is refused and closed', () => {
    const before = openFds();
    expect(refusal(() => PinnedRoot.open(base, { ops: with_({ fstat: () => ERRNO.EACCES }) }))).toMatchObject({ code: 'io', reason: 'permission denied' });
    const asFile = with_({
      fstat: (fd, out) => {
        const e = ops.fstat(fd, out);
        out[ST.MODE] = S_IFREG | 0o644;
        return e;
      },
    });
    expect(refusal(() => PinnedRoot.open(base, { ops: asFile }))).toMatchObject({ code: 'io', reason: 'is not a directory' });
    const st = fs.statSync(base);
    expect(refusal(() => PinnedRoot.open(base, { ops, expect: { dev: st.dev, ino: st.ino + 1 } })).code).toBe('identity');
    expect(openFds()).toBe(before);
  });

  it('the identity compares device and inode, each on its own; no expectation accepts any directory', () => {
    const st = fs.statSync(base);
    const other = refusal(() => PinnedRoot.open(base, { ops, expect: { dev: st.dev + 1, ino: st.ino } }));
    expect(other.reason).toBe(
      `is no longer the directory that was registered (device ${st.dev + 1}, inode ${st.ino}; the path now leads to device ${st.dev}, inode ${st.ino}): a directory on the way may have been replaced. Nothing was touched; if the move was intended, remove and register the root again.`,
    );
    expect(refusal(() => PinnedRoot.open(base, { ops, expect: { dev: st.dev, ino: st.ino + 1 } })).code).toBe('identity');
    const ok = PinnedRoot.open(base, { ops, expect: { dev: st.dev, ino: st.ino } });
    expect([ok.path, ok.identity]).toEqual([base, { dev: st.dev, ino: st.ino }]);
    expect(ok.ops).toBe(ops);
    ok.close();
    PinnedRoot.open(base, { ops, expect: null }).close();
  });

  it('lock: busy while another holds it, an io error otherwise; released by close', () => {
    const a = PinnedRoot.open(base, { ops });
    const b = PinnedRoot.open(base, { ops });
    a.lock();
    expect(refusal(() => b.lock())).toMatchObject({ code: 'busy', reason: 'another rotation of this root is running (the CLI or the server holds its lock); try again when it has finished' });
    a.close();
    b.lock();
    b.close();
    const c = PinnedRoot.open(base, { ops: with_({ lockFd: () => ERRNO.ENOSYS }) });
    expect(refusal(() => c.lock())).toMatchObject({ code: 'io', reason: 'cannot lock it: ENOSYS' });
    c.close();
  });

  it('dir: "" is the root; a hit reuses the descriptor; failures are passed on; forget and close release', () => {
    for (let i = 0; i < 40; i++) fs.mkdirSync(path.join(base, `d${i}`));
    const p = PinnedRoot.open(base, { ops });
    expect(p.dir('')).toBe(p.fd);
    const d0 = p.dir('d0');
    expect(d0).toBeGreaterThan(p.fd);
    expect(p.dir('d0')).toBe(d0);
    expect(p.dir('missing')).toBe(-ERRNO.ENOENT);
    const before = openFds();
    // 32 are kept: d0 .. d31 cached; d32 evicts the least recently used.
    for (let i = 1; i < 32; i++) p.dir(`d${i}`);
    expect(openFds()).toBe(before + 31);
    p.dir('d0'); // d0 becomes the most recent; d1 is now the oldest
    p.dir('d32');
    expect(openFds()).toBe(before + 31);
    expect(p.dir('d0')).toBe(d0);
    const d1 = p.dir('d1'); // reopened (evicted), evicting d2
    expect(openFds()).toBe(before + 31);
    expect(fs.fstatSync(d1).ino).toBe(fs.statSync(path.join(base, 'd1')).ino);
    p.forget('d0');
    expect(openFds()).toBe(before + 30);
    p.forget('d0');
    p.forget('never-opened');
    expect(openFds()).toBe(before + 30);
    expect(p.dir('d0')).not.toBe(-1);
    p.close();
    expect(openFds()).toBe(before - 2);
    p.close();
    expect(() => p.dir('d0')).toThrow(new Error('PinnedRoot used after close'));
    expect(() => p.dir('')).toThrow('PinnedRoot used after close');
  });
});
