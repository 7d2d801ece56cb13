/**
 * `steward rotate` end to end: spawns the real `bin/steward.mjs` on temp trees and checks exit
 * codes, the files left on disk, stdout/stderr and the rotation log, against the seeds:
 * - mm-bot operations guide: --path --ttl-days --max-size-mb --keep-latest --dry-run, the
 *   rotation/ROTATION_LOG.jsonl record, exit 0 ok / 1 failure / 2 still over the size threshold;
 * - resilience ops toolkit rotate_artifacts: --days --max-size 2G --keep (the cap evicts oldest first);
 * - donna runbook retention.json (--config): seconds per data type, each a subdirectory.
 * Each spawn costs ~1.5 s (tsx startup), so every test makes one or two.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeUnavailable } from '@/lib/services/retention/fs/scan-native';
import { giveToNobody, isRoot, NOBODY, unprivilegedSkipReason } from '@/tests/support/unprivileged';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/steward.mjs';
const T = 60_000;
const DAY = 24 * 60 * 60 * 1000;
const MiB = 1024 * 1024;
const LOG = 'rotation/ROTATION_LOG.jsonl';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SEED_LINE = '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":50,"kept":100},"compression":{"compressed":5,"total_reduction_kb":1234.5},"disk_usage":{"size_mb":456.78,"within_limit":true}}';

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  if (!('STEWARD_TOKEN' in extra)) delete env.STEWARD_TOKEN;
  return env;
}

type Run = { status: number | null; stdout: string; stderr: string };

function rotate(args: string[], opts: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {}): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, 'rotate', ...args], {
    cwd: HOME,
    encoding: 'utf8',
    env: opts.env ?? baseEnv(),
    timeout: 50_000,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Async spawn: needed when the test process itself serves HTTP to the child. */
function rotateAsync(args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'rotate', ...args], { cwd: HOME, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

// ---- temp trees -------------------------------------------------------------------------------

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) {
    // A test may leave a read-only directory behind; make everything writable before removing.
    try {
      for (const e of fs.readdirSync(t, { recursive: true, withFileTypes: true })) {
        if (e.isDirectory()) fs.chmodSync(path.join(e.parentPath, e.name), 0o755);
      }
    } catch {
      // ignore
    }
    fs.rmSync(t, { recursive: true, force: true });
  }
});

function tmpDir(prefix = 'steward-rotate-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** Writes `content` at root/rel with an mtime `ageMs` in the past. */
function put(root: string, rel: string, content: string | Buffer, ageMs: number): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(abs, t, t);
}

const bytes = (n: number, ch = 'x'): string => ch.repeat(n);

/** Every entry under root (no symlink followed): "rel file size mtime" / "rel dir" / "rel -> target". */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(root, r));
      if (st.isSymbolicLink()) out.push(`${r} -> ${fs.readlinkSync(path.join(root, r))}`);
      else if (st.isDirectory()) {
        out.push(`${r}/`);
        walk(r);
      } else out.push(`${r} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk('');
  return out;
}

/** Regular files under root, relative, sorted. */
function files(root: string): string[] {
  return listing(root)
    .filter((l) => !l.endsWith('/') && !l.includes(' -> '))
    .map((l) => l.split(' ')[0] as string);
}

function sizeOf(root: string, rel: string): number {
  return fs.statSync(path.join(root, rel)).size;
}

function logLines(root: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(root, LOG), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The mm-bot soak tree: 5 ITER_SUMMARY files all older than 7 days (ages 8..12 d), a 10-day-old
 * log, a fresh log (1 h) and a 9-day-old snapshot (compressible).
 */
const SOAK = {
  iter: (i: number) => `latest/ITER_SUMMARY_${i}.json`,
  oldLog: 'old.log',
  freshLog: 'fresh.log',
  snapshot: 'snapshots/freeze_1.json',
};
function soakTree(): string {
  const root = tmpDir();
  for (let i = 1; i <= 5; i++) put(root, SOAK.iter(i), JSON.stringify({ iteration: i, pad: bytes(100 * i) }), (13 - i) * DAY);
  put(root, SOAK.oldLog, bytes(5_000, 'l'), 10 * DAY);
  put(root, SOAK.freshLog, bytes(300 * 1024, 'f'), 60 * 60 * 1000);
  put(root, SOAK.snapshot, JSON.stringify({ config: Array.from({ length: 2_000 }, (_, k) => ({ k, spread: 0.5 })) }), 9 * DAY);
  return root;
}

/** Member name → content of a .tar.gz. */
async function tarContents(file: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await tar.t({
    file,
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => (out[e.path] = Buffer.concat(chunks).toString('utf8')));
    },
  });
  return out;
}

const MM_FLAGS = ['--ttl-days', '7', '--max-size-mb', '900', '--keep-latest', '3'];

// ---- mm-bot artifact manager flags ------------------------------------------------------------

describe('steward rotate: mm-bot artifact manager flags', () => {
  it(
    'keeps the 3 newest ITER_SUMMARY (even past the TTL), deletes old logs, compresses old snapshots, logs one seed record',
    async () => {
      const root = soakTree();
      const snapshotText = fs.readFileSync(path.join(root, SOAK.snapshot), 'utf8');
      const sizes = Object.fromEntries([SOAK.iter(1), SOAK.iter(2), SOAK.oldLog, SOAK.snapshot].map((f) => [f, sizeOf(root, f)]));
      const started = Math.floor(Date.now() / 1000) * 1000;

      const r = rotate(['--path', root, ...MM_FLAGS]);
      const ended = Date.now();

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(files(root)).toEqual([
        SOAK.freshLog,
        SOAK.iter(3),
        SOAK.iter(4),
        SOAK.iter(5),
        LOG,
        `${SOAK.snapshot}.tar.gz`,
      ]);
      // The archive holds exactly the snapshot, unchanged.
      expect(await tarContents(path.join(root, `${SOAK.snapshot}.tar.gz`))).toEqual({ 'freeze_1.json': snapshotText });
      const archiveBytes = sizeOf(root, `${SOAK.snapshot}.tar.gz`);
      expect(archiveBytes).toBeLessThan((sizes[SOAK.snapshot] as number) * 0.4);

      expect(r.stdout).toContain(`${root} — 8 files`);
      expect(r.stdout).toContain('policy: artifact manager flags (cap warns)');
      expect(r.stdout).toContain('Deleted 3, compressed 1, skipped 0, failed 0;');
      expect(r.stdout).not.toContain('Still over the size threshold');

      const lines = logLines(root);
      expect(lines).toHaveLength(1);
      const rec = lines[0] as Record<string, unknown>;
      expect(Object.keys(rec)).toEqual(['timestamp', 'rotation', 'compression', 'disk_usage', 'summary', 'steward']);
      expect(rec.timestamp).toMatch(TIMESTAMP);
      const ts = Date.parse(rec.timestamp as string);
      expect(ts).toBeGreaterThanOrEqual(started);
      expect(ts).toBeLessThanOrEqual(ended);

      const reduction = (sizes[SOAK.snapshot] as number) - archiveBytes;
      const deletedBytes = (sizes[SOAK.iter(1)] as number) + (sizes[SOAK.iter(2)] as number) + (sizes[SOAK.oldLog] as number);
      // size after = what is left, measured before the log line was appended.
      const remaining = [SOAK.freshLog, SOAK.iter(3), SOAK.iter(4), SOAK.iter(5), `${SOAK.snapshot}.tar.gz`].reduce((s, f) => s + sizeOf(root, f), 0);
      expect(rec.rotation).toEqual({ deleted: 3, kept: 4 });
      expect(rec.compression).toEqual({ compressed: 1, total_reduction_kb: round2(reduction / 1024) });
      expect(rec.disk_usage).toEqual({ size_mb: round2(remaining / MiB), within_limit: true });
      expect((rec.disk_usage as { size_mb: number }).size_mb).toBeGreaterThan(0);
      expect(rec.summary).toEqual({ disk_reduction_kb: round2((deletedBytes + reduction) / 1024) });
      expect(rec.steward).toMatchObject({ bytes_freed: deletedBytes + reduction, failures: 0, skipped: 0, dry_run: false });

      // A second run finds nothing to do, leaves the archive alone and appends a second line.
      const before = listing(root).filter((l) => !l.startsWith(LOG));
      const again = rotate(['--path', root, ...MM_FLAGS]);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('Deleted 0, compressed 0, skipped 0, failed 0;');
      expect(listing(root).filter((l) => !l.startsWith(LOG))).toEqual(before);
      const two = logLines(root);
      expect(two).toHaveLength(2);
      expect(two[0]).toEqual(rec);
      expect(two[1]).toMatchObject({ rotation: { deleted: 0 }, compression: { compressed: 0, total_reduction_kb: 0 }, disk_usage: { within_limit: true } });
    },
    T,
  );

  it(
    '--dry-run --verbose lists the actions and changes nothing on disk, not even the log',
    () => {
      const root = soakTree();
      put(root, LOG, `${SEED_LINE}\n`, 2 * DAY);
      const before = listing(root);

      const r = rotate(['--path', root, ...MM_FLAGS, '--dry-run', '--verbose']);

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(listing(root)).toEqual(before);
      expect(fs.readFileSync(path.join(root, LOG), 'utf8')).toBe(`${SEED_LINE}\n`);
      const out = r.stdout.split('\n');
      expect(out[0]).toMatch(new RegExp(`^Dry run: ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — 9 files, `));
      expect(out[1]).toMatch(process.env.STEWARD_REQUIRE_NATIVE === '1' ? /^ {2}scanned with the native walker; acting through the native addon$/ : /^ {2}scanned with the (native|js) walker; acting through (the native addon|\/proc\/self\/fd)$/);
      const would = out.filter((l) => l.startsWith('  would '));
      expect(would.map((l) => l.replace(/ \(.*$/, ''))).toEqual([
        '  would delete   latest/ITER_SUMMARY_1.json',
        '  would delete   latest/ITER_SUMMARY_2.json',
        '  would delete   old.log',
        '  would compress snapshots/freeze_1.json',
      ]);
      expect(would[0]).toContain('beyond keep-latest 3 (rank 5)');
      expect(would[2]).toContain('older than TTL 7d (age 10d)');
      expect(would[3]).toContain('older than compress-after 7d (age 9d)');
      expect(r.stdout).toContain('Would delete 3 and compress 1 files');
    },
    T,
  );

  describe('--dry-run --json', () => {
    let root = '';
    let r: Run = { status: null, stdout: '', stderr: '' };
    let sizes: Record<string, number> = {};
    const json = () => JSON.parse(r.stdout) as {
      exitCode: number;
      plan: Record<string, unknown>;
      record: { rotation: unknown; compression: { compressed: number; total_reduction_kb: number }; steward: Record<string, unknown>; timestamp: string };
      policySource: string;
      results: unknown[];
      report: unknown;
    };
    const run = () => {
      if (root) return;
      root = soakTree();
      sizes = Object.fromEntries(files(root).map((f) => [f, sizeOf(root, f)]));
      r = rotate(['--path', root, ...MM_FLAGS, '--dry-run', '--json']);
    };

    it(
      'prints one parseable JSON document with the plan totals and changes nothing',
      () => {
        run();
        const before = Object.fromEntries(files(root).map((f) => [f, sizeOf(root, f)]));
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        const doc = json();
        const total = Object.values(sizes).reduce((a, b) => a + b, 0);
        const deleted = (sizes[SOAK.iter(1)] as number) + (sizes[SOAK.iter(2)] as number) + (sizes[SOAK.oldLog] as number);
        const compressSaving = Math.floor((sizes[SOAK.snapshot] as number) * 0.7);
        expect(doc.exitCode).toBe(0);
        expect(doc.plan).toEqual({
          filesScanned: 8,
          filesToDelete: 3,
          filesToCompress: 1,
          bytesBefore: total,
          bytesFreed: deleted + compressSaving,
          bytesAfter: total - deleted - compressSaving,
          maxSizeBytes: 900 * MiB,
          withinLimit: true,
        });
        expect(doc.policySource).toBe('artifact manager flags (cap warns)');
        expect(doc.results).toEqual([]);
        expect(doc.report).toBeNull();
        expect(doc.record.timestamp).toMatch(TIMESTAMP);
        expect(doc.record.rotation).toEqual({ deleted: 3, kept: 4 });
        expect(doc.record.compression.compressed).toBe(1);
        expect(doc.record.steward).toMatchObject({ dry_run: true, bytes_freed: deleted + compressSaving });
        expect(before).toEqual(sizes);
        expect(fs.existsSync(path.join(root, 'rotation'))).toBe(false);
      },
      T,
    );

    it(
      'the dry-run record reports the estimated compression reduction it plans',
      () => {
        run();
        const doc = json();
        expect(doc.record.compression.compressed).toBe(1);
        expect(doc.record.compression.total_reduction_kb).toBe(round2(Math.floor((sizes[SOAK.snapshot] as number) * 0.7) / 1024));
      },
      T,
    );
  });

  it(
    'a cap below the size after rotation only warns: files still rotated per the rules, exit 2, within_limit false',
    () => {
      const root = soakTree();
      // 0.01 MB = 10486 bytes; the fresh log alone is 300 KiB and is within the TTL.
      const r = rotate(['--path', root, '--ttl-days', '7', '--max-size-mb', '0.01', '--keep-latest', '3']);

      expect(r.status).toBe(2);
      expect(r.stderr).toBe('');
      expect(files(root)).toEqual([SOAK.freshLog, SOAK.iter(3), SOAK.iter(4), SOAK.iter(5), LOG, `${SOAK.snapshot}.tar.gz`]);
      expect(r.stdout).toContain('(sizeCapAction "warn": nothing evicted)');
      expect(r.stdout).toContain('Deleted 3, compressed 1, skipped 0, failed 0;');
      expect(r.stdout).toMatch(/Still over the size threshold \([\d.]+ KB > 10\.2 KB\)\./);
      const [rec] = logLines(root);
      expect(rec).toMatchObject({ rotation: { deleted: 3, kept: 4 }, compression: { compressed: 1 }, disk_usage: { within_limit: false } });
    },
    T,
  );
});

// ---- rotate_artifacts flags -------------------------------------------------------------------

describe('steward rotate: rotate_artifacts flags (--days --max-size --keep)', () => {
  it(
    'the cap evicts the oldest files first until within it: exit 0',
    () => {
      const root = tmpDir();
      put(root, 'a.bin', bytes(400), 3 * DAY);
      put(root, 'b.bin', bytes(400), 2 * DAY);
      put(root, 'c.bin', bytes(400), 1 * DAY);
      put(root, 'd.bin', bytes(400), 60 * 60 * 1000);

      const r = rotate(['--path', root, '--days', '7', '--max-size', '1K', '--keep', '100', '--verbose']);

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // 1600 B > 1024 B: a (oldest) then b are evicted; 800 B <= 1 KB stops.
      expect(files(root)).toEqual(['c.bin', 'd.bin', LOG]);
      expect(r.stdout).toContain('policy: rotate_artifacts flags (cap evicts oldest first)');
      expect(r.stdout).toContain('done    delete   a.bin (400 B) — evicted to meet cap 1 KB');
      expect(r.stdout).toContain('done    delete   b.bin (400 B) — evicted to meet cap 1 KB');
      expect(r.stdout).toContain('Deleted 2, compressed 0, skipped 0, failed 0; freed 800 B; size now 800 B of 1 KB.');
      const [rec] = logLines(root);
      expect(rec).toMatchObject({ rotation: { deleted: 2, kept: 2 }, disk_usage: { size_mb: 0, within_limit: true }, steward: { bytes_freed: 800 } });
    },
    T,
  );

  it(
    'exit 2 when the protected rotation log alone exceeds the cap (everything else evicted)',
    () => {
      const root = tmpDir();
      put(root, LOG, `${Array.from({ length: 12 }, () => SEED_LINE).join('\n')}\n`, 2 * DAY);
      expect(sizeOf(root, LOG)).toBeGreaterThan(1024);
      put(root, 'old.bin', bytes(300), 3 * DAY);
      put(root, 'new.bin', bytes(300), 60 * 60 * 1000);

      const r = rotate(['--path', root, '--days', '7', '--max-size', '1K', '--keep', '100']);

      expect(r.status).toBe(2);
      expect(files(root)).toEqual([LOG]);
      expect(r.stdout).toContain('protected files alone are over it');
      expect(r.stdout).toContain('Deleted 2, compressed 0, skipped 0, failed 0;');
      expect(r.stdout).toContain('Still over the size threshold');
      const lines = logLines(root);
      expect(lines).toHaveLength(13);
      expect(lines[0]).toEqual(JSON.parse(SEED_LINE));
      expect(lines[12]).toMatchObject({ rotation: { deleted: 2, kept: 1 }, disk_usage: { within_limit: false } }); // kept: the protected log
    },
    T,
  );

  it(
    '--days without --keep deletes files older than N days',
    () => {
      const root = tmpDir();
      put(root, 'old.log', bytes(10), 10 * DAY);
      put(root, 'new.log', bytes(10), 1 * DAY);
      const r = rotate(['--path', root, '--days', '7', '--max-size', '2G']);
      expect(r.status).toBe(0);
      expect(files(root)).toEqual(['new.log', LOG]);
    },
    T,
  );

  it(
    '--days still applies when --keep is given: `--days 7 --max-size 2G --keep 100` deletes files older than 7 days',
    () => {
      const root = tmpDir();
      put(root, 'old.log', bytes(10), 10 * DAY);
      put(root, 'new.log', bytes(10), 1 * DAY);
      const r = rotate(['--path', root, '--days', '7', '--max-size', '2G', '--keep', '100']);
      expect(r.status).toBe(0);
      // rotate_artifacts: "TTL Filter: Delete files older than N days"; --keep 100 only caps the count.
      expect(files(root)).toEqual(['new.log', LOG]);
    },
    T,
  );
});

// ---- exit 1: failures -------------------------------------------------------------------------

describe('steward rotate: exit 1 failures', () => {
  it(
    'a missing --path directory: exit 1, the message names the path, nothing created',
    () => {
      const missing = path.join(tmpDir(), 'artifacts', 'soak');
      const r = rotate(['--path', missing, ...MM_FLAGS]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`steward: --path ${missing} does not exist\n`);
      expect(r.stdout).toBe('');
      expect(fs.existsSync(path.dirname(missing))).toBe(false);
    },
    T,
  );

  it(
    'a corrupt ROTATION_LOG.jsonl: exit 1, the message names the file and the line, nothing rotated',
    () => {
      const root = tmpDir();
      put(root, 'old.log', bytes(10), 10 * DAY);
      const corrupt = `${SEED_LINE}\n\n{"timestamp": "2025-10-16T00:00:00Z", "rotation": {\n`;
      put(root, LOG, corrupt, 2 * DAY);
      const r = rotate(['--path', root, ...MM_FLAGS]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^steward: ${path.join(root, LOG).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: corrupt rotation log line: invalid JSON`));
      expect(files(root)).toEqual(['old.log', LOG]);
      expect(fs.readFileSync(path.join(root, LOG), 'utf8')).toBe(corrupt);
    },
    T,
  );

  /**
   * Permission denied (mm-bot: "Windows file lock"): a read-only directory holds an expired file.
   * Root ignores file modes, so under root the command runs as nobody (uid 65534) on a tree owned
   * by nobody; when nobody cannot run the checkout, the test is skipped saying why.
   */
  const owner = isRoot ? { uid: NOBODY, gid: NOBODY } : {};

  it(
    'permission denied on a file: exit 1, the message names the file, the rest is still rotated and logged',
    ({ skip }) => {
      if (unprivilegedSkipReason) skip(unprivilegedSkipReason);
      const root = tmpDir();
      put(root, 'old.log', bytes(10), 10 * DAY);
      put(root, 'locked/held.log', bytes(10), 10 * DAY);
      put(root, 'fresh.log', bytes(10), 60 * 60 * 1000);
      giveToNobody(root);
      fs.chmodSync(path.join(root, 'locked'), 0o555);

      const r = rotate(['--path', root, ...MM_FLAGS], owner);

      fs.chmodSync(path.join(root, 'locked'), 0o755);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('Deleted 1, compressed 0, skipped 0, failed 1;');
      expect(r.stdout).toContain('  failed: locked/held.log: permission denied');
      expect(files(root)).toEqual(['fresh.log', 'locked/held.log', LOG]);
      const [rec] = logLines(root);
      expect(rec).toMatchObject({ rotation: { deleted: 1, kept: 2 }, steward: { failures: 1 } });
    },
    T,
  );

  // The native walker is tested wherever it is built (CI requires it with STEWARD_REQUIRE_NATIVE=1).
  const nativeMissing = nativeUnavailable();
  it.for(['native', 'js'])(
    'an unreadable directory (%s walker) is reported by name and exits 1; the rest is still rotated',
    { timeout: T },
    (scanner, { skip }) => {
      if (unprivilegedSkipReason) skip(unprivilegedSkipReason);
      if (scanner === 'native' && nativeMissing) {
        expect(process.env.STEWARD_REQUIRE_NATIVE, 'native scanner required').not.toBe('1');
        skip(`the native scanner is not built here: ${nativeMissing}`);
      }
      const root = tmpDir();
      put(root, 'old.log', bytes(10), 10 * DAY);
      put(root, 'sealed/inner.log', bytes(10), 10 * DAY);
      giveToNobody(root);
      fs.chmodSync(path.join(root, 'sealed'), 0o000);
      const r = rotate(['--path', root, ...MM_FLAGS, '--verbose'], { ...owner, env: baseEnv({ STEWARD_SCANNER: scanner }) });
      fs.chmodSync(path.join(root, 'sealed'), 0o755);
      expect(r.stdout).toContain(`  scanned with the ${scanner} walker`);
      expect(r.stdout).toContain('  unreadable: sealed: permission denied');
      expect(r.stdout).toContain('1 entry could not be read');
      expect(r.status).toBe(1);
      expect(files(root)).toEqual([LOG, 'sealed/inner.log']);
    },
  );
});

// ---- exit 64: bad usage -----------------------------------------------------------------------

describe('steward rotate: exit 64 on bad flags or input', () => {
  /** A tree whose only file is expired: it must survive a refused run. */
  function victim(): string {
    const root = tmpDir();
    put(root, 'old.log', bytes(10), 30 * DAY);
    return root;
  }

  it(
    'mixing flag families (--ttl-days with --days); --json also prints the error as JSON',
    () => {
      const root = victim();
      const r = rotate(['--path', root, '--ttl-days', '7', '--days', '7', '--json']);
      expect(r.status).toBe(64);
      expect(r.stderr).toContain('steward: Choose one way to give the policy: mm-bot flags (--ttl-days/--max-size-mb/--keep-latest), rotate_artifacts flags (--days/--max-size/--keep)');
      const doc = JSON.parse(r.stdout) as { error: { message: string; exitCode: number } };
      expect(doc.error.exitCode).toBe(64);
      expect(doc.error.message).toMatch(/^Choose one way to give the policy/);
      expect(files(root)).toEqual(['old.log']);
      expect(fs.existsSync(path.join(root, 'rotation'))).toBe(false);
    },
    T,
  );

  it(
    '--max-size 2X names the flag and the value',
    () => {
      const root = victim();
      const r = rotate(['--path', root, '--max-size', '2X']);
      expect(r.status).toBe(64);
      expect(r.stderr).toMatch(/^steward: --max-size: "2X" is not a size/);
      expect(r.stdout).toBe('');
      expect(files(root)).toEqual(['old.log']);
    },
    T,
  );

  it(
    '--ttl-days -1 names the flag and the value',
    () => {
      const root = victim();
      const r = rotate(['--path', root, '--ttl-days', '-1']);
      expect(r.status).toBe(64);
      expect(r.stderr).toBe('steward: --ttl-days: "-1" must be a number greater than 0\n');
      expect(files(root)).toEqual(['old.log']);
    },
    T,
  );

  it(
    '--config with a bad retention.json names the file and the key',
    () => {
      const root = victim();
      const config = path.join(tmpDir(), 'retention.json');
      fs.writeFileSync(config, JSON.stringify({ logs: 432000, temp_audio: '1800' }));
      const r = rotate(['--path', root, '--config', config]);
      expect(r.status).toBe(64);
      expect(r.stderr).toBe(`steward: --config ${config}: temp_audio: retention must be a whole number of seconds > 0, got "1800"\n`);
      expect(files(root)).toEqual(['old.log']);
    },
    T,
  );
});

// ---- donna retention.json ---------------------------------------------------------------------

describe('steward rotate --config retention.json (donna)', () => {
  it(
    'each data type is a subdirectory with its own TTL in seconds; files outside the data types are kept',
    () => {
      const root = tmpDir();
      put(root, 'logs/old.log', bytes(10), 6 * DAY); // logs: 432000 s = 5 d
      put(root, 'logs/recent.log', bytes(10), 4 * DAY);
      put(root, 'cache/blob.bin', bytes(10), 1 * DAY); // cache: 43200 s = 12 h
      put(root, 'cache/hot.bin', bytes(10), 60 * 60 * 1000);
      put(root, 'reports/ancient.txt', bytes(10), 400 * DAY); // no data type
      put(root, 'top-level.txt', bytes(10), 400 * DAY);
      const config = path.join(tmpDir(), 'retention.json');
      fs.writeFileSync(config, JSON.stringify({ logs: 432000, cache: 43200, temp_files: 900, error_logs: 864000 }, null, 2));

      const r = rotate(['--path', root, '--config', config, '--verbose']);

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`policy: retention config ${config}`);
      expect(r.stdout).toContain('done    delete   logs/old.log (10 B) — older than TTL 5d (age 6d)');
      expect(r.stdout).toContain('done    delete   cache/blob.bin (10 B) — older than TTL 12h (age 1d)');
      expect(files(root)).toEqual(['cache/hot.bin', 'logs/recent.log', 'reports/ancient.txt', LOG, 'top-level.txt']);
      const [rec] = logLines(root);
      expect(rec).toMatchObject({ rotation: { deleted: 2, kept: 4 }, disk_usage: { within_limit: true } });
    },
    T,
  );
});

// ---- symlink safety ---------------------------------------------------------------------------

describe('steward rotate: symlinks', () => {
  it(
    'a symlink to a directory outside the root is not followed: nothing outside is deleted, the links stay',
    () => {
      const outside = tmpDir('steward-outside-');
      for (let i = 1; i <= 3; i++) put(outside, `old${i}.log`, bytes(10, String(i)), 30 * DAY);
      put(outside, 'ITER_SUMMARY_9.json', '{}', 30 * DAY);
      put(outside, 'snapshots/freeze.json', '{}', 30 * DAY);
      const outsideBefore = listing(outside);

      const root = tmpDir();
      put(root, 'inside.log', bytes(10), 30 * DAY);
      fs.symlinkSync(outside, path.join(root, 'outside'), 'dir');
      fs.symlinkSync(outside, path.join(root, 'snapshots'), 'dir');
      fs.symlinkSync(path.join(outside, 'old1.log'), path.join(root, 'link.log'));
      const old = new Date(Date.now() - 30 * DAY);
      for (const l of ['outside', 'snapshots', 'link.log']) fs.lutimesSync(path.join(root, l), old, old);

      // --keep-latest 0: an ITER_SUMMARY reached through the link would be deleted whatever its age.
      const r = rotate(['--path', root, '--ttl-days', '7', '--max-size-mb', '900', '--keep-latest', '0', '--verbose']);

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('done    delete   inside.log');
      expect(r.stdout).not.toContain(outside);
      expect(r.stdout).not.toMatch(/(delete|compress) +(outside|snapshots|link\.log)/);
      expect(listing(outside)).toEqual(outsideBefore);
      expect(listing(root).filter((l) => l.includes(' -> '))).toEqual([`link.log -> ${path.join(outside, 'old1.log')}`, `outside -> ${outside}`, `snapshots -> ${outside}`]);
      expect(files(root)).toEqual([LOG]);
    },
    T,
  );
});

// ---- --report-to ------------------------------------------------------------------------------

describe('steward rotate --report-to', () => {
  interface Seen {
    method?: string;
    url?: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }

  async function withServer(status: number, reply: unknown, fn: (url: string, seen: Seen[]) => Promise<void>): Promise<void> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fn(`http://127.0.0.1:${port}`, seen);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it(
    'POSTs the run to /api/v1/rotation-runs with the bearer token: host, path, record (seed fields), disk',
    async () => {
      const root = tmpDir();
      put(root, 'old.log', bytes(100), 10 * DAY);
      put(root, 'new.log', bytes(200), 60 * 60 * 1000);

      await withServer(201, { id: 'run-123' }, async (url, seen) => {
        const r = await rotateAsync(['--path', root, ...MM_FLAGS, '--report-to', url, '--token', 'stw_x']);

        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(`Reported to ${url} (run run-123).`);
        expect(files(root)).toEqual(['new.log', LOG]);
        expect(seen).toHaveLength(1);
        const req = seen[0] as Seen;
        expect(req.method).toBe('POST');
        expect(req.url).toBe('/api/v1/rotation-runs');
        expect(req.headers.authorization).toBe('Bearer stw_x');
        expect(req.headers['content-type']).toBe('application/json');
        const body = JSON.parse(req.body) as Record<string, unknown>;
        expect(Object.keys(body).sort()).toEqual(['disk', 'dry_run', 'host', 'path', 'record']);
        expect(body.host).toBe(os.hostname());
        expect(body.path).toBe(root);
        expect(body.dry_run).toBe(false);
        // The record sent is exactly the line appended to the rotation log.
        const [logged] = logLines(root);
        expect(body.record).toEqual(logged);
        expect(body.record).toMatchObject({
          rotation: { deleted: 1, kept: 1 },
          compression: { compressed: 0, total_reduction_kb: 0 },
          disk_usage: { size_mb: 0, within_limit: true },
        });
        expect((body.record as { timestamp: string }).timestamp).toMatch(TIMESTAMP);
        const disk = body.disk as { root_bytes: number; file_count: number; fs_bytes: number; fs_free: number };
        expect(disk.root_bytes).toBe(200);
        expect(disk.file_count).toBe(1);
        expect(disk.fs_bytes).toBeGreaterThan(0);
        expect(disk.fs_free).toBeGreaterThanOrEqual(0);
      });
    },
    T,
  );

  it(
    'a 401 from the server is a warning, not a failure: exit 0, the rotation and the log still done (token from $STEWARD_TOKEN)',
    async () => {
      const root = tmpDir();
      put(root, 'old.log', bytes(100), 10 * DAY);
      put(root, 'new.log', bytes(200), 60 * 60 * 1000);
      const problem = 'Send "Authorization: Bearer <token>" or sign in.';

      await withServer(401, { error: { code: 'unauthenticated', message: problem, details: [] } }, async (url, seen) => {
        const r = await rotateAsync(['--path', root, ...MM_FLAGS, '--report-to', url], baseEnv({ STEWARD_TOKEN: 'stw_revoked' }));

        expect(r.status).toBe(0);
        expect(r.stdout).toContain(`warning: report to ${url} failed: HTTP 401: ${problem}`);
        expect(r.stdout).not.toContain('Reported to');
        expect(seen).toHaveLength(1);
        expect(seen[0]?.headers.authorization).toBe('Bearer stw_revoked');
        expect(files(root)).toEqual(['new.log', LOG]);
        expect(logLines(root)).toHaveLength(1);
      });
    },
    T,
  );
});
