/**
 * fs/rotation-log.ts and fs/rotation-log-io.ts where StrykerJS found rotation-log.test.ts blind
 * (issue #12): each extra of a record on its own (0 and false are written, null is not), the exact
 * errors of every refusal (a directory or log that cannot be created, opened, inspected, renamed),
 * a torn line longer than one read chunk, the size limit's edge, line numbers of a small log, and
 * no descriptor left open. Failures that cannot be provoked on a real tree (EACCES as root, a log
 * replaced between its lstat and its open) come from a PinnedOps wrapper that changes one call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availablePinnedOps, ERRNO, type PinnedOps, ST } from './pinned';
import { PinnedRoot } from './pinned-root';
import { buildRotationRecord, CorruptLogError, parseRotationLine, readRotationLog, type RotationRun } from './rotation-log';
import { appendRotationLog, checkRotationLog, ROTATION_LOG_MAX_BYTES, RotationLogError } from './rotation-log-io';

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rotlogm-')));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const run: RotationRun = { timestamp: new Date('2025-10-15T12:34:56.789Z'), deleted: 1, kept: 2, compressed: 3, totalReductionKb: 4, sizeMb: 5, withinLimit: false };
const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('buildRotationRecord: each extra on its own', () => {
  it.each([
    [{ approvedBy: 'bob' }, { approved_by: 'bob' }],
    [{ approvedBy: '' }, { approved_by: '' }],
    [{ bytesFreed: 0 }, { bytes_freed: 0 }],
    [{ failures: 0 }, { failures: 0 }],
    [{ skipped: 0 }, { skipped: 0 }],
    [{ durationMs: 0 }, { duration_ms: 0 }],
    [{ planId: 'p' }, { plan_id: 'p' }],
    [{ planId: null }, {}],
    [{ approvedBy: null }, {}],
    [{ dryRun: false }, { dry_run: false }],
    [{ dryRun: true }, { dry_run: true }],
  ])('%j → steward %j', (extra, steward) => {
    const r = buildRotationRecord({ ...run, ...extra });
    expect(r.steward).toEqual(steward);
    expect('summary' in r).toBe('bytesFreed' in extra);
  });

  it('rounds KB and MB to 2 decimals (half up), the summary from bytes; keeps the counts', () => {
    const r = buildRotationRecord({ ...run, totalReductionKb: 1.005 * 1000, sizeMb: 2.3456, bytesFreed: 1536 });
    expect(r).toEqual({
      timestamp: '2025-10-15T12:34:56Z',
      rotation: { deleted: 1, kept: 2 },
      compression: { compressed: 3, total_reduction_kb: 1005 },
      disk_usage: { size_mb: 2.35, within_limit: false },
      summary: { disk_reduction_kb: 1.5 },
      steward: { bytes_freed: 1536 },
    });
    expect(buildRotationRecord({ ...run, sizeMb: 0.004 }).disk_usage).toEqual({ size_mb: 0, within_limit: false });
    expect(buildRotationRecord({ ...run, timestamp: new Date('2025-01-02T03:04:05.000Z') }).timestamp).toBe('2025-01-02T03:04:05Z');
  });

  it('refuses an invalid date with its message', () => {
    expect(() => buildRotationRecord({ ...run, timestamp: new Date(Number.NaN) })).toThrow(new Error('rotation record: invalid timestamp'));
  });
});

describe('parseRotationLine / readRotationLog', () => {
  it('a CRLF line parses; a corrupt one names file, line and what is wrong', () => {
    expect(parseRotationLine('f', 1, '{"timestamp":"t"}\r')).toEqual({ timestamp: 't' });
    // Only a final CR is dropped: one inside a string is still invalid JSON.
    expect(() => parseRotationLine('f', 1, '{"timestamp":"a\rb"}\r')).toThrow(new CorruptLogError('f', 1, 'invalid JSON (20 characters)'));
    const e = (() => {
      try {
        parseRotationLine('the/log', 7, '{"timestamp":5}');
      } catch (err) {
        return err as CorruptLogError;
      }
      throw new Error('parsed');
    })();
    expect([e.name, e.file, e.line, e.detail, e.message]).toEqual(['CorruptLogError', 'the/log', 7, 'timestamp: expected string', 'the/log:7: corrupt rotation log line: timestamp: expected string']);
    expect(() => parseRotationLine('f', 1, '"text"')).toThrow(new CorruptLogError('f', 1, 'record: expected object'));
    expect(() => parseRotationLine('f', 1, '{"timestamp":"t","steward":{"dry_run":1}}')).toThrow(new CorruptLogError('f', 1, 'steward.dry_run: expected boolean'));
    expect(() => parseRotationLine('f', 2, '{"timest')).toThrow(new CorruptLogError('f', 2, 'invalid JSON (8 characters)'));
  });

  it('skips blank and whitespace-only lines, counting lines from 1', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, '{"timestamp":"a"}\n   \n\n{"timestamp":"b"}\n \t\n{"timestamp":1}\n');
    expect(() => readRotationLog(file)).toThrow(new CorruptLogError(file, 6, 'timestamp: expected string'));
    fs.writeFileSync(file, '{"timestamp":"a"}\n   \n{"timestamp":"b"}');
    expect(readRotationLog(file)).toEqual([{ timestamp: 'a' }, { timestamp: 'b' }]);
  });
});

/** The real ops with some calls changed (return undefined to pass the call on). */
function faked(real: PinnedOps, hooks: { openBeneath?: (rel: string, flags: number) => number | undefined; statAt?: (name: string, out: Float64Array) => number | undefined; fstat?: (fd: number, out: Float64Array, real: () => number) => number | undefined; mkdirAt?: () => number | undefined; renameAt?: () => number | undefined }): PinnedOps {
  return {
    kind: real.kind,
    openBeneath: (d, rel, flags, mode) => hooks.openBeneath?.(rel, flags) ?? real.openBeneath(d, rel, flags, mode),
    statAt: (d, name, out) => hooks.statAt?.(name, out) ?? real.statAt(d, name, out),
    fstat: (fd, out) => hooks.fstat?.(fd, out, () => real.fstat(fd, out)) ?? real.fstat(fd, out),
    unlinkAt: (d, n) => real.unlinkAt(d, n),
    linkAt: (d, a, b) => real.linkAt(d, a, b),
    renameAt: (d, a, b) => hooks.renameAt?.() ?? real.renameAt(d, a, b),
    mkdirAt: (d, n, m) => hooks.mkdirAt?.() ?? real.mkdirAt(d, n, m),
    lockFd: (fd) => real.lockFd(fd),
  };
}

describe.each(availablePinnedOps().map((o) => [o.kind, o] as const))('rotation log refusals through %s descriptors', (_kind, realOps) => {
  const logFile = () => path.join(root, 'rotation/ROTATION_LOG.jsonl');
  const shown = () => `${root}/rotation/ROTATION_LOG.jsonl`;
  let opened: PinnedRoot[] = [];
  const pin = (hooks: Parameters<typeof faked>[1] = {}, at = root) => {
    const p = PinnedRoot.open(at, { ops: faked(realOps, hooks) });
    opened.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of opened) p.close();
    opened = [];
  });
  const record = buildRotationRecord(run);
  const line = `${JSON.stringify(record)}\n`;
  const errorOf = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('no error');
  };

  it('the error names the log (a root given with a trailing slash too) and is a RotationLogError', () => {
    fs.writeFileSync(path.join(root, 'rotation'), 'a file');
    const e = errorOf(() => appendRotationLog(pin({}, `${root}/`), record));
    expect(e).toBeInstanceOf(RotationLogError);
    expect([e.name, e.message]).toEqual(['RotationLogError', `${shown()}: "rotation" is a symlink or not a directory; refusing to read or write the log`]);
    expect(errorOf(() => checkRotationLog(pin())).message).toBe(`${shown()}: "rotation" is a symlink or not a directory; refusing to read or write the log`);
  });

  it('rotation/ that cannot be created, opened or inspected', () => {
    expect(errorOf(() => appendRotationLog(pin({ mkdirAt: () => ERRNO.EACCES }), record)).message).toBe(`${shown()}: cannot create rotation/: permission denied`);
    expect(fs.existsSync(path.join(root, 'rotation'))).toBe(false);
    // Made by someone else meanwhile (EEXIST): used.
    fs.mkdirSync(path.join(root, 'rotation'));
    let first = true;
    const raced = pin({ openBeneath: (rel) => (rel === 'rotation' && first ? ((first = false), -ERRNO.ENOENT) : undefined), mkdirAt: () => ERRNO.EEXIST });
    expect(appendRotationLog(raced, record)).toEqual({ repairedBytes: 0, rotated: false });
    expect(first).toBe(false);
    expect(errorOf(() => checkRotationLog(pin({ openBeneath: (rel) => (rel === 'rotation' ? -ERRNO.EACCES : undefined) }))).message).toBe(`${shown()}: rotation/: permission denied`);
    expect(errorOf(() => checkRotationLog(pin({ openBeneath: (rel) => (rel === 'rotation' ? -ERRNO.ELOOP : undefined) }))).message).toMatch(/"rotation" is a symlink or not a directory/);
    let dirFd = -1;
    const p = pin({ openBeneath: (rel) => (rel === 'rotation' ? (dirFd = realOps.openBeneath(p.fd, 'rotation', fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)) : undefined), fstat: (fd) => (fd === dirFd ? ERRNO.EACCES : undefined) });
    expect(errorOf(() => checkRotationLog(p)).message).toBe(`${shown()}: "rotation" is not a directory`);
  });

  it('a missing rotation/ or log reads as empty and creates nothing', () => {
    expect(checkRotationLog(pin())).toEqual({ size: 0, records: [], torn: false, exists: false });
    expect(fs.existsSync(path.join(root, 'rotation'))).toBe(false);
    fs.mkdirSync(path.join(root, 'rotation'));
    expect(checkRotationLog(pin())).toEqual({ size: 0, records: [], torn: false, exists: false });
    expect(fs.readdirSync(path.join(root, 'rotation'))).toEqual([]);
    // Gone between its lstat and its open: empty as well.
    fs.writeFileSync(logFile(), line);
    expect(checkRotationLog(pin({ openBeneath: (rel) => (rel === 'ROTATION_LOG.jsonl' ? -ERRNO.ENOENT : undefined) }))).toEqual({ size: 0, records: [], torn: false, exists: false });
  });

  it('a log that cannot be looked up, opened or inspected, or was replaced while opened', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.writeFileSync(logFile(), line);
    expect(errorOf(() => checkRotationLog(pin({ statAt: (n) => (n === 'ROTATION_LOG.jsonl' ? ERRNO.EACCES : undefined) }))).message).toBe(`${shown()}: permission denied`);
    expect(errorOf(() => checkRotationLog(pin({ openBeneath: (rel) => (rel === 'ROTATION_LOG.jsonl' ? -ERRNO.ELOOP : undefined) }))).message).toBe(`${shown()}: is a symlink; Steward never follows it`);
    expect(errorOf(() => appendRotationLog(pin({ openBeneath: (rel) => (rel === 'ROTATION_LOG.jsonl' ? -ERRNO.EACCES : undefined) }), record)).message).toBe(`${shown()}: permission denied`);
    // Missing on the lstat, then ENOENT on the open for writing (the directory vanished): an error, not "empty".
    fs.rmSync(logFile());
    expect(errorOf(() => appendRotationLog(pin({ openBeneath: (rel) => (rel === 'ROTATION_LOG.jsonl' ? -ERRNO.ENOENT : undefined) }), record)).message).toBe(`${shown()}: does not exist`);
    fs.writeFileSync(logFile(), line);
    const before = openFds();
    let logFd = -1;
    const inspectFails = pin({ openBeneath: (rel, flags) => (rel === 'ROTATION_LOG.jsonl' ? (logFd = fs.openSync(logFile(), flags & ~fs.constants.O_CREAT)) : undefined), fstat: (fd) => (fd === logFd ? ERRNO.EACCES : undefined) });
    expect(errorOf(() => checkRotationLog(inspectFails)).message).toBe(`${shown()}: cannot be inspected`);
    const replaced = pin({ statAt: (n, out) => (n === 'ROTATION_LOG.jsonl' ? (realOps.statAt(opened[0]!.fd, 'nothing', out), fillFrom(out, path.join(root, 'rotation'))) : undefined) });
    expect(errorOf(() => appendRotationLog(replaced, record)).message).toBe(`${shown()}: was replaced while it was opened`);
    inspectFails.close();
    replaced.close();
    // The descriptors opened above were closed by the refusals.
    expect(openFds()).toBe(before);
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line);
  });

  it('a symlinked log is refused with its full reason (found by its lstat, before any open)', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.symlinkSync('/etc/hostname', logFile());
    expect(errorOf(() => appendRotationLog(pin(), record)).message).toBe(`${shown()}: is a symlink; Steward never follows it (remove it, and the next run starts a new log)`);
  });

  it('a missing rotation/ is created (0755) on the first append', () => {
    expect(appendRotationLog(pin(), record)).toEqual({ repairedBytes: 0, rotated: false });
    expect(fs.statSync(path.join(root, 'rotation')).mode & 0o777).toBe(0o755 & ~process.umask());
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line);
  });

  it('a torn line whose last newline is the first byte of the last read chunk keeps that newline', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    const torn = 'z'.repeat(64 * 1024 - 1);
    fs.writeFileSync(logFile(), line + torn);
    expect(appendRotationLog(pin(), record)).toEqual({ repairedBytes: torn.length, rotated: false });
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line + line);
  });

  it('a log that was missing when looked up is created, whatever appears', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    expect(appendRotationLog(pin(), record)).toEqual({ repairedBytes: 0, rotated: false });
    expect(fs.statSync(logFile()).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('whole small logs count lines from 1; a torn last line is reported; CorruptLogError is passed on as is', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.writeFileSync(logFile(), `${line}\n  \n${line}{"timestamp":2}\n`);
    expect(errorOf(() => checkRotationLog(pin()))).toEqual(new CorruptLogError(shown(), 5, 'timestamp: expected string'));
    fs.writeFileSync(logFile(), `${line}\n${line}`);
    expect(checkRotationLog(pin())).toEqual({ size: line.length * 2 + 1, records: [record, record], torn: false, exists: true });
    fs.writeFileSync(logFile(), `${line}{"ti`);
    expect(checkRotationLog(pin())).toEqual({ size: line.length + 4, records: [record], torn: true, exists: true });
  });

  it('a log of exactly the tail size is read whole; one byte more drops the first line', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    const TAIL = 256 * 1024;
    const pad = (n: number) => `${JSON.stringify({ timestamp: 'x'.repeat(n - 17) })}\n`;
    const first = pad(100);
    expect(first).toHaveLength(100);
    const filler = TAIL - first.length - line.length;
    fs.writeFileSync(logFile(), first + pad(filler) + line);
    expect(fs.statSync(logFile()).size).toBe(TAIL);
    expect(checkRotationLog(pin()).records).toHaveLength(3);
    // 16 bytes more (a corrupt line first): the tail starts at the next line, which counts as cut.
    fs.writeFileSync(logFile(), `{"timestamp":0}\n${first}${pad(filler)}${line}`);
    expect(checkRotationLog(pin()).records).toHaveLength(2);
  });

  it('a torn line longer than one read chunk is dropped whole', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    const torn = `{"timestamp":"${'y'.repeat(150 * 1024)}`;
    fs.writeFileSync(logFile(), line + torn);
    expect(appendRotationLog(pin(), record)).toEqual({ repairedBytes: torn.length, rotated: false });
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line + line);
    fs.writeFileSync(logFile(), torn);
    expect(appendRotationLog(pin(), record)).toEqual({ repairedBytes: torn.length, rotated: false });
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line);
  });

  it('rotates at the limit, not below it; a torn line is repaired first; a failed rename or new log is refused', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.writeFileSync(logFile(), line);
    expect(appendRotationLog(pin(), record, { maxBytes: line.length + 1 })).toEqual({ repairedBytes: 0, rotated: false });
    expect(fs.existsSync(path.join(root, 'rotation/ROTATION_LOG.1.jsonl'))).toBe(false);
    // Two lines and a torn one; the limit is two lines: repaired, then rotated.
    fs.appendFileSync(logFile(), '{"tor');
    expect(appendRotationLog(pin(), record, { maxBytes: 2 * line.length })).toEqual({ repairedBytes: 5, rotated: true });
    expect(fs.readFileSync(path.join(root, 'rotation/ROTATION_LOG.1.jsonl'), 'utf8')).toBe(line + line);
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line);
    expect(errorOf(() => appendRotationLog(pin({ renameAt: () => ERRNO.EACCES }), record, { maxBytes: 1 })).message).toBe(`${shown()}: cannot rotate to ROTATION_LOG.1.jsonl: permission denied`);
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(line);
    let n = 0;
    const noNew = pin({ openBeneath: (rel) => (rel === 'ROTATION_LOG.jsonl' && ++n === 2 ? -ERRNO.EACCES : undefined) });
    expect(errorOf(() => appendRotationLog(noNew, record, { maxBytes: 1 })).message).toBe(`${shown()}: cannot start a new log: permission denied`);
    expect(ROTATION_LOG_MAX_BYTES).toBe(16 * 1024 * 1024);
  });

  it('leaves no descriptor open, appended, rotated or refused', () => {
    fs.mkdirSync(path.join(root, 'rotation'));
    const p = pin();
    appendRotationLog(p, record);
    checkRotationLog(p);
    const before = openFds();
    appendRotationLog(p, record);
    appendRotationLog(p, record, { maxBytes: 1 });
    checkRotationLog(p);
    fs.writeFileSync(logFile(), '{"timestamp":1}\n');
    expect(() => checkRotationLog(p)).toThrow(CorruptLogError);
    expect(openFds()).toBe(before);
  });
});

/** Fills a stat buffer with the lstat of `p` (another file's identity). */
function fillFrom(out: Float64Array, p: string): number {
  const st = fs.lstatSync(p);
  out[ST.DEV] = st.dev;
  out[ST.INO] = st.ino;
  out[ST.MODE] = (st.mode & 0o7777) | 0o100000;
  out[ST.NLINK] = 1;
  out[ST.SIZE] = st.size;
  return 0;
}
