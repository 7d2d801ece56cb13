/**
 * A root opened once and pinned by its descriptor, with its identity checked, for one execution.
 *
 * - open(): the root's path is opened with O_DIRECTORY | O_NOFOLLOW and fstat'ed; when the root
 *   was registered, its (device, inode) must equal the registered ones. A path whose ancestor was
 *   swapped for a symlink ("base/teamA" → "teamB-area") resolves to another directory, with
 *   another inode, and is refused: the stored path is only a way to find the directory, never
 *   trusted to still name it.
 * - lock(): flock(LOCK_EX | LOCK_NB) on the root's descriptor, held until close(). The CLI and the
 *   server both take it, so two rotations of one root never run at once on this host, whatever
 *   started them; a process that dies releases it (the kernel drops the lock with the descriptor).
 * - dir(rel): the descriptor of a directory below the root, opened beneath the root's descriptor
 *   through no symlink and on the root's filesystem only (a mount appearing after approval is
 *   refused). A few recent ones are cached: plans are in path order, so neighbours share them.
 *   A cached descriptor keeps pointing at the directory it opened, even if that directory is
 *   renamed meanwhile; acts in it are still identity-checked against the plan.
 */
import fs from 'node:fs';
import { ERRNO, errnoName, newStatBuf, type PinnedOps, pinnedOps, ST, fileType, S_IFDIR } from './pinned';
import { fsErrorMessage } from './safety';

export interface RootIdentity {
  dev: number;
  ino: number;
}

/** The root cannot be pinned: gone, not a directory, a symlink, or not the registered directory. */
export class RootPinError extends Error {
  constructor(
    readonly root: string,
    readonly reason: string,
    readonly code: 'missing' | 'not-a-directory' | 'identity' | 'busy' | 'io',
  ) {
    super(`root "${root}": ${reason}`);
    this.name = 'RootPinError';
  }
}

const MAX_CACHED_DIRS = 32;
const errnoMessage = (n: number): string => fsErrorMessage({ code: errnoName(n), message: errnoName(n) });

export class PinnedRoot {
  private readonly dirs = new Map<string, number>();
  private closed = false;

  private constructor(
    readonly path: string,
    readonly fd: number,
    readonly identity: RootIdentity,
    readonly ops: PinnedOps,
  ) {}

  /** Opens `rootPath` (absolute); with `expect`, refuses a directory that is not the registered one. */
  static open(rootPath: string, opts: { expect?: RootIdentity | null; ops?: PinnedOps } = {}): PinnedRoot {
    const ops = opts.ops ?? pinnedOps();
    let fd: number;
    try {
      fd = fs.openSync(rootPath, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new RootPinError(rootPath, 'does not exist', 'missing');
      if (code === 'ELOOP') throw new RootPinError(rootPath, 'is a symlink (configure its real path)', 'not-a-directory');
      if (code === 'ENOTDIR') {
        // With O_DIRECTORY, a symlink fails as ENOTDIR, not ELOOP: say which (only the message; it is refused either way).
        // Stryker disable next-line BooleanLiteral: the initial value is kept only if the path vanished between the open and the lstat (a race no test can time); the root is refused either way
        let link = false;
        try {
          link = fs.lstatSync(rootPath).isSymbolicLink();
        } catch {
          /* gone meanwhile */
        }
        throw new RootPinError(rootPath, link ? 'is a symlink (configure its real path)' : 'is not a directory', 'not-a-directory');
      }
      throw new RootPinError(rootPath, fsErrorMessage(err), 'io');
    }
    const st = newStatBuf();
    const e = ops.fstat(fd, st);
    // Stryker disable next-line ConditionalExpression: a failed fstat leaves the fresh buffer zeroed (type 0), refused by the type check; the message still names the errno
    if (e !== 0 || fileType(st) !== S_IFDIR) {
      fs.closeSync(fd);
      throw new RootPinError(rootPath, e !== 0 ? errnoMessage(e) : 'is not a directory', 'io');
    }
    const identity = { dev: st[ST.DEV] as number, ino: st[ST.INO] as number };
    if (opts.expect && (opts.expect.dev !== identity.dev || opts.expect.ino !== identity.ino)) {
      fs.closeSync(fd);
      throw new RootPinError(
        rootPath,
        `is no longer the directory that was registered (device ${opts.expect.dev}, inode ${opts.expect.ino}; the path now leads to device ${identity.dev}, inode ${identity.ino}): a directory on the way may have been replaced. Nothing was touched; if the move was intended, remove and register the root again.`,
        'identity',
      );
    }
    return new PinnedRoot(rootPath, fd, identity, ops);
  }

  /** Takes the per-root lock (held until close). Throws RootPinError('busy') when another process holds it. */
  lock(): void {
    const e = this.ops.lockFd(this.fd);
    if (e === 0) return;
    if (e === ERRNO.EWOULDBLOCK) throw new RootPinError(this.path, 'another rotation of this root is running (the CLI or the server holds its lock); try again when it has finished', 'busy');
    throw new RootPinError(this.path, `cannot lock it: ${errnoMessage(e)}`, 'io');
  }

  /** Descriptor of the directory `rel` ("" = the root): fd, or -errno (ELOOP/ENOTDIR: a symlink or not a directory on the way; EXDEV: another filesystem). */
  dir(rel: string): number {
    if (this.closed) throw new Error('PinnedRoot used after close');
    if (rel === '') return this.fd;
    const hit = this.dirs.get(rel);
    if (hit !== undefined) {
      this.dirs.delete(rel); // re-insert: Map order is the LRU order
      this.dirs.set(rel, hit);
      return hit;
    }
    const fd = this.ops.openBeneath(this.fd, rel, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0
    if (fd < 0) return fd;
    this.dirs.set(rel, fd);
    if (this.dirs.size > MAX_CACHED_DIRS) {
      const [oldest, ofd] = this.dirs.entries().next().value as [string, number];
      this.dirs.delete(oldest);
      fs.closeSync(ofd);
    }
    return fd;
  }

  /** Drops a cached directory descriptor (after it turned out to be stale, e.g. the directory was replaced). */
  forget(rel: string): void {
    const fd = this.dirs.get(rel);
    if (fd === undefined) return;
    this.dirs.delete(rel);
    fs.closeSync(fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.dirs.values()) fs.closeSync(fd);
    this.dirs.clear();
    fs.closeSync(this.fd); // also releases the flock
  }
}

/** Splits a root-relative path into its directory ("" for the root) and its last component. */
export function splitRel(rel: string): { dir: string; name: string } {
  const i = rel.lastIndexOf('/');
  // Stryker disable next-line EqualityOperator: i is 0 only for an absolute path, which resolveInside refuses before any split
  return i < 0 ? { dir: '', name: rel } : { dir: rel.slice(0, i), name: rel.slice(i + 1) };
}
