/**
 * Per-entry executor of an approved retention plan: recheck, delete, compress (two journaled steps).
 * The execution service owns the journal and calls these one entry at a time; each function is
 * idempotent so that a crash between a step and its journal write resumes instead of repeating.
 * Nothing here ever acts outside `root`: every path goes through safety.ts first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, publishNoClobber, verifyArchive, writeTarGz } from './archive';
import { assertNoSymlinkInPath, fsErrorMessage, PathSafetyError, resolveInside } from './safety';

/** The planned facts about one file (a PlannedAction has them all). */
export interface ActEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Machine-readable cause of a refused recheck; `reason` is the human text. */
export type RecheckCode = 'vanished' | 'unsafe' | 'not-a-file' | 'changed' | 'busy' | 'error';
export type RecheckResult = { ok: true } | { ok: false; code: RecheckCode; reason: string };

export type EntryStatus = 'done' | 'skipped' | 'failed';
export interface ActResult {
  status: EntryStatus;
  outcome?: string;
}

export interface CompressResult {
  status: 'archived' | 'skipped' | 'failed';
  outcome?: string;
  /** Root-relative path of the archive (`<file>.tar.gz`), set when archived. */
  archivePath?: string;
  archiveBytes?: number;
}

/** Suffix of the temp name of an archive in progress: `.<basename>.tar.gz.tmp-<tag>`. */
export const ARCHIVE_TEMP_INFIX = '.tar.gz.tmp-';
const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const refuse = (code: RecheckCode, reason: string): RecheckResult => ({ ok: false, code, reason });

/** Planned size/mtime still hold for `st` (mtime within 1 ms: stores may round sub-ms precision). */
function unchanged(st: fs.Stats, entry: ActEntry): boolean {
  return st.size === entry.size && Math.abs(st.mtimeMs - entry.mtimeMs) < 1;
}

/**
 * Decides whether a planned file may still be acted on, at `nowMs`. ok only when: the path is
 * inside the root with no symlink in any parent component (checked now, not at plan time); lstat
 * says a regular file (a symlink is never acted on); size and mtime equal the plan's (mtime within
 * 1 ms); and it has been quiet for `minQuietMs` (default 60 s): nowMs - mtime >= minQuietMs, so a
 * file still being written (or dated in the future) is left alone. A file changed since the plan
 * is skipped, never deleted: the operator approved the plan's facts, not whatever is there now.
 * Vanished (file or a parent) → code 'vanished', reason "vanished".
 */
export function recheck(root: string, entry: ActEntry, nowMs: number, opts: { minQuietMs?: number } = {}): RecheckResult {
  const minQuietMs = opts.minQuietMs ?? 60_000;
  let abs: string;
  try {
    abs = assertNoSymlinkInPath(root, entry.path);
  } catch (err) {
    if (err instanceof PathSafetyError) return err.code === 'vanished' ? refuse('vanished', 'vanished') : refuse(err.code === 'io' ? 'error' : 'unsafe', err.message);
    return refuse('error', fsErrorMessage(err));
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs, { throwIfNoEntry: false });
  } catch (err) {
    return refuse('error', fsErrorMessage(err));
  }
  if (st === undefined) return refuse('vanished', 'vanished');
  if (st.isSymbolicLink()) return refuse('not-a-file', 'is now a symlink');
  if (!st.isFile()) return refuse('not-a-file', 'is no longer a regular file');
  if (st.size !== entry.size) return refuse('changed', `changed since the plan (size ${entry.size} → ${st.size} bytes)`);
  if (!unchanged(st, entry)) return refuse('changed', `changed since the plan (modified ${new Date(st.mtimeMs).toISOString()})`);
  const quietMs = nowMs - st.mtimeMs;
  if (quietMs < minQuietMs) return refuse('busy', `modified ${Math.max(0, Math.floor(quietMs / 1000))} s ago (less than ${Math.ceil(minQuietMs / 1000)} s): may still be written`);
  return { ok: true };
}

/**
 * Unlinks one planned file. The caller has just run recheck; this only re-validates the path
 * lexically (resolveInside) and unlinks, which never follows a final symlink. ENOENT → skipped
 * "vanished"; EACCES/EPERM → failed "permission denied"; others → failed with the error text.
 */
export function deleteEntry(root: string, entry: Pick<ActEntry, 'path'>): ActResult {
  try {
    fs.unlinkSync(resolveInside(root, entry.path));
    return { status: 'done' };
  } catch (err) {
    if (err instanceof PathSafetyError) return { status: 'failed', outcome: err.message };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'skipped', outcome: 'vanished' };
    if (code === 'EACCES' || code === 'EPERM') return { status: 'failed', outcome: 'permission denied' };
    return { status: 'failed', outcome: fsErrorMessage(err) };
  }
}

/**
 * Step 1 of compression: writes `<file>.tar.gz` next to the file, the original untouched.
 * Sequence: temp `.<base>.tar.gz.tmp-<tag>` created exclusively → tar+gzip → fsync file and
 * directory → list back (verifyArchive: one member, same name, size, mtime) → original unchanged
 * meanwhile → link into place without clobbering → fsync directory. On any failure the temp file
 * is removed (only if this call created it) and the original is untouched. `tag` ([A-Za-z0-9_-],
 * e.g. the action id) keeps concurrent or retried attempts apart; a stale temp of the same tag
 * (crash before publish) is removed first. Resume: if `<file>.tar.gz` exists and verifies as the
 * archive of exactly this file version, it is reported 'archived' again; otherwise 'skipped'
 * "archive already exists" (somebody else's archive is never overwritten). Call recheck first.
 */
export async function compressToArchive(root: string, entry: ActEntry, tag: string): Promise<CompressResult> {
  if (!TAG_RE.test(tag)) return { status: 'failed', outcome: `invalid temp tag "${tag}"` };
  let abs: string;
  try {
    abs = assertNoSymlinkInPath(root, entry.path);
  } catch (err) {
    if (err instanceof PathSafetyError && err.code === 'vanished') return { status: 'skipped', outcome: 'vanished' };
    return { status: 'failed', outcome: err instanceof PathSafetyError ? err.message : fsErrorMessage(err) };
  }
  const dir = path.dirname(abs);
  const name = path.basename(abs);
  const archiveAbs = `${abs}.tar.gz`;
  const archivePath = `${entry.path}.tar.gz`;
  const want = { name, size: entry.size, mtimeMs: entry.mtimeMs };
  const created = { value: false };
  const tmp = path.join(dir, `.${name}${ARCHIVE_TEMP_INFIX}${tag}`);
  try {
    const existing = fs.lstatSync(archiveAbs, { throwIfNoEntry: false });
    if (existing) {
      if (existing.isFile() && (await verifyArchive(archiveAbs, want)).ok) return { status: 'archived', outcome: 'archive already in place', archivePath, archiveBytes: existing.size };
      return { status: 'skipped', outcome: 'archive already exists' };
    }
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (st === undefined) return { status: 'skipped', outcome: 'vanished' };
    if (!st.isFile() || !unchanged(st, entry)) return { status: 'skipped', outcome: 'changed since the plan' };
    const stale = fs.lstatSync(tmp, { throwIfNoEntry: false });
    if (stale && !stale.isDirectory()) fs.unlinkSync(tmp); // our own leftover (or a planted link: unlink never follows it)
    await writeTarGz(dir, name, tmp, st.mode, created);
    fsyncDir(dir);
    const verdict = await verifyArchive(tmp, want);
    if (!verdict.ok) throw new Error(`archive does not verify: ${verdict.reason}`);
    const after = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!after || !after.isFile() || !unchanged(after, entry)) throw new Error('file changed while it was being compressed');
    const archiveBytes = fs.lstatSync(tmp).size;
    if (!publishNoClobber(tmp, archiveAbs)) {
      fs.unlinkSync(tmp);
      return { status: 'skipped', outcome: 'archive already exists' };
    }
    created.value = false;
    fsyncDir(dir);
    return { status: 'archived', archivePath, archiveBytes };
  } catch (err) {
    if (created.value) fs.rmSync(tmp, { force: true });
    return { status: 'failed', outcome: `compression failed: ${fsErrorMessage(err)}` };
  }
}

/**
 * Step 2 of compression: removes the original only once its archive verifies again (exists as a
 * regular file, lists back one member with the original's name, size and mtime). Idempotent: an
 * original already gone with a verifying archive → done (a crash after the unlink). An archive that
 * does not verify → failed, original kept. An original that changed since it was archived → failed,
 * kept (deleting it would lose the change). `archiveRel` must be in the original's directory.
 */
export async function finishCompression(root: string, entry: ActEntry, archiveRel: string): Promise<ActResult & { archiveBytes?: number }> {
  let abs: string;
  let archiveAbs: string;
  try {
    abs = assertNoSymlinkInPath(root, entry.path);
    archiveAbs = assertNoSymlinkInPath(root, archiveRel);
  } catch (err) {
    return { status: 'failed', outcome: `original kept: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (path.dirname(archiveAbs) !== path.dirname(abs)) return { status: 'failed', outcome: 'original kept: archive is not next to the original' };
  try {
    const ast = fs.lstatSync(archiveAbs, { throwIfNoEntry: false });
    if (!ast) return { status: 'failed', outcome: 'original kept: archive is missing' };
    if (!ast.isFile()) return { status: 'failed', outcome: 'original kept: archive is not a regular file' };
    const verdict = await verifyArchive(archiveAbs, { name: path.basename(abs), size: entry.size, mtimeMs: entry.mtimeMs });
    if (!verdict.ok) return { status: 'failed', outcome: `original kept: archive does not verify (${verdict.reason})` };
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!st) return { status: 'done', outcome: 'original already removed', archiveBytes: ast.size };
    if (!st.isFile() || !unchanged(st, entry)) return { status: 'failed', outcome: 'original kept: it changed since it was archived' };
    fs.unlinkSync(abs);
    fsyncDir(path.dirname(abs));
    return { status: 'done', archiveBytes: ast.size };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'done', outcome: 'original already removed' };
    return { status: 'failed', outcome: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : fsErrorMessage(err) };
  }
}
