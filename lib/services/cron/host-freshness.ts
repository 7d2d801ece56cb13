/**
 * Host freshness: Steward looks at an artifact's modification time on its own host, for the
 * freshness checks that name an artifact root (the cron-freshness job, every minute).
 *
 * Threat model: Steward often runs as root, and the artifact directory is written by CI jobs, so
 * anything below the root is attacker-writable. The check must never read anything outside the
 * registered root, by construction rather than by checking a path and then using it:
 * - the pattern is lexical first: relative, normalized, no "..", no NUL, a glob only in the last
 *   segment (artifactPatternProblem);
 * - the root is opened once with O_NOFOLLOW and pinned by its descriptor, its (device, inode)
 *   compared with the registered ones (PinnedRoot, the retention executor's, README "Retention
 *   safety");
 * - the artifact's directory is opened beneath that descriptor, one component at a time with no
 *   symlink followed and no other filesystem entered (openat2 RESOLVE_BENEATH | NO_SYMLINKS |
 *   NO_XDEV, or O_NOFOLLOW per component through /proc): a symlink on the way is refused;
 * - the last component is lstat'ed in that directory only (fstatat AT_SYMLINK_NOFOLLOW): a
 *   symlink, a non-regular file, a file on another filesystem, or a file with other hard links
 *   (which could be an outside file's inode) is refused, never followed; a glob lists the pinned
 *   directory (/proc/self/fd/<fd>) and lstat's each candidate the same way.
 * A directory swapped for a symlink during the observation is either opened before the swap (the
 * real directory, wherever its name now is) or refused; the outside file is never reached. A
 * refusal reads as missing (down) with the reason in `problem`: a check that cannot be verified
 * is not fresh.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Db } from '@/lib/db/client';
import { compileSegmentGlob, isGlob, newestMatch, splitArtifactPattern, type DirEntry } from '@/lib/engine/cron';
import { errnoName, ERRNO, fileType, newStatBuf, pinnedOps, procUnavailable, S_IFLNK, S_IFREG, ST, type PinnedOps } from '../retention/fs/pinned';
import { PinnedRoot, RootPinError } from '../retention/fs/pinned-root';
import { fsErrorMessage } from '../retention/fs/safety';
import { recordObservation } from './observe';

export interface ArtifactObservation {
  /** The root-relative path of the file judged (the newest glob match), or null when none was. */
  path: string | null;
  /** Its modification time; null: missing or refused. */
  mtime: Date | null;
  /** Why there is no mtime (missing, refused, unreadable), or null when there is one. */
  problem: string | null;
}

/** A registered artifact root (prisma ArtifactRoot): its real path and, when known, its identity. */
export interface ObservedRoot {
  path: string;
  dev?: number | null;
  ino?: number | null;
}

const MAX_PATTERN = 1000;
/** openat2(RESOLVE_BENEATH) answers EAGAIN when a rename raced the lookup: try again a few times. */
const EAGAIN_RETRIES = 5;

const q = (s: string) => JSON.stringify(s);

/** Why `pattern` is not an acceptable root-relative artifact path, or null. Purely lexical. */
export function artifactPatternProblem(pattern: string): string | null {
  if (typeof pattern !== 'string' || pattern === '') return 'the artifact path is empty';
  if (pattern.length > MAX_PATTERN) return `the artifact path is longer than ${MAX_PATTERN} characters`;
  if (pattern.includes('\0')) return 'the artifact path contains a NUL byte';
  if (pattern.startsWith('/')) return `${q(pattern)} is absolute; give a path relative to the artifact root`;
  const segs = pattern.split('/');
  if (segs.includes('..')) return `${q(pattern)} contains ".." (it must stay under the artifact root)`;
  if (segs.some((s) => s === '' || s === '.')) return `${q(pattern)} is not a normalized path (no empty, "." or trailing segments)`;
  if (segs.slice(0, -1).some((s) => isGlob(s))) return `${q(pattern)}: a glob is allowed in the last path segment only`;
  return null;
}

function dirProblem(dir: string, errno: number): string {
  const where = dir === '' ? 'the root' : q(dir);
  if (errno === ERRNO.ENOENT) return `directory ${where} does not exist`;
  if (errno === ERRNO.ELOOP || errno === ERRNO.ENOTDIR) return `${where} is a symlink or not a directory (symlinks are never followed under an artifact root)`;
  if (errno === ERRNO.EXDEV) return `${where} is on another filesystem or leaves the root (not followed)`;
  return `${where}: ${errnoText(errno)}`;
}

/** "permission denied" for EACCES; the errno's name for the rarer ones. */
const errnoText = (errno: number) => fsErrorMessage(Object.assign(new Error(errnoName(errno)), { code: errnoName(errno) }));

/** Refusal reason for an lstat'ed entry, or null when it is a regular file of the root's filesystem with one link. */
function entryProblem(rel: string, st: Float64Array, rootDev: number): string | null {
  const t = fileType(st);
  if (t === S_IFLNK) return `${q(rel)} is a symlink (never followed under an artifact root)`;
  if (t !== S_IFREG) return `${q(rel)} is not a regular file`;
  if (st[ST.DEV] !== rootDev) return `${q(rel)} is on another filesystem`;
  if ((st[ST.NLINK] as number) > 1) return `${q(rel)} has ${st[ST.NLINK]} hard links (refused: it may be a file from outside the root)`;
  return null;
}

function openDir(root: PinnedRoot, dir: string): number {
  let fd = root.dir(dir);
  for (let i = 0; fd === -os.constants.errno.EAGAIN && i < EAGAIN_RETRIES; i++) fd = root.dir(dir);
  return fd;
}

/**
 * Observes `relativePattern` under `root` at `now` (only for the caller's record: the time of
 * the observation is the kernel's mtime, not a clock read here). Never throws for a filesystem
 * condition: every refusal or error is a `problem`.
 */
export async function observeArtifact(root: ObservedRoot, relativePattern: string, _now: Date, opts: { ops?: PinnedOps } = {}): Promise<ArtifactObservation> {
  const none = (problem: string): ArtifactObservation => ({ path: null, mtime: null, problem });
  const lexical = artifactPatternProblem(relativePattern);
  if (lexical) return none(lexical);
  const split = splitArtifactPattern(relativePattern);
  if ('error' in split) return none(`${q(relativePattern)}: ${split.error}`);
  // "." is the engine's "no directory part"; the pinned root calls that "".
  const dir = split.dir === '.' ? '' : split.dir;
  const { name: last, glob } = split;
  const noProc = glob ? procUnavailable() : null;
  if (noProc) return none(`a glob needs /proc to list a pinned directory: ${noProc}`);

  let pinned: PinnedRoot;
  try {
    const expect = typeof root.dev === 'number' && typeof root.ino === 'number' ? { dev: root.dev, ino: root.ino } : null;
    pinned = PinnedRoot.open(root.path, { expect, ops: opts.ops ?? pinnedOps() });
  } catch (e) {
    if (e instanceof RootPinError) return none(`artifact root ${e.reason}`);
    return none((e as Error).message);
  }
  try {
    const rootDev = pinned.identity.dev;
    const dirfd = openDir(pinned, dir);
    if (dirfd < 0) return none(dirProblem(dir, -dirfd));
    const relOf = (name: string) => (dir === '' ? name : `${dir}/${name}`);
    const st = newStatBuf();
    if (!glob) {
      const rel = relOf(last);
      const e = pinned.ops.statAt(dirfd, last, st);
      if (e === ERRNO.ENOENT) return none(`${q(rel)} does not exist`);
      if (e !== 0) return none(`${q(rel)}: ${errnoText(e)}`);
      const refused = entryProblem(rel, st, rootDev);
      if (refused) return none(refused);
      return { path: rel, mtime: new Date(st[ST.MTIME] as number), problem: null };
    }
    // The listing is of the pinned directory itself (the magic link leads to the open directory,
    // whatever its path now is); each name is then lstat'ed in that same directory.
    let names: string[];
    try {
      names = fs.readdirSync(`/proc/self/fd/${dirfd}`);
    } catch (err) {
      return none(`cannot list ${dir === '' ? 'the root' : q(dir)}: ${fsErrorMessage(err)}`);
    }
    const matcher = compileSegmentGlob(last);
    const entries: DirEntry[] = [];
    let refused = 0;
    for (const name of names) {
      if (!matcher(name)) continue;
      if (pinned.ops.statAt(dirfd, name, st) !== 0) continue; // gone since the listing
      const bad = entryProblem(relOf(name), st, rootDev) !== null;
      if (bad) refused++;
      entries.push({ name, mtimeMs: st[ST.MTIME] as number, isFile: !bad });
    }
    const best = newestMatch(entries, matcher);
    if (!best) return none(`no regular file matches ${q(relativePattern)}${refused ? ` (${refused} match(es) refused: symlinks, other non-regular or hard-linked files)` : ''}`);
    return { path: relOf(best.name), mtime: new Date(best.mtimeMs), problem: null };
  } finally {
    pinned.close();
  }
}

export interface HostFreshnessResult {
  observed: number;
  flipped: number;
  /** Checks whose artifact had no mtime (missing or refused), and the first few reasons. */
  problemCount: number;
  problems: { checkId: string; problem: string }[];
}

const BATCH = 200;
/** The pass's result is stored in job_runs every minute: keep it small. */
const MAX_PROBLEMS_KEPT = 20;

/**
 * One pass of the cron-freshness job: every non-paused freshness check with an artifact root is
 * observed and its observation stored (recordObservation: row lock, verdict, state, flip and
 * notification in one transaction, so two passes at once flip a check once). Bounded batches in
 * id order; stops between checks when `signal` aborts. Idempotent: a second pass at the same
 * `now` on unchanged files stores the same facts and flips nothing.
 */
export async function observeHostFreshness(db: Db, now: Date, opts: { signal?: AbortSignal; ops?: PinnedOps } = {}): Promise<HostFreshnessResult> {
  const out: HostFreshnessResult = { observed: 0, flipped: 0, problemCount: 0, problems: [] };
  let cursor: string | null = null;
  for (;;) {
    const checks: { id: string; artifactRootId: string | null; artifactPath: string | null }[] = await db.cronCheck.findMany({
      where: { type: 'freshness', paused: false, artifactRootId: { not: null }, artifactPath: { not: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, artifactRootId: true, artifactPath: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (!checks.length) break;
    cursor = checks[checks.length - 1]!.id;
    const rootIds = [...new Set(checks.map((c) => c.artifactRootId!))];
    const roots = new Map((await db.artifactRoot.findMany({ where: { id: { in: rootIds } }, select: { id: true, path: true, dev: true, ino: true } })).map((r) => [r.id, r]));
    for (const c of checks) {
      if (opts.signal?.aborted) return out;
      const root = roots.get(c.artifactRootId!);
      // Removed meanwhile: the foreign key sets artifactRootId null; the next pass skips it.
      if (!root) continue;
      const obs = await observeArtifact(root, c.artifactPath!, now, { ops: opts.ops });
      // Not logged: a missing artifact would log every minute; the check's state says it.
      if (obs.problem && out.problemCount++ < MAX_PROBLEMS_KEPT) out.problems.push({ checkId: c.id, problem: obs.problem });
      const r = await recordObservation(db, c.id, { artifactMtime: obs.mtime, source: 'host', problem: obs.problem }, now);
      if (!r) continue; // paused, deleted or retyped since the query
      out.observed++;
      if (r.flipped) out.flipped++;
    }
    if (checks.length < BATCH) break;
  }
  return out;
}
