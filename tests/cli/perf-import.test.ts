/**
 * `steward perf import` end to end: the real `bin/steward.mjs` on an embedded database of its own,
 * with a data.js written to disk: imported, re-imported (nothing new), and the documented exit 64
 * for a missing file, a file that is not data.js and a suite that is not in it. What is stored is
 * tested against PostgreSQL in tests/integration/perf-history.int.test.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-perf-import-'));
const T = 300_000; // five processes, each opening (and the first migrating) an embedded database

function steward(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', STEWARD_DATA_DIR: path.join(tmp, 'db') };
    delete env.DATABASE_URL;
    const p = spawn(process.execPath, ['bin/steward.mjs', ...args], { cwd: HOME, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const entry = (sha: string, date: number, value: number) => ({ commit: { id: sha, message: 'm' }, date, tool: 'cargo', benches: [{ name: 'bench_fib_10', value, unit: 'ns/iter' }] });
const dataJs = path.join(tmp, 'data.js');
fs.writeFileSync(dataJs, `window.BENCHMARK_DATA = ${JSON.stringify({ lastUpdate: 1, repoUrl: 'x', entries: { 'Rust Benchmark': [entry('45d78258e495044a551046f50604da3c893052ce', Date.parse('2026-11-01T00:00:00Z'), 254), entry('b840614fd88743f234aac0dc747a0a70616f450f', Date.parse('2026-11-02T00:00:00Z'), 242)] } })};\n`);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('steward perf import', () => {
  it('imports a data.js once; again is "nothing new"; bad files exit 64 naming them', async () => {
    expect((await steward(['project', 'add', 'app'])).status).toBe(0);
    const first = await steward(['perf', 'import', dataJs, '--project', 'app']);
    expect([first.status, first.stdout.split('\n')[0]]).toEqual([0, 'Imported 2 of 2 "Rust Benchmark" entries into app (profile main, branch main, testbed github-action-benchmark), 2026-11-01 to 2026-11-02; 1 metric(s).']);
    const again = await steward(['--json', 'perf', 'import', dataJs, '--project', 'app']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ entries: 2, imported: 0, skipped: 2 });
    const missing = await steward(['perf', 'import', path.join(tmp, 'nope.js'), '--project', 'app']);
    expect([missing.status, missing.stderr.trim()]).toEqual([64, `steward: ${path.join(tmp, 'nope.js')}: no such file`]);
    fs.writeFileSync(path.join(tmp, 'bad.js'), '{"entries": {}}');
    const bad = await steward(['perf', 'import', path.join(tmp, 'bad.js'), '--project', 'app']);
    expect([bad.status, bad.stderr]).toEqual([64, expect.stringContaining('bad.js: line 1: does not start with "window.BENCHMARK_DATA ="')]);
  }, T);
});
