import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { availablePinnedOps } from './pinned';
import { PinnedRoot } from './pinned-root';
import { buildRotationRecord, CorruptLogError, readRotationLog, type RotationRun } from './rotation-log';
import { appendRotationLog, checkRotationLog, RotationLogError } from './rotation-log-io';

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rotlog-')));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const run: RotationRun = {
  timestamp: new Date('2025-10-15T12:34:56.789Z'),
  deleted: 50,
  kept: 100,
  compressed: 5,
  totalReductionKb: 1234.5,
  sizeMb: 456.78123,
  withinLimit: true,
};

describe('buildRotationRecord', () => {
  it("produces the mm-bot guide's shape, timestamp without millis", () => {
    expect(buildRotationRecord(run)).toEqual({
      timestamp: '2025-10-15T12:34:56Z',
      rotation: { deleted: 50, kept: 100 },
      compression: { compressed: 5, total_reduction_kb: 1234.5 },
      disk_usage: { size_mb: 456.78, within_limit: true },
      steward: {},
    });
  });

  it('adds Steward extras under `steward` and the efficiency summary when bytes freed are known', () => {
    const r = buildRotationRecord({ ...run, approvedBy: 'alice', bytesFreed: 2048, failures: 1, skipped: 2, durationMs: 1500, planId: 'p1', dryRun: false });
    expect(r.steward).toEqual({ approved_by: 'alice', bytes_freed: 2048, failures: 1, skipped: 2, duration_ms: 1500, plan_id: 'p1', dry_run: false });
    expect(r.summary).toEqual({ disk_reduction_kb: 2 });
    expect(buildRotationRecord({ ...run, approvedBy: null }).steward).toEqual({});
  });

  it('refuses an invalid date', () => {
    expect(() => buildRotationRecord({ ...run, timestamp: new Date('nope') })).toThrow(/invalid timestamp/);
  });
});

describe('readRotationLog (by path)', () => {
  it('reads lines written by the seed tool and ignores blank lines', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":50,"kept":100},"extra":1}\n\n');
    expect(readRotationLog(file)).toEqual([{ timestamp: '2025-10-15T12:34:56Z', rotation: { deleted: 50, kept: 100 }, extra: 1 }]);
  });

  it('reports a corrupt line with the file and its 1-based line number, never its content', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(buildRotationRecord(run))}\nroot:x:0:0:SECRET-HASH:/root:/bin/bash\n`);
    let err: unknown;
    try {
      readRotationLog(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptLogError);
    expect((err as CorruptLogError).line).toBe(2);
    expect((err as CorruptLogError).file).toBe(file);
    expect((err as Error).message).toBe(`${file}:2: corrupt rotation log line: invalid JSON (38 characters)`);
    expect((err as Error).message).not.toMatch(/SECRET|root:x/);
  });

  it('names the field of a line with the wrong shape', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, '{"timestamp":"t","disk_usage":{"size_mb":"SECRET","within_limit":true}}\n');
    expect(() => readRotationLog(file)).toThrow(/log.jsonl:1: corrupt rotation log line: disk_usage.size_mb: expected number$/);
    fs.writeFileSync(file, '[1,2]\n');
    expect(() => readRotationLog(file)).toThrow(/:1: corrupt rotation log line: record/);
  });
});

describe.each(availablePinnedOps().map((o) => [o.kind, o] as const))('rotation log through %s descriptors', (_kind, ops) => {
  let pinned: PinnedRoot;
  const logFile = () => path.join(root, 'rotation/ROTATION_LOG.jsonl');
  beforeEach(() => {
    pinned = PinnedRoot.open(root, { ops });
  });
  afterEach(() => pinned.close());

  it('round-trips records, one JSON line each, under rotation/ROTATION_LOG.jsonl', () => {
    const a = buildRotationRecord(run);
    const b = buildRotationRecord({ ...run, deleted: 0, withinLimit: false, planId: 'p2' });
    expect(checkRotationLog(pinned)).toEqual({ size: 0, records: [], torn: false, exists: false });
    expect(appendRotationLog(pinned, a)).toEqual({ repairedBytes: 0, rotated: false });
    appendRotationLog(pinned, b);
    expect(fs.readFileSync(logFile(), 'utf8').split('\n')).toHaveLength(3);
    expect(readRotationLog(logFile())).toEqual([a, b]);
    expect(checkRotationLog(pinned)).toMatchObject({ records: [a, b], torn: false, exists: true });
  });

  it('repairs a torn last line instead of gluing onto it; readers ignore it meanwhile', () => {
    const good = JSON.stringify(buildRotationRecord(run));
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.writeFileSync(logFile(), `${good}\n{"timestamp":"2025-10-1`);
    expect(checkRotationLog(pinned)).toMatchObject({ torn: true, records: [buildRotationRecord(run)] });
    expect(appendRotationLog(pinned, buildRotationRecord(run))).toEqual({ repairedBytes: 23, rotated: false });
    expect(readRotationLog(logFile())).toHaveLength(2);
    // A log that is one torn line only.
    fs.writeFileSync(logFile(), '{"timest');
    expect(appendRotationLog(pinned, buildRotationRecord(run))).toEqual({ repairedBytes: 8, rotated: false });
    expect(readRotationLog(logFile())).toHaveLength(1);
  });

  it('reads only the tail of a large log and names a corrupt line counted from the end', () => {
    const line = `${JSON.stringify(buildRotationRecord(run))}\n`;
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.writeFileSync(logFile(), `not json at the start\n${line.repeat(Math.ceil((300 * 1024) / line.length))}`);
    const tail = checkRotationLog(pinned);
    expect(tail.records.length).toBeGreaterThan(100);
    expect(tail.records.length).toBeLessThan(300 * 1024 / line.length);
    fs.appendFileSync(logFile(), 'garbage\n' + line);
    expect(() => checkRotationLog(pinned)).toThrow(/line 2 from the end/);
  });

  it('rotates a log past its limit into ROTATION_LOG.1.jsonl', () => {
    appendRotationLog(pinned, buildRotationRecord(run));
    const size = fs.statSync(logFile()).size;
    expect(appendRotationLog(pinned, buildRotationRecord({ ...run, deleted: 7 }), { maxBytes: size })).toEqual({ repairedBytes: 0, rotated: true });
    expect(readRotationLog(path.join(root, 'rotation/ROTATION_LOG.1.jsonl'))).toHaveLength(1);
    expect(readRotationLog(logFile())).toEqual([buildRotationRecord({ ...run, deleted: 7 })]);
  });

  it('refuses a symlinked rotation directory, a symlinked, hard-linked or FIFO log; writes nothing outside', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'victim'), 'SECRET original', { mode: 0o600 });
      fs.symlinkSync(outside, path.join(root, 'rotation'));
      expect(() => appendRotationLog(pinned, buildRotationRecord(run))).toThrow(/"rotation" is a symlink/);
      expect(() => checkRotationLog(pinned)).toThrow(RotationLogError);
      fs.unlinkSync(path.join(root, 'rotation'));
      pinned.forget('rotation');
      fs.mkdirSync(path.join(root, 'rotation'));
      fs.symlinkSync(path.join(outside, 'victim'), logFile());
      expect(() => appendRotationLog(pinned, buildRotationRecord(run))).toThrow(/is a symlink; Steward never follows it/);
      let msg = '';
      try {
        checkRotationLog(pinned);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(/is a symlink/);
      expect(msg).not.toMatch(/SECRET/);
      fs.unlinkSync(logFile());
      fs.linkSync(path.join(outside, 'victim'), logFile());
      expect(() => appendRotationLog(pinned, buildRotationRecord(run))).toThrow(/has 2 hard links/);
      fs.unlinkSync(logFile());
      execFileSync('mkfifo', [logFile()]);
      const t0 = Date.now();
      expect(() => appendRotationLog(pinned, buildRotationRecord(run))).toThrow(/not a regular file/);
      expect(() => checkRotationLog(pinned)).toThrow(/not a regular file/);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('SECRET original');
      expect(fs.readdirSync(outside)).toEqual(['victim']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
