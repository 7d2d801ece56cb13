/**
 * Per-entry executor of a retention plan: check, delete, compress. Everything happens relative to
 * descriptors pinned from the root down (pinned-root.ts), never by path:
 * - the entry's directory is opened beneath the root through no symlink, on the root's filesystem;
 * - the entry is fstatat'ed in that directory (never followed) and its type, device, inode, size,
 *   mtime and ctime compared with the plan; then unlinkat removes that name in that directory.
 * - compression opens the file O_NOFOLLOW | O_NONBLOCK in its directory, fstats the descriptor,
 *   archives from it while hashing, verifies the archive's content against that hash, links the
 *   temp into place without clobbering, and unlinks the original only if its name still points to
 *   the inode that was archived.
 * What remains (documented in the README's security section): between the fstatat and the unlinkat
 * a writer can put another file under the same name in the same directory; that file is inside the
 * root and the writer could have removed it itself. Nothing outside the root can be reached.
 * Each function is idempotent, so a crash between a step and its journal write resumes.
 */
import fs from 'node:fs';
import { fsyncDirFd, hashFd, readArchive, SourceChangedError, verifyArchiveFd, writeTarGz } from './archive';
import { ERRNO, errnoName, fileType, newStatBuf, S_IFLNK, S_IFREG, ST } from './pinned';
import { type PinnedRoot, splitRel } from './pinned-root';
import { fsErrorMessage, PathSafetyError, resolveInside } from './safety';

/** The planned facts about one file. `ino` and `ctimeMs` are checked when the plan has them. */
export interface ActEntry {
  path: string;
  size: number;
  mtimeMs: number;
  ino?: number | null;
  ctimeMs?: number | null;
}

/** Machine-readable cause of a refused check; `reason` is the human text. */
export type RecheckCode = 'vanished' | 'unsafe' | 'not-a-file' | 'changed' | 'busy' | 'error';
export type RecheckResult = { ok: true; dirFd: number; name: string; st: Float64Array } | { ok: false; code: RecheckCode; reason: string };

export type EntryStatus = 'done' | 'skipped' | 'failed';
export interface ActResult {
  status: EntryStatus;
  outcome?: string;
  code?: RecheckCode;
}
export interface CompressResult extends ActResult {
  archivePath?: string;
  archiveBytes?: number;
}

export interface ActOptions {
  /** A file modified less than this long ago may still be written: skipped (default 60 s). */
  minQuietMs?: number;
}

/** Name of the temp archive of `name` while it is written; fixed per file, so a crash's leftover is found and replaced by the next attempt. */
export const tempArchiveName = (name: string): string => `.${name}.steward-tmp`;
/** Every temp archive name matches this (for sweeps and tests). */
export const TEMP_ARCHIVE_RE = /^\..+\.steward-tmp$/s;

const refuse = (code: RecheckCode, reason: string): RecheckResult => ({ ok: false, code, reason });
const errMsg = (n: number): string => fsErrorMessage({ code: errnoName(n), message: errnoName(n) });
const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK, O_NOCTTY } = fs.constants;

/** Why `st` is not the planned file, or null. mtime/ctime within 1 ms (plans store whole ms). */
function difference(st: Float64Array, e: ActEntry, rootDev: number): string | null {
  if (st[ST.DEV] !== rootDev) return 'is on another filesystem now';
  if (st[ST.SIZE] !== e.size) return `changed since the plan (size ${e.size} → ${st[ST.SIZE]} bytes)`;
  if (Math.abs((st[ST.MTIME] as number) - e.mtimeMs) >= 1) return `changed since the plan (modified ${new Date(st[ST.MTIME] as number).toISOString()})`;
  if (e.ino != null && st[ST.INO] !== e.ino) return 'was replaced by another file since the plan';
  if (e.ctimeMs != null && Math.abs((st[ST.CTIME] as number) - e.ctimeMs) >= 1) return 'changed since the plan (its metadata changed: rewritten or touched)';
  return null;
}

/**
 * Decides whether a planned file may still be acted on, at `nowMs`. ok (with its directory's
 * descriptor and stat) only when: the path is a normalized relative path; each parent directory
 * opens beneath the root through no symlink and on the root's filesystem; the entry is a regular
 * file (a symlink is never acted on) on the root's device; size, mtime, inode and ctime equal the
 * plan's; and it has been quiet for `minQuietMs`: nowMs - mtime >= minQuietMs, so a file still
 * being written (or dated in the future) is left alone. A changed file is skipped, never deleted.
 */
export function recheck(root: PinnedRoot, entry: ActEntry, nowMs: number, opts: ActOptions = {}): RecheckResult {
  const minQuietMs = opts.minQuietMs ?? 60_000;
  try {
    resolveInside(root.path, entry.path);
  } catch (err) {
    return refuse('unsafe', (err as PathSafetyError).message);
  }
  const { dir, name } = splitRel(entry.path);
  const dirFd = root.dir(dir);
  // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`
  if (dirFd < 0) {
    const e = -dirFd;
    if (e === ERRNO.ENOENT) return refuse('vanished', 'vanished');
    if (e === ERRNO.ELOOP || e === ERRNO.ENOTDIR) return refuse('unsafe', `parent directory ${JSON.stringify(dir)} is now a symlink or not a directory`);
    if (e === ERRNO.EXDEV) return refuse('unsafe', `parent directory ${JSON.stringify(dir)} is on another filesystem now (a mount)`);
    return refuse('error', `parent directory ${JSON.stringify(dir)}: ${errMsg(e)}`);
  }
  const st = newStatBuf();
  const e = root.ops.statAt(dirFd, name, st);
  if (e === ERRNO.ENOENT) return refuse('vanished', 'vanished');
  if (e !== 0) return refuse('error', errMsg(e));
  const type = fileType(st);
  if (type === S_IFLNK) return refuse('not-a-file', 'is now a symlink');
  if (type !== S_IFREG) return refuse('not-a-file', 'is no longer a regular file');
  const diff = difference(st, entry, root.identity.dev);
  if (diff) return refuse(diff.startsWith('is on another') ? 'unsafe' : 'changed', diff);
  const quietMs = nowMs - (st[ST.MTIME] as number);
  if (quietMs < minQuietMs) return refuse('busy', `modified ${Math.max(0, Math.floor(quietMs / 1000))} s ago (less than ${Math.ceil(minQuietMs / 1000)} s): may still be written`);
  return { ok: true, dirFd, name, st };
}

function unlinkOutcome(e: number): ActResult {
  if (e === 0) return { status: 'done' };
  if (e === ERRNO.ENOENT) return { status: 'skipped', outcome: 'vanished', code: 'vanished' };
  if (e === ERRNO.EBUSY) return { status: 'failed', outcome: 'is a mount point' };
  // Stryker disable next-line ConditionalExpression: `e === ERRNO.EACCES` → false is equivalent: errMsg(EACCES) is "permission denied" too (EPERM's own text differs, which the EPERM test checks)
  if (e === ERRNO.EACCES || e === ERRNO.EPERM) return { status: 'failed', outcome: 'permission denied' };
  return { status: 'failed', outcome: errMsg(e) };
}

/** Checks (recheck) and unlinks one planned file. Skipped with the check's reason when it fails. */
export function deleteEntry(root: PinnedRoot, entry: ActEntry, nowMs: number, opts: ActOptions = {}): ActResult {
  const c = recheck(root, entry, nowMs, opts);
  if (!c.ok) return { status: 'skipped', outcome: c.reason, code: c.code };
  return unlinkOutcome(root.ops.unlinkAt(c.dirFd, c.name));
}

/** Identity of an open descriptor equals a stat taken before (device, inode, size, mtime, ctime). */
function sameFile(a: Float64Array, b: Float64Array): boolean {
  return a[ST.DEV] === b[ST.DEV] && a[ST.INO] === b[ST.INO] && a[ST.SIZE] === b[ST.SIZE] && a[ST.MTIME] === b[ST.MTIME] && a[ST.CTIME] === b[ST.CTIME];
}

/**
 * Compresses one planned file into `<file>.tar.gz` next to it and removes the original.
 * Sequence, all relative to the file's directory descriptor: recheck; open the file O_RDONLY |
 * O_NOFOLLOW | O_NONBLOCK and fstat the descriptor (regular, one link, the checked inode); remove
 * a leftover temp of an earlier crash; create the temp O_CREAT | O_EXCL | O_NOFOLLOW (0600), write
 * the archive from the open descriptor while hashing it; give the temp the original's owner, group
 * and mode; fsync; read the temp back and compare its member with the hash; check the original was
 * not modified meanwhile; link the temp to `<file>.tar.gz` (never replacing an existing file: an
 * existing archive counts only if its content equals the file's, else "archive already exists");
 * fsync the directory; unlink the original only if its name still points to the archived inode.
 */
export async function compressEntry(root: PinnedRoot, entry: ActEntry, nowMs: number, opts: ActOptions = {}): Promise<CompressResult> {
  const c = recheck(root, entry, nowMs, opts);
  if (!c.ok) return { status: 'skipped', outcome: c.reason, code: c.code };
  const { dirFd, name } = c;
  const ops = root.ops;
  const archiveName = `${name}.tar.gz`;
  const archivePath = entry.path.slice(0, entry.path.length - name.length) + archiveName;
  const tmpName = tempArchiveName(name);
  // Stryker disable next-line UnaryOperator: ops.openBeneath returns an errno and never throws, so nothing can reach the finally before src is assigned
  let src = -1;
  let tmp = -1;
  let tmpLinked = false;
  try {
    src = ops.openBeneath(dirFd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    // Stryker disable next-line EqualityOperator,UnaryOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`; errMsg(+src) names the same errno as errMsg(-src) (errnoName takes the absolute value)
    if (src < 0) return -src === ERRNO.ENOENT ? { status: 'skipped', outcome: 'vanished', code: 'vanished' } : { status: -src === ERRNO.ELOOP ? 'skipped' : 'failed', outcome: -src === ERRNO.ELOOP ? 'is now a symlink' : errMsg(-src) };
    const st = newStatBuf();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a failed fstat leaves the fresh buffer zeroed (file type 0), which the type check right after refuses just the same
    if (ops.fstat(src, st) !== 0 || fileType(st) !== S_IFREG) return { status: 'skipped', outcome: 'is no longer a regular file', code: 'not-a-file' };
    if (!sameFile(st, c.st)) return { status: 'skipped', outcome: 'was replaced by another file while it was checked', code: 'changed' };
    if ((st[ST.NLINK] as number) > 1) return { status: 'skipped', outcome: `has ${st[ST.NLINK]} hard links: compressing one name would free nothing and copy a file shared with another path`, code: 'changed' };

    // An existing archive is trusted only for exactly this content (a crash after it was linked).
    const existing = newStatBuf();
    if (ops.statAt(dirFd, archiveName, existing) === 0) {
      const sha = (await hashFd(src)).sha256;
      // Stryker disable next-line ConditionalExpression: defence in depth: archiveMatches opens it O_NOFOLLOW (a symlink fails) and refuses a non-file itself (a directory, a FIFO: tested in act-mutants.test.ts)
      if (fileType(existing) === S_IFREG && (await archiveMatches(root, dirFd, archiveName, { name, size: entry.size, mtimeMs: entry.mtimeMs, sha256: sha }))) {
        return await removeOriginal(root, dirFd, name, st, { status: 'done', outcome: 'archive already in place', archivePath, archiveBytes: existing[ST.SIZE] as number });
      }
      return { status: 'skipped', outcome: `${archiveName} already exists and is not an archive of this file; left alone` };
    }

    // A leftover temp (a crash mid-write): a regular file of ours by its fixed name; removed.
    const stale = newStatBuf();
    if (ops.statAt(dirFd, tmpName, stale) === 0) {
      if (fileType(stale) === S_IFREG || fileType(stale) === S_IFLNK) ops.unlinkAt(dirFd, tmpName);
      else return { status: 'failed', outcome: `${tmpName} exists and is not a file; left alone` };
    }
    tmp = ops.openBeneath(dirFd, tmpName, O_RDWR | O_CREAT | O_EXCL, 0o600);
    // Stryker disable next-line EqualityOperator,UnaryOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`; errMsg(+tmp) names the same errno as errMsg(-tmp)
    if (tmp < 0) return { status: 'failed', outcome: `cannot create the temp archive: ${errMsg(-tmp)}` };
    tmpLinked = true;
    const sha256 = await writeTarGz(src, tmp, name, st[ST.MODE] as number, entry.size, st[ST.MTIME] as number);
    // Owner and group first (chown clears set-id bits), then the original's permission bits:
    // whoever could read the file can read its archive, and nobody else.
    const uid = st[ST.UID] as number;
    const gid = st[ST.GID] as number;
    // Stryker disable next-line OptionalChaining: geteuid/getegid exist on every POSIX platform, the only ones Steward acts on (pinned.ts needs Linux)
    if (uid !== process.geteuid?.() || gid !== process.getegid?.()) {
      try {
        fs.fchownSync(tmp, uid, gid);
      } catch {
        return { status: 'skipped', outcome: `cannot give the archive the file's owner (uid ${uid}, gid ${gid}); file kept` };
      }
    }
    fs.fchmodSync(tmp, (st[ST.MODE] as number) & 0o777);
    fs.fsyncSync(tmp);
    const verdict = await verifyArchiveFd(tmp, { name, size: entry.size, mtimeMs: st[ST.MTIME] as number, sha256 });
    if (!verdict.ok) return { status: 'failed', outcome: `archive does not verify (${verdict.reason}); file kept` };
    const after = newStatBuf();
    if (ops.fstat(src, after) !== 0 || !sameFile(after, st)) return { status: 'skipped', outcome: 'changed while it was being compressed; file kept', code: 'changed' };
    const archiveBytes = fs.fstatSync(tmp).size;
    const le = ops.linkAt(dirFd, tmpName, archiveName);
    if (le === ERRNO.EEXIST) return { status: 'skipped', outcome: `${archiveName} appeared while compressing; left alone` };
    if (le !== 0) return { status: 'failed', outcome: `cannot put the archive in place: ${errMsg(le)}` };
    // The archive's name now points to our temp's inode; drop the temp name.
    const placed = newStatBuf();
    const tmpSt = newStatBuf();
    ops.fstat(tmp, tmpSt);
    if (ops.statAt(dirFd, archiveName, placed) !== 0 || placed[ST.INO] !== tmpSt[ST.INO]) return { status: 'failed', outcome: 'the archive was replaced right after it was put in place; file kept' };
    ops.unlinkAt(dirFd, tmpName);
    // Stryker disable next-line BooleanLiteral: `true` only unlinks the temp name a second time in finally, which finds nothing (ENOENT, ignored)
    tmpLinked = false;
    fsyncDirFd(dirFd);
    return await removeOriginal(root, dirFd, name, st, { status: 'done', archivePath, archiveBytes });
  } catch (err) {
    if (err instanceof SourceChangedError) return { status: 'skipped', outcome: `${err.message}; file kept`, code: 'changed' };
    return { status: 'failed', outcome: `compression failed: ${fsErrorMessage(err)}` };
  } finally {
    if (tmpLinked) ops.unlinkAt(dirFd, tmpName);
    // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`
    if (tmp >= 0) fs.closeSync(tmp);
    // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`
    if (src >= 0) fs.closeSync(src);
  }
}

async function archiveMatches(root: PinnedRoot, dirFd: number, archiveName: string, want: Parameters<typeof verifyArchiveFd>[1]): Promise<boolean> {
  const fd = root.ops.openBeneath(dirFd, archiveName, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`
  if (fd < 0) return false;
  try {
    const st = newStatBuf();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: defence in depth: verifyArchiveFd fails for anything but a readable gzip tar of this content (it reads by position: a directory fails EISDIR, a FIFO ESPIPE; checked by hand), so skipping this check returns false just the same
    if (root.ops.fstat(fd, st) !== 0 || fileType(st) !== S_IFREG) return false;
    return (await verifyArchiveFd(fd, want)).ok;
  } finally {
    fs.closeSync(fd);
  }
}

/** Unlinks the original only if its name still points to the archived inode, unchanged. */
async function removeOriginal(root: PinnedRoot, dirFd: number, name: string, archived: Float64Array, done: CompressResult): Promise<CompressResult> {
  const now = newStatBuf();
  const e = root.ops.statAt(dirFd, name, now);
  if (e === ERRNO.ENOENT) return { ...done, outcome: done.outcome ?? 'original already removed' };
  // Stryker disable next-line ConditionalExpression: `e !== 0` → false is equivalent: a failed fstat leaves the fresh buffer zeroed (file type 0), which sameFile refuses just the same
  if (e !== 0 || !sameFile(now, archived)) return { status: 'failed', outcome: 'archived, but the original changed or was replaced meanwhile: original kept', archivePath: done.archivePath };
  const r = unlinkOutcome(root.ops.unlinkAt(dirFd, name));
  if (r.status !== 'done') return { status: r.status === 'skipped' ? 'done' : 'failed', outcome: r.status === 'skipped' ? 'original already removed' : `archived, original kept: ${r.outcome}`, archivePath: done.archivePath, archiveBytes: done.archiveBytes };
  fsyncDirFd(dirFd);
  return done;
}

/**
 * Resume of a compression interrupted after its original was removed: the archive is in place
 * and the original gone. Used for the journal's accounting only (nothing is deleted on its
 * word): done when `<file>.tar.gz` is a regular file holding one member with the planned name and
 * size; otherwise null (the caller runs compressEntry, which reports what it finds).
 */
export async function resumedCompression(root: PinnedRoot, entry: ActEntry): Promise<CompressResult | null> {
  const { dir, name } = splitRel(entry.path);
  const dirFd = root.dir(dir);
  // Stryker disable next-line EqualityOperator,ConditionalExpression: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`; without the check, a negative descriptor fails the lookups below (EBADF or ENOENT), which return null too
  if (dirFd < 0) return null;
  const probe = newStatBuf();
  if (root.ops.statAt(dirFd, name, probe) !== ERRNO.ENOENT) return null;
  const archiveName = `${name}.tar.gz`;
  const fd = root.ops.openBeneath(dirFd, archiveName, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0 and `<= 0` / `> 0` cannot differ from `< 0` / `>= 0`
  if (fd < 0) return null;
  try {
    const st = newStatBuf();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: defence in depth: a failed fstat leaves type 0, refused by the type check; a non-file then fails readArchive (EISDIR, ESPIPE), which returns null too
    if (root.ops.fstat(fd, st) !== 0 || fileType(st) !== S_IFREG) return null;
    // Stryker disable next-line ArrowFunction: undefined instead of null fails the same check below (no member)
    const members = await readArchive(fd).catch(() => null);
    const m = members?.length === 1 ? members[0] : undefined;
    if (!m || m.path !== name || m.type !== 'File' || m.size !== entry.size) return null;
    return { status: 'done', outcome: 'original already removed', archivePath: entry.path.slice(0, entry.path.length - name.length) + archiveName, archiveBytes: st[ST.SIZE] as number };
  } finally {
    fs.closeSync(fd);
  }
}
