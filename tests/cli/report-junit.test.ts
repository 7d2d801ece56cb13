/**
 * `steward report junit --dry-run` end to end: spawns the real `bin/steward.mjs` on fixture files
 * and temp files, and checks the documented JSON shape (README "Flaky tests: checking JUnit
 * files"), the exit codes and gzip reading. Each spawn costs ~1.5 s (tsx startup).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const FIX = 'lib/engine/flaky/junit/fixtures';
const T = 60_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-junit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function steward(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/steward.mjs', ...args], { cwd: HOME, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const zero = { tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0, attempts: 0 };

describe('steward report junit --dry-run', () => {
  it('prints one JSON object with totals and per-file counts; a gzip file is read transparently', { timeout: T }, () => {
    const gz = path.join(tmp, 'pytest.xml.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(path.join(HOME, FIX, 'pytest-xunit2.xml'))));
    const noExt = path.join(tmp, 'surefire-report');
    fs.writeFileSync(noExt, zlib.gzipSync(fs.readFileSync(path.join(HOME, FIX, 'surefire.xml'))));
    const r = steward(['report', 'junit', '--dry-run', '--json', `${FIX}/gotestsum.xml`, gz, noExt]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      totals: { tests: 16, passed: 4, failed: 3, errors: 4, skipped: 3, flaky: 2, attempts: 22 },
      files: [
        { file: `${FIX}/gotestsum.xml`, format: 'junit', producer: 'gotestsum', tests: 3, passed: 1, failed: 1, errors: 0, skipped: 0, flaky: 1, attempts: 5, warnings: [], error: null },
        { file: gz, format: 'junit', producer: 'pytest', tests: 8, passed: 2, failed: 2, errors: 2, skipped: 2, flaky: 0, attempts: 8, warnings: [], error: null },
        { file: noExt, format: 'junit', producer: 'surefire', tests: 5, passed: 1, failed: 0, errors: 2, skipped: 1, flaky: 1, attempts: 9, warnings: [], error: null },
      ],
    });
  });

  it('exits 1 and names file, line and column of a bad file; other files still count; warnings listed', { timeout: T }, () => {
    const bad = path.join(tmp, 'bad.xml');
    fs.writeFileSync(bad, '<testsuite name="s">\n  <testcase name="a">\n    <failure message="x">\n</testsuite>\n');
    const warn = path.join(tmp, 'warn.xml');
    fs.writeFileSync(warn, '<testsuite name="s">\n<testcase name="a" time="-1"/>\n</testsuite>\n');
    const r = steward(['report', 'junit', '--dry-run', '--json', bad, warn, path.join(tmp, 'missing.xml'), `${tmp}/none-*.xml`]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.totals).toEqual({ ...zero, tests: 1, passed: 1, attempts: 1 });
    expect(out.files).toEqual([
      { file: bad, format: null, producer: null, ...zero, warnings: [], error: { file: bad, line: 4, column: 12, message: 'unexpected close tag.' } },
      { file: warn, format: 'junit', producer: 'unknown', ...zero, tests: 1, passed: 1, attempts: 1, warnings: [{ line: 2, message: 'negative time "-1" ignored' }], error: null },
      { file: path.join(tmp, 'missing.xml'), format: null, producer: null, ...zero, warnings: [], error: { file: path.join(tmp, 'missing.xml'), line: null, column: null, message: 'no such file' } },
      { file: `${tmp}/none-*.xml`, format: null, producer: null, ...zero, warnings: [], error: { file: `${tmp}/none-*.xml`, line: null, column: null, message: 'no file matches this pattern' } },
    ]);
  });

  it('expands a quoted glob itself; an upload without --project is a usage error', { timeout: T }, () => {
    const human = steward(['report', 'junit', '--dry-run', `${FIX}/mocha-*.xml`]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('mocha-junit-reporter.xml');
    expect(human.stdout).toMatch(/^total\s+6\s+2\s+2\s+0\s+2\s+0\s+6$/m);
    const upload = steward(['report', 'junit', `${FIX}/vitest.xml`]);
    expect(upload.status).toBe(64);
    expect(upload.stderr).toContain('--project <key> is required to upload (or use --dry-run)');
  });
});
