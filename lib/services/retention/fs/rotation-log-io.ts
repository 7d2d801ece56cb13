/**
 * Reading and appending `<root>/rotation/ROTATION_LOG.jsonl` through descriptors pinned from the
 * root. The log lives inside a root that hostile CI jobs write to, so:
 * - `rotation` is opened beneath the root through no symlink; the log is never followed, and must
 *   be a regular file with exactly one link (a hard link to an outside file would make every
 *   append write outside the root), checked on the descriptor that is then used;
 * - it is opened O_NONBLOCK: a FIFO planted there can never block the process (it is refused by
 *   its type on the open descriptor);
 * - only the tail is read (a 620 MB log must not take 1.2 GB of memory), and no error ever echoes
 *   the file's content;
 * - a torn final line (a crash mid-append) is repaired on the next append by truncating it away,
 *   so readers are not broken forever, and the log is bounded: past ROTATION_LOG_MAX_BYTES it is
 *   renamed to ROTATION_LOG.1.jsonl (replacing the previous one) and a new one is started.
 * Callers hold the root's lock (PinnedRoot.lock) when appending.
 */
import fs from 'node:fs';
import { ROTATION_LOG_PATH } from '@/lib/engine/retention/presets';
import { ERRNO, errnoName, fileType, newStatBuf, S_IFDIR, S_IFLNK, S_IFREG, ST } from './pinned';
import type { PinnedRoot } from './pinned-root';
import { CorruptLogError, parseRotationLine, type RotationRecord } from './rotation-log';
import { fsErrorMessage } from './safety';

export const ROTATION_LOG_MAX_BYTES = 16 * 1024 * 1024;
const DIR = 'rotation';
const NAME = 'ROTATION_LOG.jsonl';
const PREVIOUS = 'ROTATION_LOG.1.jsonl';
/** How much of the end of the log is read to validate it. */
const TAIL_BYTES = 256 * 1024;
const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_NONBLOCK, O_NOCTTY } = fs.constants;

/** The log cannot be used safely (a symlink, FIFO, hard link, unreadable). Names the file, never its content. */
export class RotationLogError extends Error {
  constructor(root: PinnedRoot, message: string) {
    super(`${logPath(root)}: ${message}`);
    this.name = 'RotationLogError';
  }
}

/** The log's path as shown in messages (the root's path + rotation/ROTATION_LOG.jsonl). */
const logPath = (root: PinnedRoot): string => `${root.path.replace(/\/$/, '')}/${ROTATION_LOG_PATH}`;

const msg = (e: number): string => fsErrorMessage({ code: errnoName(e), message: errnoName(e) });

function refusal(st: Float64Array): string | null {
  const t = fileType(st);
  if (t === S_IFLNK) return 'is a symlink; Steward never follows it (remove it, and the next run starts a new log)';
  if (t !== S_IFREG) return 'is not a regular file (a FIFO, device, socket or directory); remove it';
  if ((st[ST.NLINK] as number) > 1) return `has ${st[ST.NLINK]} hard links; a log shared with another path is refused (remove it)`;
  return null;
}

/** Descriptor of `rotation/` (created when `create`), or null when it does not exist. */
function rotationDir(root: PinnedRoot, create: boolean): number | null {
  let fd = root.dir(DIR);
  // Stryker disable next-line ConditionalExpression: `fd === -ERRNO.ENOENT` → true only adds a mkdir of an existing name, which fails EEXIST (tolerated) and changes nothing
  if (fd === -ERRNO.ENOENT && create) {
    const e = root.ops.mkdirAt(root.fd, DIR, 0o755);
    if (e !== 0 && e !== ERRNO.EEXIST) throw new RotationLogError(root, `cannot create ${DIR}/: ${msg(e)}`);
    fd = root.dir(DIR);
  }
  if (fd === -ERRNO.ENOENT) return null;
  if (fd === -ERRNO.ELOOP || fd === -ERRNO.ENOTDIR) throw new RotationLogError(root, `"${DIR}" is a symlink or not a directory; refusing to read or write the log`);
  // Stryker disable next-line EqualityOperator,UnaryOperator: fd 0 is stdin, open for the life of the process, so no open returns 0; msg(+fd) names the same errno as msg(-fd) (errnoName takes the absolute value)
  if (fd < 0) throw new RotationLogError(root, `${DIR}/: ${msg(-fd)}`);
  const st = newStatBuf();
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a failed fstat leaves the fresh buffer zeroed (type 0), which the type check refuses with the same message
  if (root.ops.fstat(fd, st) !== 0 || fileType(st) !== S_IFDIR) throw new RotationLogError(root, `"${DIR}" is not a directory`);
  return fd;
}

/** Opens the log in `dirFd` with `flags`; checks the open descriptor. Returns fd and stat, or null if missing (and not created). */
function openLog(root: PinnedRoot, dirFd: number, flags: number): { fd: number; st: Float64Array } | null {
  const pre = newStatBuf();
  const se = root.ops.statAt(dirFd, NAME, pre);
  if (se === 0) {
    const why = refusal(pre);
    if (why) throw new RotationLogError(root, why);
  } else if (se !== ERRNO.ENOENT) throw new RotationLogError(root, msg(se));
  // Mutation note: `(flags & O_CREAT) === 0` → false survives, explained (a disable comment cannot attach inside this
  // if/else chain): without the early return the open below fails ENOENT and returns null the same way.
  else if ((flags & O_CREAT) === 0) return null;
  const fd = root.ops.openBeneath(dirFd, NAME, flags | O_NONBLOCK | O_NOCTTY, 0o644);
  // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0
  if (fd < 0) {
    if (-fd === ERRNO.ENOENT && (flags & O_CREAT) === 0) return null;
    // Stryker disable next-line UnaryOperator: msg(+fd) names the same errno as msg(-fd) (the ELOOP comparison's mutant is killed by the ELOOP test)
    throw new RotationLogError(root, -fd === ERRNO.ELOOP ? 'is a symlink; Steward never follows it' : msg(-fd));
  }
  const st = newStatBuf();
  const why = root.ops.fstat(fd, st) !== 0 ? 'cannot be inspected' : refusal(st);
  if (why || (se === 0 && st[ST.INO] !== pre[ST.INO])) {
    fs.closeSync(fd);
    throw new RotationLogError(root, why ?? 'was replaced while it was opened');
  }
  return { fd, st };
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let off = 0;
  // Stryker disable next-line EqualityOperator: at off === len a read of 0 bytes returns 0 and breaks
  while (off < len) {
    // Stryker disable next-line ArithmeticOperator: callers read within the file's size, where a regular file's read returns every byte asked for, so the loop runs once with off = 0
    const n = fs.readSync(fd, buf, off, len - off, pos + off);
    // Stryker disable next-line ConditionalExpression: as above (reached only if the file shrank while it was read)
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

export interface LogTail {
  /** Bytes in the log (0 when missing). */
  size: number;
  /** Whole records in the tail that was read (the last one is the latest run). */
  records: RotationRecord[];
  /** The last line has no newline: a torn write; it is ignored, and repaired by the next append. */
  torn: boolean;
  exists: boolean;
}

/**
 * Validates the end of the log: every complete line in its last 256 KiB must be a rotation record
 * (CorruptLogError naming the line, counted from the end when the file is larger). A missing log
 * or a missing `rotation/` is an empty tail. Throws RotationLogError for a log that is not a
 * single-link regular file.
 */
export function checkRotationLog(root: PinnedRoot): LogTail {
  const dirFd = rotationDir(root, false);
  if (dirFd === null) return { size: 0, records: [], torn: false, exists: false };
  const log = openLog(root, dirFd, O_RDONLY);
  if (!log) return { size: 0, records: [], torn: false, exists: false };
  try {
    const size = log.st[ST.SIZE] as number;
    const start = Math.max(0, size - TAIL_BYTES);
    // Stryker disable next-line ArithmeticOperator: asking for more than the file holds reads up to its end: the same bytes
    const text = readAt(log.fd, start, size - start).toString('utf8');
    const lines = text.split('\n');
    const torn = lines[lines.length - 1] !== '';
    lines.pop(); // the part after the last newline: empty, or the torn line
    if (start > 0) lines.shift(); // starts mid-line
    const records: RotationRecord[] = [];
    const whole = start === 0;
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const lineNo = whole ? i + 1 : -(lines.length - i); // negative: counted from the end
      try {
        records.push(parseRotationLine(logPath(root), lineNo, raw));
      } catch (err) {
        // Stryker disable next-line EqualityOperator: line numbers are never 0 (1-based, or negative from the end)
        if (err instanceof CorruptLogError && lineNo < 0) throw new CorruptLogError(logPath(root), lineNo, `${err.detail} (line ${-lineNo} from the end)`);
        throw err;
      }
    });
    return { size, records, torn, exists: true };
  } finally {
    fs.closeSync(log.fd);
  }
}

/** Offset just after the last newline before `size` (0 when there is none), reading backwards in chunks. */
function lastNewlineEnd(fd: number, size: number): number {
  let end = size;
  const CHUNK = 64 * 1024;
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    // Stryker disable next-line ArithmeticOperator: reading past `end` covers only bytes already scanned (no newline there) or past the end of the file
    const buf = readAt(fd, start, end - start);
    const i = buf.lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

export interface AppendResult {
  /** Bytes of a torn final line that were dropped before appending. */
  repairedBytes: number;
  /** The log had reached the limit and was renamed to ROTATION_LOG.1.jsonl first. */
  rotated: boolean;
}

/**
 * Appends `record` as one line (one write, fsynced). Creates `rotation/` and the log as needed.
 * Repairs a torn final line, rotates the log past `maxBytes`. Throws RotationLogError when the
 * log or its directory cannot be used safely; nothing is written then.
 */
export function appendRotationLog(root: PinnedRoot, record: RotationRecord, opts: { maxBytes?: number } = {}): AppendResult {
  const maxBytes = opts.maxBytes ?? ROTATION_LOG_MAX_BYTES;
  const dirFd = rotationDir(root, true) as number;
  let log = openLog(root, dirFd, O_RDWR | O_APPEND | O_CREAT) as { fd: number; st: Float64Array };
  const result: AppendResult = { repairedBytes: 0, rotated: false };
  try {
    let size = log.st[ST.SIZE] as number;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: equivalent: the repair truncates after the last newline, a no-op (0 bytes repaired) on an empty log or one that ends with a newline
    if (size > 0 && readAt(log.fd, size - 1, 1)[0] !== 0x0a) {
      const keep = lastNewlineEnd(log.fd, size);
      fs.ftruncateSync(log.fd, keep);
      result.repairedBytes = size - keep;
      size = keep;
    }
    if (size >= maxBytes) {
      const e = root.ops.renameAt(dirFd, NAME, PREVIOUS);
      if (e !== 0) throw new RotationLogError(root, `cannot rotate to ${PREVIOUS}: ${msg(e)}`);
      // Marked closed first, so that a failure below is reported as itself, not as the EBADF of a second close in finally.
      const old = log.fd;
      // Stryker disable next-line ObjectLiteral: an fd of undefined is not closed by the finally either
      log = { fd: -1, st: log.st };
      fs.closeSync(old);
      const fd = root.ops.openBeneath(dirFd, NAME, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NONBLOCK, 0o644);
      // Stryker disable next-line EqualityOperator,UnaryOperator: fd 0 is stdin, open for the life of the process, so no open returns 0; msg(+fd) names the same errno as msg(-fd) (errnoName takes the absolute value)
      if (fd < 0) throw new RotationLogError(root, `cannot start a new log: ${msg(-fd)}`);
      log = { fd, st: newStatBuf() };
      result.rotated = true;
    }
    fs.writeSync(log.fd, `${JSON.stringify(record)}\n`);
    fs.fsyncSync(log.fd);
    return result;
  } finally {
    // Stryker disable next-line EqualityOperator: fd 0 is stdin, open for the life of the process, so no open returns 0
    if (log.fd >= 0) fs.closeSync(log.fd);
  }
}
