/**
 * Descriptor-relative filesystem calls, the only way the retention executor touches a root.
 *
 * Why: Node's fs resolves every path again from "/", so "check the path, then act on the path" is
 * a race against anyone who can rename inside the tree (a CI job swapping a directory for a
 * symlink to /etc between the check and the unlink). Every act here happens relative to a
 * directory descriptor that was opened from the root down without following a symlink and
 * without crossing onto another filesystem; the last component is looked up in that directory
 * only, and never followed.
 *
 * Two implementations of one contract (PinnedOps):
 * - native: native/scan/pinned.c (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 *   RESOLVE_NO_XDEV, fstatat, unlinkat, linkat, renameat, mkdirat, flock), built by npm install;
 * - proc: pure Node on Linux, through /proc/self/fd/<dirfd>/<name>, which resolves <name> inside
 *   the already-open directory even after that directory's path was renamed away (checked on this
 *   machine: STACK.md). Directories are opened one component at a time with O_NOFOLLOW and their
 *   st_dev compared; flock comes from util-linux's flock(1) on an inherited descriptor (a flock
 *   belongs to the open file description, which the parent keeps after the child exits).
 * Where neither is available Steward can preview but refuses to execute, and says why.
 *
 * Every call returns an errno number instead of throwing (hot delete loops allocate nothing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type * as NativeScanModule from '@steward/native-scan';
import { getEnv } from '@/lib/env';

const native = createRequire(import.meta.url)(/* turbopackIgnore: true */ '@steward/native-scan') as typeof NativeScanModule;

/** Indexes into a stat buffer (Float64Array(STAT_LEN)). */
export const ST = { DEV: 0, INO: 1, MODE: 2, NLINK: 3, UID: 4, GID: 5, SIZE: 6, MTIME: 7, CTIME: 8, BLOCKS: 9 } as const;
export const STAT_LEN = 10;
export const newStatBuf = (): Float64Array => new Float64Array(STAT_LEN);

const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const fileType = (st: Float64Array): number => (st[ST.MODE] as number) & S_IFMT;

const E = os.constants.errno;
export const ERRNO = { ENOENT: E.ENOENT, EEXIST: E.EEXIST, ELOOP: E.ELOOP, EXDEV: E.EXDEV, ENOTDIR: E.ENOTDIR, EINVAL: E.EINVAL, EWOULDBLOCK: E.EWOULDBLOCK, ENOSYS: E.ENOSYS, EACCES: E.EACCES, EPERM: E.EPERM, EBUSY: E.EBUSY } as const;

const ERRNO_NAMES = new Map<number, string>(Object.entries(E).map(([k, v]) => [v, k]));
/** "ENOENT" for 2; "E123" for an unknown number. */
export const errnoName = (n: number): string => ERRNO_NAMES.get(Math.abs(n)) ?? `E${Math.abs(n)}`;

export interface PinnedOps {
  readonly kind: 'native' | 'proc';
  /** Opens `rel` (one or more components, no ".." or ".") beneath `dirfd`: fd, or -errno. O_NOFOLLOW and O_CLOEXEC are always added. */
  openBeneath(dirfd: number, rel: string, flags: number, mode?: number): number;
  /** lstat of `name` (one component) in `dirfd` into `out`: 0 or errno. */
  statAt(dirfd: number, name: string, out: Float64Array): number;
  fstat(fd: number, out: Float64Array): number;
  unlinkAt(dirfd: number, name: string): number;
  /** Hard link `from` to `to` in the same directory; EEXIST when `to` exists (never replaced). */
  linkAt(dirfd: number, from: string, to: string): number;
  renameAt(dirfd: number, from: string, to: string): number;
  mkdirAt(dirfd: number, name: string, mode: number): number;
  /** flock(LOCK_EX | LOCK_NB) on an open descriptor: 0, or EWOULDBLOCK when someone holds it. */
  lockFd(fd: number): number;
}

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;

/** Node's fs errors carry a negative libuv errno; turn them into a positive errno. */
function errnoOf(err: unknown): number {
  const n = (err as NodeJS.ErrnoException).errno;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the fallback is unreachable: every error Node's fs throws carries a negative, nonzero errno
  return typeof n === 'number' && n !== 0 ? Math.abs(n) : ERRNO.EINVAL;
}

/** A single safe name: not empty, no "/", not "." or "..", no NUL. */
function badName(name: string): boolean {
  return name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0');
}

function fillStat(st: fs.Stats, out: Float64Array): void {
  out[ST.DEV] = st.dev;
  out[ST.INO] = st.ino;
  out[ST.MODE] = st.mode;
  out[ST.NLINK] = st.nlink;
  out[ST.UID] = st.uid;
  out[ST.GID] = st.gid;
  out[ST.SIZE] = st.size;
  out[ST.MTIME] = st.mtimeMs;
  out[ST.CTIME] = st.ctimeMs;
  out[ST.BLOCKS] = st.blocks;
}

const at = (dirfd: number, name: string) => `/proc/self/fd/${dirfd}/${name}`;

function tryCall(fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (err) {
    return errnoOf(err);
  }
}

/** The /proc/self/fd implementation (pure Node, Linux). */
export const procOps: PinnedOps = {
  kind: 'proc',
  openBeneath(dirfd, rel, flags, mode = 0) {
    const segs = rel.split('/');
    if (segs.some(badName)) return -ERRNO.EXDEV;
    const base = newStatBuf();
    if (this.fstat(dirfd, base) !== 0) return -ERRNO.EINVAL;
    let cur = dirfd;
    const probe = newStatBuf();
    const closeCur = () => {
      if (cur !== dirfd) fs.closeSync(cur);
    };
    for (let i = 0; i < segs.length - 1; i++) {
      let next: number;
      try {
        next = fs.openSync(at(cur, segs[i] as string), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      } catch (err) {
        closeCur();
        return -errnoOf(err);
      }
      closeCur();
      cur = next;
      if (this.fstat(cur, probe) !== 0 || probe[ST.DEV] !== base[ST.DEV]) {
        closeCur();
        return -ERRNO.EXDEV;
      }
    }
    try {
      const fd = fs.openSync(at(cur, segs[segs.length - 1] as string), flags | O_NOFOLLOW, mode);
      // Mutation note: one survivor is explained, not killed: `(flags & O_CREAT) === 0` → `true` (check the device of a
      // created file too) only differs for O_CREAT without O_EXCL on an existing mount point, which no caller does
      // (act.ts always creates O_CREAT | O_EXCL: a new file is on its directory's filesystem).
      if ((flags & fs.constants.O_CREAT) === 0 && (this.fstat(fd, probe) !== 0 || probe[ST.DEV] !== base[ST.DEV])) {
        fs.closeSync(fd);
        return -ERRNO.EXDEV;
      }
      return fd;
    } catch (err) {
      return -errnoOf(err);
    } finally {
      closeCur();
    }
  },
  statAt(dirfd, name, out) {
    if (badName(name)) return ERRNO.EINVAL;
    try {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: without the option lstatSync throws ENOENT, which the catch turns into the same ENOENT
      const st = fs.lstatSync(at(dirfd, name), { throwIfNoEntry: false });
      if (!st) return ERRNO.ENOENT;
      fillStat(st, out);
      return 0;
    } catch (err) {
      return errnoOf(err);
    }
  },
  fstat(fd, out) {
    try {
      fillStat(fs.fstatSync(fd), out);
      return 0;
    } catch (err) {
      return errnoOf(err);
    }
  },
  unlinkAt: (dirfd, name) => (badName(name) ? ERRNO.EINVAL : tryCall(() => fs.unlinkSync(at(dirfd, name)))),
  linkAt: (dirfd, from, to) => (badName(from) || badName(to) ? ERRNO.EINVAL : tryCall(() => fs.linkSync(at(dirfd, from), at(dirfd, to)))),
  renameAt: (dirfd, from, to) => (badName(from) || badName(to) ? ERRNO.EINVAL : tryCall(() => fs.renameSync(at(dirfd, from), at(dirfd, to)))),
  mkdirAt: (dirfd, name, mode) => (badName(name) ? ERRNO.EINVAL : tryCall(() => fs.mkdirSync(at(dirfd, name), { mode }))),
  lockFd(fd) {
    // util-linux flock(1) locks its inherited fd 3, which shares our open file description: the
    // lock stays held by us after it exits, until we close the descriptor.
    const r = spawnSync('flock', ['--nonblock', '--exclusive', '3'], { stdio: ['ignore', 'ignore', 'ignore', fd], timeout: 10_000 });
    if (r.error) return ERRNO.ENOSYS;
    return r.status === 0 ? 0 : ERRNO.EWOULDBLOCK;
  },
};

function nativeOps(n: NonNullable<typeof native.pinned>): PinnedOps {
  return {
    kind: 'native',
    openBeneath: (dirfd, rel, flags, mode = 0) => (rel.split('/').some(badName) ? -ERRNO.EXDEV : n.openBeneath(dirfd, rel, flags, mode)),
    statAt: (dirfd, name, out) => (badName(name) ? ERRNO.EINVAL : n.statAt(dirfd, name, out)),
    fstat: (fd, out) => n.fstatFd(fd, out),
    unlinkAt: (dirfd, name) => (badName(name) ? ERRNO.EINVAL : n.unlinkAt(dirfd, name)),
    linkAt: (dirfd, from, to) => (badName(from) || badName(to) ? ERRNO.EINVAL : n.linkAt(dirfd, from, to)),
    renameAt: (dirfd, from, to) => (badName(from) || badName(to) ? ERRNO.EINVAL : n.renameAt(dirfd, from, to)),
    mkdirAt: (dirfd, name, mode) => (badName(name) ? ERRNO.EINVAL : n.mkdirAt(dirfd, name, mode)),
    lockFd: (fd) => n.lockFd(fd),
  };
}

let procChecked: string | null | undefined;
/** Why the /proc implementation cannot be used here, or null. Checked once: a directory opened, a name stat'ed through /proc/self/fd. */
export function procUnavailable(): string | null {
  if (procChecked !== undefined) return procChecked;
  if (process.platform !== 'linux') return (procChecked = `not Linux (${process.platform})`);
  // Stryker disable next-line UnaryOperator: openSync('/') does not fail on Linux, so the finally never sees the initial value
  let fd = -1;
  try {
    fd = fs.openSync('/', O_RDONLY | O_DIRECTORY);
    // Stryker disable next-line StringLiteral: /proc/self/fd/<fd>/ (no name) is the directory itself as well
    fs.lstatSync(at(fd, '.'));
    procChecked = null;
  } catch (err) {
    procChecked = `/proc/self/fd is not usable (${(err as Error).message})`;
  } finally {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: fd is always a descriptor here (openSync('/') does not fail), and never 0 (stdin)
    if (fd >= 0) fs.closeSync(fd);
  }
  return procChecked;
}

export type PinnedChoice = 'auto' | 'native' | 'proc';

/** STEWARD_SCANNER picks the native addon or pure JavaScript for acting too: "js" → /proc, "native" → native. */
function defaultChoice(): PinnedChoice {
  const s = getEnv().STEWARD_SCANNER;
  // Stryker disable next-line StringLiteral: any choice other than "proc" and "native" acts as "auto", so the 'auto' literal is equivalent to any string
  return s === 'js' ? 'proc' : s === 'native' ? 'native' : 'auto';
}

/**
 * The descriptor-relative implementation to act with: native when built (or asked for), else
 * /proc. Throws PinnedUnavailableError naming why when none can be used: the caller refuses to
 * execute (previews do not need it).
 */
export function pinnedOps(choice: PinnedChoice = defaultChoice()): PinnedOps {
  if (choice !== 'proc' && native.pinned) return nativeOps(native.pinned);
  if (choice === 'native') throw new PinnedUnavailableError(`the native addon is unavailable: ${native.loadError ?? 'not built'}`);
  const why = procUnavailable();
  if (why) throw new PinnedUnavailableError(`${native.pinned ? '' : `the native addon is unavailable (${native.loadError ?? 'not built'}) and `}${why}`);
  return procOps;
}

/** Which implementations can run here (tests run every case against each). */
export function availablePinnedOps(): PinnedOps[] {
  const out: PinnedOps[] = [];
  if (native.pinned) out.push(nativeOps(native.pinned));
  if (procUnavailable() === null) out.push(procOps);
  return out;
}

export class PinnedUnavailableError extends Error {
  constructor(why: string) {
    super(`cannot execute safely on this machine: ${why}. Steward can preview here but will not delete or compress without descriptor-relative filesystem calls.`);
    this.name = 'PinnedUnavailableError';
  }
}
