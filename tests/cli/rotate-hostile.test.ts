/**
 * `steward rotate` against hostile roots (issue 7): system directories, rotation logs that are
 * FIFOs, symlinks to secrets or hard links, a torn or huge log, names that used to slip past
 * protect rules, and a stale archive. Spawns the real CLI (~1.5 s each).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const T = 60_000;
const DAY = 86_400_000;
const LOG = 'rotation/ROTATION_LOG.jsonl';
const MM = ['--ttl-days', '7', '--max-size-mb', '900', '--keep-latest', '3', '--min-quiet', '0'];

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-hostile-')));
  made.push(d);
  return d;
}
function put(root: string, rel: string, content: string, ageMs: number, mode = 0o644): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content, { mode });
  const t = (Date.now() - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
}
function rotate(args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.STEWARD_TOKEN;
  const r = spawnSync(process.execPath, ['bin/steward.mjs', 'rotate', ...args], { cwd: HOME, encoding: 'utf8', env, timeout: 50_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

describe('steward rotate refuses what it must not touch', () => {
  it.each(['/etc', '/', '/usr/lib', '/var'])('--path %s is refused (exit 1), nothing scanned', (p) => {
    const r = rotate(['--path', p, ...MM, '--dry-run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to rotate it/);
  }, T);

  it('a symlink to /etc as --path is refused by its real path', () => {
    const d = tmp();
    fs.symlinkSync('/etc', path.join(d, 'innocent'));
    const r = rotate(['--path', path.join(d, 'innocent'), ...MM]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--path \/etc is a system directory/);
  }, T);
});

describe('a hostile rotation log', () => {
  it('a FIFO is refused at once (exit 1), no hang, nothing rotated', () => {
    const root = tmp();
    put(root, 'old.log', 'x', 10 * DAY);
    fs.mkdirSync(path.join(root, 'rotation'));
    execFileSync('mkfifo', [path.join(root, LOG)]);
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ROTATION_LOG.jsonl: is not a regular file/);
    expect(r.ms).toBeLessThan(30_000);
    expect(fs.existsSync(path.join(root, 'old.log'))).toBe(true);
  }, T);

  it('a symlink to a secret is refused and its content never printed', () => {
    const root = tmp();
    const outside = tmp();
    put(outside, 'shadow', 'root:$6$SECRETHASH:19000:0:99999:7:::\n', 0, 0o600);
    put(root, 'old.log', 'x', 10 * DAY);
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.symlinkSync(path.join(outside, 'shadow'), path.join(root, LOG));
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is a symlink; Steward never follows it/);
    expect(r.stdout + r.stderr).not.toMatch(/SECRETHASH|root:/);
    expect(fs.readFileSync(path.join(outside, 'shadow'), 'utf8')).toMatch(/^root:/);
  }, T);

  it('a hard link to an outside file is refused; the outside file gains no line', () => {
    const root = tmp();
    const outside = tmp();
    put(outside, 'victim', 'original\n', 0);
    put(root, 'old.log', 'x', 10 * DAY);
    fs.mkdirSync(path.join(root, 'rotation'));
    fs.linkSync(path.join(outside, 'victim'), path.join(root, LOG));
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has 2 hard links/);
    expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('original\n');
  }, T);

  it('a torn last line is repaired, not fatal: the run goes on and the log parses again', () => {
    const root = tmp();
    put(root, 'old.log', 'x', 10 * DAY);
    put(root, LOG, '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":1,"kept":2}}\n{"timestamp":"2025-1', 2 * DAY);
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/repaired the torn last line/);
    const lines = fs.readFileSync(path.join(root, LOG), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) JSON.parse(l);
    expect(fs.existsSync(path.join(root, 'old.log'))).toBe(false);
  }, T);

  it('a 40 MB log is read as a tail (bounded memory) and rotated past its limit', () => {
    const root = tmp();
    const line = '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":1,"kept":2},"pad":"' + 'p'.repeat(400) + '"}\n';
    fs.mkdirSync(path.join(root, 'rotation'));
    const fd = fs.openSync(path.join(root, LOG), 'w');
    const chunk = line.repeat(1000);
    for (let written = 0; written < 40 * 1024 * 1024; written += chunk.length) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(root, 'rotation/ROTATION_LOG.1.jsonl'))).toBe(true);
    expect(fs.readFileSync(path.join(root, LOG), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  }, T);
});

describe('protection and archives', () => {
  it('names with \\n, \\r and U+2028 are matched like any other: mm-bot rules keep, compress and protect them', () => {
    const root = tmp();
    put(root, 'soak\nrun1/ITER_SUMMARY_1.json', '{}', 10 * DAY);
    put(root, 'snapshots/s\n1.json', 'snapshot', 10 * DAY);
    put(root, 'snapshots/s\u20282.json', 'snapshot', 10 * DAY);
    const r = rotate(['--path', root, ...MM]);
    expect(r.status).toBe(0);
    // Newest 3 ITER_SUMMARY files are kept (rule 1), not deleted by the catch-all TTL.
    expect(fs.existsSync(path.join(root, 'soak\nrun1/ITER_SUMMARY_1.json'))).toBe(true);
    // Snapshots are compressed, not deleted.
    expect(fs.existsSync(path.join(root, 'snapshots/s\n1.json.tar.gz'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'snapshots/s\u20282.json.tar.gz'))).toBe(true);
  }, T);

  it('a stale archive holding an earlier version with the same size and mtime is never trusted', () => {
    const root = tmp();
    put(root, 'snapshots/f.json', 'version-1', 10 * DAY);
    expect(rotate(['--path', root, ...MM]).status).toBe(0);
    const stale = fs.readFileSync(path.join(root, 'snapshots/f.json.tar.gz'));
    put(root, 'snapshots/f.json', 'version-2', 10 * DAY);
    fs.writeFileSync(path.join(root, 'snapshots/f.json.tar.gz'), stale);
    const r = rotate(['--path', root, ...MM, '--verbose']);
    expect(r.stdout).toMatch(/already exists and is not an archive of this file/);
    expect(fs.readFileSync(path.join(root, 'snapshots/f.json'), 'utf8')).toBe('version-2');
  }, T);
});
