/**
 * The .tar.gz pieces of compression, on open descriptors only (never a path):
 * - writeTarGz: one member, read from the source descriptor that was identity-checked, hashed
 *   (SHA-256) while it is read, framed with node-tar's Header/Pax encoders and gzipped into the
 *   temp descriptor;
 * - readArchive: gunzip + strict tar parse of a whole archive from a descriptor, hashing every
 *   member's content.
 * An archive counts as "the archive of this file" only when it holds exactly one regular-file
 * member with the file's name, size, whole-second mtime and the SHA-256 of the bytes read from the
 * file. A header's claims are never enough: an older archive of an earlier version of the same
 * file can carry the same name, size and mtime, and must never justify deleting the current one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import * as tar from 'tar';

export interface ArchiveMember {
  path: string;
  type: string;
  size: number;
  /** Whole seconds, as tar stores them (ms since epoch). */
  mtimeMs: number | undefined;
  sha256: string;
}

export interface ExpectedMember {
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * A reader that never closes the descriptor it reads (the caller owns it), from byte 0.
 * `autoClose: false` is not enough: a stream destroyed before its end (a pipeline that fails, a
 * `for await` left by a throw) still closes its fd, asynchronously, after the caller has closed it
 * and the number may belong to another file (issue #12: act-mutants.test.ts). Hence the no-op close.
 */
const keepOpen = { read: fs.read, close: (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => cb(null) };
// Stryker disable next-line StringLiteral,BooleanLiteral: the path is ignored when an fd is given; with the no-op close, autoClose and emitClose change nothing observable (nobody listens for 'close')
const readFd = (fd: number) => fs.createReadStream('', { fd, start: 0, autoClose: false, emitClose: false, highWaterMark: 256 * 1024, fs: keepOpen });

/** A writer onto an open descriptor that leaves it open (fsync and close are the caller's). */
function writeFd(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      fs.write(fd, chunk, 0, chunk.length, null, function loop(err, n): void {
        // Mutation note: `if (err)` → `if (true)` survives, explained: cb(null) is cb(), and it only skips the short-write
        // branch below, which a regular file never takes (`false` is killed: archive-mutants.test.ts, a write that fails).
        if (err) return cb(err);
        // Stryker disable next-line ConditionalExpression,BlockStatement: a short write does not happen on a regular file short of a full disk, which no test can arrange; the loop is for pipes
        if (n < chunk.length) {
          chunk = chunk.subarray(n);
          fs.write(fd, chunk, 0, chunk.length, null, loop);
          return;
        }
        cb();
      });
    },
  });
}

/** Thrown when the source's size differs from what was checked while it was read: it changed. */
export class SourceChangedError extends Error {
  constructor(read: number, expected: number) {
    super(`the file changed while it was read (${read} bytes read, ${expected} expected)`);
    this.name = 'SourceChangedError';
  }
}

/** The tar stream of one member: [pax header] header, content (hashed), padding, two zero blocks. */
async function* tarOf(name: string, mode: number, size: number, mtimeMs: number, src: AsyncIterable<Buffer>, hash: crypto.Hash): AsyncGenerator<Buffer> {
  const mtime = new Date(Math.floor(mtimeMs / 1000) * 1000);
  const data = { path: name, mode: mode & 0o777, size, mtime, type: 'File' as const, uid: 0, gid: 0 };
  const header = new tar.Header(data);
  const block = Buffer.alloc(512);
  // encode() returns true when a field (a long name, a huge size) needs a pax extended header.
  if (header.encode(block, 0)) yield new tar.Pax(data).encode();
  yield block;
  let read = 0;
  for await (const chunk of src) {
    read += chunk.length;
    if (read > size) throw new SourceChangedError(read, size);
    hash.update(chunk);
    yield chunk;
  }
  if (read !== size) throw new SourceChangedError(read, size);
  const pad = (512 - (size % 512)) % 512;
  yield Buffer.alloc(pad + 1024);
}

/**
 * Writes a gzip tar holding `name` (content read from `srcFd` from byte 0) into `outFd`.
 * Returns the SHA-256 of the bytes read. Throws SourceChangedError when the source did not hold
 * exactly `size` bytes (it is being written), or any I/O error.
 */
export async function writeTarGz(srcFd: number, outFd: number, name: string, mode: number, size: number, mtimeMs: number): Promise<string> {
  const hash = crypto.createHash('sha256');
  // Stryker disable next-line ObjectLiteral: zlib's default level is 6 as well
  await pipeline(Readable.from(tarOf(name, mode, size, mtimeMs, readFd(srcFd), hash)), zlib.createGzip({ level: 6 }), writeFd(outFd));
  return hash.digest('hex');
}

/** SHA-256 of a descriptor's whole content, read from byte 0. */
export async function hashFd(fd: number): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of readFd(fd) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Lists an archive read from `fd` (gunzip and a strict tar parse of the whole file), hashing each member. */
export async function readArchive(fd: number): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  // Stryker disable next-line ArrayDeclaration: Promise.all passes a non-promise element through, so a stray string changes nothing
  const pending: Promise<void>[] = [];
  const parser = new tar.Parser({ strict: true });
  parser.on('entry', (e: tar.ReadEntry) => {
    const hash = crypto.createHash('sha256');
    // Stryker disable next-line OptionalChaining,StringLiteral: sha256 is overwritten when the entry ends (before readArchive returns); a header without mtime needs a tar that neither Steward nor tar(1) writes
    const m: ArchiveMember = { path: e.path, type: e.type, size: e.size, mtimeMs: e.mtime?.getTime(), sha256: '' };
    members.push(m);
    pending.push(
      new Promise<void>((resolve) => {
        e.on('data', (c: Buffer) => hash.update(c));
        e.on('end', () => {
          m.sha256 = hash.digest('hex');
          resolve();
        });
      }),
    );
  });
  const done = new Promise<void>((resolve, reject) => {
    // Stryker disable next-line StringLiteral: the pipeline below rejects on the parser's error as well
    parser.on('error', reject);
    parser.on('end', () => resolve());
  });
  // node-tar detects gzip itself; its strict mode fails a truncated file, a bad CRC or bad headers.
  // Promise.all attaches to both at once: whichever fails first, the other is never left unhandled.
  await Promise.all([pipeline(readFd(fd), parser as unknown as Writable), done]);
  await Promise.all(pending);
  return members;
}

/** Whether `members` are exactly one regular file matching `want` (name, size, mtime to the second, content hash). */
export function matchArchive(members: ArchiveMember[], want: ExpectedMember): VerifyResult {
  if (members.length !== 1) return { ok: false, reason: `holds ${members.length} entries, expected 1` };
  const m = members[0] as ArchiveMember;
  if (m.path !== want.name) return { ok: false, reason: `holds ${JSON.stringify(m.path)}, expected ${JSON.stringify(want.name)}` };
  if (m.type !== 'File') return { ok: false, reason: `its member is a ${m.type}, expected a regular file` };
  if (m.size !== want.size) return { ok: false, reason: `its member is ${m.size} bytes, expected ${want.size}` };
  if (m.mtimeMs === undefined || Math.abs(m.mtimeMs - Math.floor(want.mtimeMs / 1000) * 1000) >= 1000) return { ok: false, reason: 'its member has another modification time' };
  if (m.sha256 !== want.sha256) return { ok: false, reason: 'its content differs from the file' };
  return { ok: true };
}

/** readArchive + matchArchive; an unreadable or corrupt archive is a mismatch with the reason. */
export async function verifyArchiveFd(fd: number, want: ExpectedMember): Promise<VerifyResult> {
  let members: ArchiveMember[];
  try {
    members = await readArchive(fd);
  } catch (err) {
    return { ok: false, reason: `cannot be read back (${(err as Error).message})` };
  }
  return matchArchive(members, want);
}

/**
 * fsync of a directory descriptor, so that a link or unlink in it survives a crash. Ordering is
 * the point: the archive's name must be durable before the original is removed. Filesystems that
 * cannot fsync a directory (EINVAL, EISDIR, ENOTSUP) are tolerated.
 */
export function fsyncDirFd(fd: number): void {
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'ENOTSUP') throw err;
  }
}
