import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRotationLog, buildRotationRecord, CorruptLogError, readRotationLog, type RotationRun } from './rotation-log';

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

describe('appendRotationLog / readRotationLog', () => {
  it('round-trips records, one JSON line each, under rotation/ROTATION_LOG.jsonl', () => {
    const a = buildRotationRecord(run);
    const b = buildRotationRecord({ ...run, deleted: 0, withinLimit: false, planId: 'p2' });
    const file = appendRotationLog(root, a);
    expect(file).toBe(path.join(root, 'rotation/ROTATION_LOG.jsonl'));
    appendRotationLog(root, b);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(3); // two lines + final newline
    expect(readRotationLog(file)).toEqual([a, b]);
  });

  it('reads lines written by the seed tool and ignores blank lines', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":50,"kept":100},"extra":1}\n\n');
    expect(readRotationLog(file)).toEqual([{ timestamp: '2025-10-15T12:34:56Z', rotation: { deleted: 50, kept: 100 }, extra: 1 }]);
  });

  it('reports a corrupt line with the file and its 1-based line number', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(buildRotationRecord(run))}\n{"timestamp": "2025-10-16T00:00:00Z", "rotation": {\n`);
    let err: unknown;
    try {
      readRotationLog(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptLogError);
    expect((err as CorruptLogError).line).toBe(2);
    expect((err as CorruptLogError).file).toBe(file);
    expect((err as Error).message).toMatch(new RegExp(`^${file}:2: corrupt rotation log line: invalid JSON`));
  });

  it('names the field of a line with the wrong shape', () => {
    const file = path.join(root, 'log.jsonl');
    fs.writeFileSync(file, '{"timestamp":"t","disk_usage":{"size_mb":"big","within_limit":true}}\n');
    expect(() => readRotationLog(file)).toThrow(/log.jsonl:1: corrupt rotation log line: disk_usage.size_mb/);
    fs.writeFileSync(file, '[1,2]\n');
    expect(() => readRotationLog(file)).toThrow(/:1: corrupt rotation log line: record/);
  });

  it('does not glue a new record onto a torn last line', () => {
    const file = path.join(root, 'rotation/ROTATION_LOG.jsonl');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '{"timestamp":"2025-10-1');
    appendRotationLog(root, buildRotationRecord(run));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('{"timestamp":"2025-10-1');
    expect(JSON.parse(lines[1] ?? '')).toEqual(buildRotationRecord(run));
    expect(() => readRotationLog(file)).toThrow(/:1: corrupt/);
  });

  it('refuses to write through a symlinked rotation directory or log file', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-'));
    try {
      fs.symlinkSync(outside, path.join(root, 'rotation'));
      expect(() => appendRotationLog(root, buildRotationRecord(run))).toThrow(/"rotation" is a symlink/);
      fs.unlinkSync(path.join(root, 'rotation'));
      fs.mkdirSync(path.join(root, 'rotation'));
      fs.writeFileSync(path.join(outside, 'victim'), 'original');
      fs.symlinkSync(path.join(outside, 'victim'), path.join(root, 'rotation/ROTATION_LOG.jsonl'));
      expect(() => appendRotationLog(root, buildRotationRecord(run))).toThrow(/ELOOP/);
      expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('original');
      expect(fs.readdirSync(outside)).toEqual(['victim']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
