/**
 * Low-level pieces of compression: writing a one-file .tar.gz to a fresh temp file, verifying an
 * archive by listing it back, and making directory changes durable. Used by act.ts.
 */
import fs from 'node:fs';
import * as tar from 'tar';
import { fsErrorMessage } from './safety';

/** What an archive must hold to count as "the archive of this file". */
export interface ExpectedMember {
  /** Base name of the original file (the only member of the archive). */
  name: string;
  size: number;
  mtimeMs: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Lists `file` back (gunzip + tar parse of the whole file, strict: a truncated or corrupt archive
 * fails the gzip CRC or the parser) and checks it holds exactly one regular-file member named
 * `name` with the expected size and an mtime within 1 s (tar stores whole seconds). The mtime check
 * is what makes an existing archive recognisable as ours: an older archive of an earlier version of
 * the same file has another mtime, and must never justify deleting the current file.
 */
export async function verifyArchive(file: string, want: ExpectedMember): Promise<VerifyResult> {
  const members: { path: string; type: string; size: number; mtime: number | undefined }[] = [];
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (e) => {
        members.push({ path: e.path, type: e.type, size: e.size, mtime: e.mtime?.getTime() });
        e.resume();
      },
    });
  } catch (err) {
    return { ok: false, reason: `cannot be read back: ${fsErrorMessage(err)}` };
  }
  if (members.length !== 1) return { ok: false, reason: `holds ${members.length} entries, expected 1` };
  const m = members[0] as (typeof members)[number];
  if (m.path !== want.name) return { ok: false, reason: `holds "${m.path}", expected "${want.name}"` };
  if (m.type !== 'File') return { ok: false, reason: `"${m.path}" is a ${m.type}, expected a regular file` };
  if (m.size !== want.size) return { ok: false, reason: `"${m.path}" is ${m.size} bytes, expected ${want.size}` };
  if (m.mtime === undefined || Math.abs(m.mtime - want.mtimeMs) >= 1000) return { ok: false, reason: `"${m.path}" has another modification time` };
  return { ok: true };
}

/**
 * Writes a gzip tar of `dir/name` into `tmp`, which must not exist: it is created with
 * O_EXCL|O_NOFOLLOW (so a planted file or symlink at that name is never written through), mode
 * 0600 until complete, then given `mode` (the original's permission bits) and fsynced before close. node-tar lstats its input and never follows a symlink; a member
 * that is not the expected file is caught by verifyArchive. The Pack class is used directly, not
 * tar.c(): tar.c reads a file argument starting with "@" as an archive to splice in. Throws on any
 * tar warning or I/O error; `created` tells the caller whether `tmp` exists and must be removed.
 */
export async function writeTarGz(dir: string, name: string, tmp: string, mode: number, created: { value: boolean }): Promise<void> {
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  created.value = true;
  try {
    const warnings: string[] = [];
    const pack = new tar.Pack({ gzip: true, cwd: dir, portable: true, onwarn: (_code: string, message: string) => warnings.push(message) });
    pack.add(name);
    pack.end();
    for await (const chunk of pack) {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
    }
    if (warnings.length > 0) throw new Error(`tar: ${warnings.join('; ')}`);
    // Same permission bits as the original: whoever could read the file can read its archive.
    fs.fchmodSync(fd, mode & 0o777);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * fsync of a directory, so that a create, rename or unlink in it survives a crash. Ordering is the
 * point: the archive's name must be durable before the original is removed. Filesystems that
 * cannot fsync a directory (EINVAL, EISDIR, ENOTSUP) are tolerated: nothing more can be done there.
 */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'ENOTSUP') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Moves `tmp` to `target` without ever replacing an existing `target`: hard link (fails with
 * EEXIST atomically) then unlink of the temp name. Falls back to rename after an existence check
 * on filesystems without hard links. Returns false when `target` already exists.
 */
export function publishNoClobber(tmp: string, target: string): boolean {
  try {
    fs.linkSync(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK' && code !== 'ENOSYS') throw err;
    if (fs.lstatSync(target, { throwIfNoEntry: false })) return false;
    fs.renameSync(tmp, target);
    return true;
  }
  try {
    fs.unlinkSync(tmp);
  } catch {
    // The archive is in place; a leftover hard link under the temp name is harmless (same inode).
  }
  return true;
}
