/**
 * `steward sentinel` end to end: spawns the real `bin/steward.mjs` on real files in a temp dir
 * (the seed's config, in JSON and in YAML) and checks the documented exit codes (0 all fresh,
 * 1 any stale / missing / future-dated, 64 bad usage or config naming line and column, 69 the
 * report could not be delivered), the --json shape, the newest glob match, symlinks leaving the
 * base, and the request --report-to sends to a local server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(HOME, 'bin/steward.mjs');
const T = 120_000;
const NOW = '2026-03-10T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const H = 3_600_000;
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-sentinel-')));

/** Writes `rel` under `dir` with an mtime `ageMs` before NOW (negative: in the future). */
function put(dir: string, rel: string, ageMs: number, content = '{}'): string {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = (NOW_MS - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
  return abs;
}

/** A fresh working directory (the default base is the current directory, as the seed runs it). */
function workdir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

const SEED_TASKS = [
  { name: 'nightly_tests', artifact: 'artifacts/reports/nightly_results.json', max_age: '36h' },
  { name: 'soak_metrics', artifact: 'artifacts/reports/soak_metrics.json', max_age: '7d' },
  { name: 'readiness_score', artifact: 'artifacts/reports/readiness.json', max_age: '24h' },
];
const json = (tasks: unknown[]) => `${JSON.stringify({ tasks }, null, 2)}\n`;
const yaml = (tasks: { name: string; artifact: string; max_age: string }[]) =>
  `# the seed's sentinel config, as YAML\ntasks:\n${tasks.map((t) => `  - name: ${t.name}\n    artifact: ${t.artifact}\n    max_age: ${t.max_age}\n`).join('')}`;

/** The seed's three artifacts, all fresh at NOW. */
function seedArtifacts(dir: string): void {
  put(dir, 'artifacts/reports/nightly_results.json', 2 * H);
  put(dir, 'artifacts/reports/soak_metrics.json', 3 * 24 * H);
  put(dir, 'artifacts/reports/readiness.json', 23 * H);
}

interface Run { status: number | null; stdout: string; stderr: string }

function steward(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.STEWARD_URL;
    delete env.STEWARD_TOKEN;
    const p = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? HOME, env: { ...env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Result { name: string; artifact: string; path: string | null; status: string; mtime: string | null; ageSeconds: number | null; maxAgeSeconds: number; reason: string }
interface Output { ok: boolean; exitCode: number; checkedAt: string; base: string; results: Result[]; report: unknown }
const parse = (r: Run) => JSON.parse(r.stdout) as Output;
const byName = (o: Output) => Object.fromEntries(o.results.map((r) => [r.name, r]));

let server: http.Server;
let base = '';
let received: { method: string; url: string; auth: string | undefined; type: string | undefined; body: Record<string, unknown> }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { checks: [] } };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(body || '{}') });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('steward sentinel: exit codes on real files', () => {
  it('the seed config, JSON and YAML, all fresh: exit 0 and a table naming every task; paths are relative to the current directory', { timeout: T }, async () => {
    const d = workdir('fresh');
    seedArtifacts(d);
    fs.mkdirSync(path.join(d, 'deploy/cron'), { recursive: true });
    fs.writeFileSync(path.join(d, 'deploy/cron/sentinel.json'), json(SEED_TASKS));
    fs.writeFileSync(path.join(d, 'deploy/cron/sentinel.yaml'), yaml(SEED_TASKS));
    const [j, y] = await Promise.all([
      steward(['sentinel', '--config', 'deploy/cron/sentinel.json', '--now', NOW], { cwd: d }),
      steward(['sentinel', '--config', 'deploy/cron/sentinel.yaml', '--now', NOW], { cwd: d }),
    ]);
    for (const r of [j, y]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const t of SEED_TASKS) expect(r.stdout).toContain(t.name);
    }
    expect(y.stdout).toBe(j.stdout);
  });

  it('one stale, one missing, one future-dated: exit 1 each, and --json says which and why', { timeout: T }, async () => {
    const stale = workdir('stale');
    seedArtifacts(stale);
    put(stale, 'artifacts/reports/nightly_results.json', 36 * H + 1000); // 1 s past 36h
    const missing = workdir('missing');
    seedArtifacts(missing);
    fs.rmSync(path.join(missing, 'artifacts/reports/readiness.json'));
    const future = workdir('future');
    seedArtifacts(future);
    put(future, 'artifacts/reports/soak_metrics.json', -2 * H); // dated 2 h ahead
    for (const d of [stale, missing, future]) fs.writeFileSync(path.join(d, 'sentinel.yaml'), yaml(SEED_TASKS));
    const [s, m, f, sj, mj, fj] = await Promise.all([
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW], { cwd: stale }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW], { cwd: missing }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW], { cwd: future }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW, '--json'], { cwd: stale }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW, '--json'], { cwd: missing }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW, '--json'], { cwd: future }),
    ]);
    expect([s.status, m.status, f.status, sj.status, mj.status, fj.status]).toEqual([1, 1, 1, 1, 1, 1]);
    const st = byName(parse(sj));
    expect(st.nightly_tests).toMatchObject({ status: 'stale', ageSeconds: 36 * 3600 + 1, maxAgeSeconds: 36 * 3600, path: 'artifacts/reports/nightly_results.json' });
    expect(st.soak_metrics!.status).toBe('fresh');
    const mi = byName(parse(mj));
    expect(mi.readiness_score).toMatchObject({ status: 'missing', path: null, mtime: null, ageSeconds: null });
    expect(mi.readiness_score!.reason).toMatch(/does not exist/);
    const fu = byName(parse(fj));
    expect(fu.soak_metrics).toMatchObject({ status: 'future', ageSeconds: -2 * 3600, mtime: new Date(NOW_MS + 2 * H).toISOString() });
    expect(parse(fj)).toMatchObject({ ok: false, exitCode: 1 });
    // The table says it too, in words.
    expect(s.stdout).toMatch(/nightly_tests[^\n]*stale/i);
    expect(m.stdout).toMatch(/readiness_score[^\n]*missing/i);
    expect(f.stdout).toMatch(/soak_metrics[^\n]*future/i);
  });

  it('--json prints one object of the documented shape', { timeout: T }, async () => {
    const d = workdir('shape');
    seedArtifacts(d);
    fs.writeFileSync(path.join(d, 'sentinel.json'), json(SEED_TASKS));
    const r = await steward(['--json', 'sentinel', '--config', path.join(d, 'sentinel.json'), '--base', d, '--now', NOW]);
    expect(r.status).toBe(0);
    const o = parse(r);
    expect(Object.keys(o).sort()).toEqual(['base', 'checkedAt', 'exitCode', 'ok', 'report', 'results']);
    expect(o).toMatchObject({ ok: true, exitCode: 0, checkedAt: NOW, base: d, report: null });
    expect(o.results.map((x) => x.name)).toEqual(SEED_TASKS.map((t) => t.name));
    expect(o.results[0]).toEqual({
      name: 'nightly_tests', artifact: 'artifacts/reports/nightly_results.json', path: 'artifacts/reports/nightly_results.json', status: 'fresh',
      mtime: new Date(NOW_MS - 2 * H).toISOString(), ageSeconds: 7200, maxAgeSeconds: 36 * 3600, reason: expect.stringMatching(/2h/),
    });
  });

  it('a glob in the last segment judges the newest matching regular file', { timeout: T }, async () => {
    const d = workdir('glob');
    put(d, 'reports/nightly_2026-03-07.json', 3 * 24 * H);
    put(d, 'reports/nightly_2026-03-09.json', 20 * H);
    put(d, 'reports/nightly_2026-03-08.json', 2 * 24 * H);
    put(d, 'reports/other_2026-03-10.json', 1 * H); // newest, but does not match
    fs.mkdirSync(path.join(d, 'reports/nightly_dir.json')); // a directory never matches
    const tasks = [{ name: 'nightly', artifact: 'reports/nightly_*.json', max_age: '24h' }, { name: 'strict', artifact: 'reports/nightly_*.json', max_age: '12h' }, { name: 'none', artifact: 'reports/weekly_*.json', max_age: '7d' }];
    fs.writeFileSync(path.join(d, 'sentinel.json'), json(tasks));
    const r = await steward(['sentinel', '--config', path.join(d, 'sentinel.json'), '--base', d, '--now', NOW, '--json']);
    expect(r.status).toBe(1);
    const o = byName(parse(r));
    expect(o.nightly).toMatchObject({ status: 'fresh', path: 'reports/nightly_2026-03-09.json', ageSeconds: 20 * 3600 });
    expect(o.strict).toMatchObject({ status: 'stale', path: 'reports/nightly_2026-03-09.json' });
    expect(o.none).toMatchObject({ status: 'missing', path: null });
    expect(o.none!.reason).toMatch(/no .*match/i);
  });

  it('a symlink inside the base is followed; one leaving the base is refused (missing, "outside base") even when its target is fresh', { timeout: T }, async () => {
    const d = workdir('links/base');
    const outside = put(path.join(tmp, 'links'), 'outside/secret.json', 1 * H);
    put(d, 'reports/real.json', 1 * H);
    fs.symlinkSync('real.json', path.join(d, 'reports/latest.json'));
    fs.symlinkSync(outside, path.join(d, 'reports/escape.json'));
    fs.symlinkSync(path.dirname(outside), path.join(d, 'outdir'));
    put(d, 'reports/x_old.json', 48 * H);
    fs.symlinkSync(outside, path.join(d, 'reports/x_new.json')); // the newest "match" is outside: skipped
    const tasks = [
      { name: 'inside', artifact: 'reports/latest.json', max_age: '24h' },
      { name: 'escape', artifact: 'reports/escape.json', max_age: '24h' },
      { name: 'escape_dir', artifact: 'outdir/secret.json', max_age: '24h' },
      { name: 'dotdot', artifact: '../outside/secret.json', max_age: '24h' },
      { name: 'glob', artifact: 'reports/x_*.json', max_age: '24h' },
    ];
    fs.writeFileSync(path.join(d, 'sentinel.json'), json(tasks));
    const r = await steward(['sentinel', '--config', 'sentinel.json', '--now', NOW, '--json'], { cwd: d });
    expect(r.status).toBe(1);
    const o = byName(parse(r));
    expect(o.inside).toMatchObject({ status: 'fresh', path: 'reports/latest.json' });
    for (const n of ['escape', 'escape_dir', 'dotdot']) {
      expect(o[n]).toMatchObject({ status: 'missing', mtime: null, ageSeconds: null });
      expect(o[n]!.reason).toMatch(/outside base/);
    }
    expect(o.glob).toMatchObject({ status: 'stale', path: 'reports/x_old.json' });
  });
});

describe('steward sentinel: bad usage and config', () => {
  it('a bad config exits 64 naming the file, line and column and the field; so do bad flags, with nothing checked', { timeout: T }, async () => {
    const d = workdir('bad');
    fs.writeFileSync(path.join(d, 'bad.yaml'), 'tasks:\n  - name: nightly\n    artifact: reports/a.json\n    max_age: 36x\n');
    fs.writeFileSync(path.join(d, 'broken.json'), '{"tasks": [\n  {"name": "a", "artifact": "x", "max_age": "1h"},\n  oops\n]}\n');
    fs.writeFileSync(path.join(d, 'latin1.yaml'), Buffer.concat([Buffer.from('tasks:\n  - name: "caf'), Buffer.from([0xe9]), Buffer.from('"\n    artifact: x\n    max_age: 1h\n')]));
    const latin1 = await steward(['sentinel', '--config', 'latin1.yaml'], { cwd: d });
    expect([latin1.status, latin1.stderr.trim()]).toEqual([64, 'steward: latin1.yaml line 2: not valid UTF-8']);
    const [y, j, none, noFile, badNow, noToken] = await Promise.all([
      steward(['sentinel', '--config', 'bad.yaml'], { cwd: d }),
      steward(['sentinel', '--config', 'broken.json'], { cwd: d }),
      steward(['sentinel'], { cwd: d }),
      steward(['sentinel', '--config', 'nope.yaml'], { cwd: d }),
      steward(['sentinel', '--config', 'bad.yaml', '--now', 'yesterday'], { cwd: d }),
      steward(['sentinel', '--config', 'bad.yaml', '--report-to', base], { cwd: d }),
    ]);
    expect(y.status).toBe(64);
    expect(y.stderr).toMatch(/bad\.yaml line 4, column \d+: tasks\[0\]\.max_age: .*36x/);
    expect(j.status).toBe(64);
    expect(j.stderr).toMatch(/broken\.json line 3, column \d+: /);
    expect(none.status).toBe(64);
    expect(none.stderr).toMatch(/--config/);
    expect(noFile.status).toBe(64);
    expect(noFile.stderr).toMatch(/nope\.yaml: no such file/);
    expect(badNow.status).toBe(64);
    expect(badNow.stderr).toMatch(/--now/);
    expect(noToken.status).toBe(64);
    expect(noToken.stderr).toMatch(/token/);
    expect(received).toEqual([]);
  });
});

describe('steward sentinel --report-to', () => {
  it('POSTs the results to /api/v1/sentinel-reports with the token, and still exits on the verdict', { timeout: T }, async () => {
    const d = workdir('report');
    seedArtifacts(d);
    put(d, 'artifacts/reports/readiness.json', 25 * H); // stale
    fs.writeFileSync(path.join(d, 'sentinel.yaml'), yaml(SEED_TASKS));
    received = [];
    answer = { status: 200, body: { checks: SEED_TASKS.map((t, i) => ({ name: t.name, id: `c${i}`, created: i === 0, state: i === 2 ? 'down' : 'up', freshness: i === 2 ? 'stale' : 'fresh' })) } };
    const [r, env] = await Promise.all([
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW, '--json', '--report-to', base, '--token', 'stw_flag', '--source', 'runner-7'], { cwd: d }),
      steward(['sentinel', '--config', 'sentinel.yaml', '--now', NOW, '--report-to'], { cwd: d, env: { STEWARD_URL: `${base}/`, STEWARD_TOKEN: 'stw_env' } }),
    ]);
    expect(r.status).toBe(1);
    expect(env.status).toBe(1);
    expect(received).toHaveLength(2);
    const flag = received.find((x) => x.auth === 'Bearer stw_flag')!;
    const fromEnv = received.find((x) => x.auth === 'Bearer stw_env')!;
    expect(flag).toMatchObject({ method: 'POST', url: '/api/v1/sentinel-reports', type: 'application/json' });
    expect(fromEnv.url).toBe('/api/v1/sentinel-reports');
    const o = parse(r);
    // The body is exactly the printed results, with the source.
    expect(flag.body).toEqual({ source: 'runner-7', results: o.results });
    expect(typeof fromEnv.body.source).toBe('string');
    expect(o.report).toMatchObject({ ok: true, url: `${base}/api/v1/sentinel-reports`, checks: [{ name: 'nightly_tests', created: true }, {}, { state: 'down' }] });
    expect(env.stderr).toMatch(/reported 3 task\(s\)/);
  });

  it('a failing or unreachable server exits 69 after printing the results; a stale artifact still exits 1', { timeout: T }, async () => {
    const d = workdir('report-fail');
    seedArtifacts(d);
    fs.writeFileSync(path.join(d, 'ok.yaml'), yaml(SEED_TASKS));
    fs.writeFileSync(path.join(d, 'stale.yaml'), yaml([{ name: 'x', artifact: 'artifacts/reports/readiness.json', max_age: '1h' }]));
    answer = { status: 500, body: { error: { message: 'database down' } } };
    const [five, refused, down, staleDown] = await Promise.all([
      steward(['sentinel', '--config', 'ok.yaml', '--now', NOW, '--report-to', base, '--token', 't'], { cwd: d }),
      steward(['sentinel', '--config', 'ok.yaml', '--now', NOW, '--json', '--report-to', base, '--token', 't'], { cwd: d }),
      steward(['sentinel', '--config', 'ok.yaml', '--now', NOW, '--report-to', 'http://127.0.0.1:9', '--token', 't'], { cwd: d }),
      steward(['sentinel', '--config', 'stale.yaml', '--now', NOW, '--report-to', 'http://127.0.0.1:9', '--token', 't'], { cwd: d }),
    ]);
    expect(five.status).toBe(69);
    expect(five.stdout).toContain('nightly_tests');
    expect(five.stderr).toMatch(/500: database down/);
    expect(refused.status).toBe(69);
    expect(parse(refused)).toMatchObject({ ok: false, exitCode: 69, report: { ok: false, status: 500 } });
    expect(parse(refused).results).toHaveLength(3);
    expect(down.status).toBe(69);
    expect(down.stderr).toMatch(/cannot reach/);
    expect(staleDown.status).toBe(1);
    expect(staleDown.stderr).toMatch(/cannot reach/);
  });
});
