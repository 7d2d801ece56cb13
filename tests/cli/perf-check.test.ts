/**
 * `steward perf check|report` end to end on the CLI side: spawns the real `bin/steward.mjs`
 * against a local HTTP server that records the request and answers verdicts, and checks the
 * documented exit codes (0 / 1 / 2 with --fail-on-warn / 64 / 65 / 69), the request body (CI
 * variables, testbed, one-run budgets) and the Markdown summary. The verdicts themselves are the
 * service's (tests/integration/perf-ingest.int.test.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerfMetricVerdict, PerfRunResult } from '@/lib/services/perf/run-result';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const T = 60_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-perf-'));
let server: http.Server;
let base = '';
let answer: { status: number; body: unknown } = { status: 201, body: {} };
let received: { url: string; auth: string | undefined; body: Record<string, unknown> } | null = null;

const metric = (over: Partial<PerfMetricVerdict>): PerfMetricVerdict => ({
  name: 'verify', measure: 'latency', unit: 'ms', direction: 'smaller', value: 7.5, valueKind: 'p95-reported', n: null, budget: { limit: 8, status: 'pass' }, baseline: { version: 2, value: 6 }, regression: { status: 'ok', worsePct: 2, pValue: 0.4, noiseFloorPct: 3.1, reason: '+2.0 %, within the 5 % threshold' }, ...over,
});
const result = (status: PerfRunResult['status'], metrics: PerfMetricVerdict[]): PerfRunResult => ({
  id: 'r1', duplicate: false, project: 'hologram', profile: 'pr', branch: 'feat/x', baseBranch: 'main', commit: 'abcdef1234567', testbed: 'gha-4c', at: '2026-12-01T00:00:00.000Z', status, files: [], metrics, warnings: [],
});

function steward(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(childEnv)) if (/^(GITHUB_|GITLAB_|CI_|JENKINS_|BUILDKITE|CIRCLE|SLO_|STEWARD_URL|STEWARD_TOKEN)/.test(k)) delete childEnv[k];
    Object.assign(childEnv, { NO_COLOR: '1' }, env);
    const p = spawn(process.execPath, ['bin/steward.mjs', ...args], { cwd: HOME, env: childEnv });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const file = path.join(tmp, 'baseline.json');
beforeAll(async () => {
  fs.writeFileSync(file, JSON.stringify({ verify_p95_ms: 7.5, encode_p95_ms: 70 }));
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received = { url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body || '{}') };
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

const check = (extra: string[] = [], env: Record<string, string> = {}) => steward(['perf', 'check', file, '--project', 'hologram', '--server', base, '--token', 'stw_x', ...extra], env);

describe('steward perf check', () => {
  it('passes (0), sends the CI run, the testbed and one-run budgets, and writes Markdown', { timeout: T }, async () => {
    answer = { status: 201, body: result('pass', [metric({})]) };
    const md = path.join(tmp, 'summary.md');
    const r = await check(['--testbed', 'runner=gha-4c', '--budget', 'encode=1000', '--markdown', md], { GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abcdef1234567', GITHUB_HEAD_REF: 'feat/x', GITHUB_RUN_ID: '42', GITHUB_REPOSITORY: 'o/r', SLO_VERIFY_P95_MS: '15' });
    expect(r.status).toBe(0);
    expect(received!.url).toBe('/api/v1/perf-results');
    expect(received!.auth).toBe('Bearer stw_x');
    expect(received!.body).toMatchObject({ project: 'hologram', profile: 'pr', branch: 'feat/x', baseBranch: 'main', commit: 'abcdef1234567', ciRunId: '42', budgets: { encode: 1000 }, format: 'auto' });
    expect((received!.body.testbed as Record<string, string>).runner).toBe('gha-4c');
    expect((received!.body.testbed as Record<string, string>).cores).toBe(String(os.cpus().length));
    expect((received!.body.files as { name: string }[]).map((f) => f.name)).toEqual(['baseline.json']);
    expect(r.stdout).toMatch(/verify\s+7\.50 ms p95\s+8\.00 ms\s+6\.00 ms \(v2\)\s+\+2\.0 %\s+±3\.1 %\s+ok/);
    expect(fs.readFileSync(md, 'utf8')).toMatch(/^### ✅ Performance: pass — hologram · pr · feat/);
  });
  it('--budgets-from-env sends the seed variables as this run\'s budgets', { timeout: T }, async () => {
    answer = { status: 201, body: result('pass', [metric({})]) };
    await check(['--budgets-from-env', '--no-auto-testbed'], { SLO_VERIFY_P95_MS: '1000', SLO_GQL_P95_MS: '1000' });
    expect(received!.body.budgets).toEqual({ verify: 1000, gql: 1000 });
    expect(received!.body.testbed).toEqual({});
  });
  it('a failed budget or confirmed regression exits 1; a warning exits 0, or 2 with --fail-on-warn', { timeout: 2 * T }, async () => {
    answer = { status: 201, body: result('fail', [metric({ budget: { limit: 8, status: 'fail' }, value: 9 })]) };
    const failed = await check();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/FAIL \(budget\)/);
    answer = { status: 201, body: result('warn', [metric({ regression: { status: 'suspect', worsePct: 14, pValue: 0.001, noiseFloorPct: 3, reason: '+14.0 %, over the 10 % threshold (p = 0.001); fails if one of the next 3 runs (or a rerun) is also worse by more than 5 %' } })]) };
    expect((await check()).status).toBe(0);
    const strict = await check(['--fail-on-warn']);
    expect(strict.status).toBe(2);
    expect(strict.stdout).toMatch(/suspect \(rerun to confirm\)/);
  });
  it('a rejected run exits 65 with the server\'s message; an unreachable server exits 69; bad usage 64', { timeout: 2 * T }, async () => {
    answer = { status: 400, body: { error: { code: 'invalid', message: 'files[0]: baseline.json: is JSON of an unknown shape' } } };
    const rejected = await check();
    expect(rejected.status).toBe(65);
    expect(rejected.stderr).toMatch(/upload refused: 400: files\[0\]: baseline\.json: is JSON of an unknown shape/);
    const down = await steward(['perf', 'check', file, '--project', 'hologram', '--server', 'http://127.0.0.1:9', '--token', 't']);
    expect(down.status).toBe(69);
    expect(down.stderr).toMatch(/unreachable: nothing was checked/);
    expect((await steward(['perf', 'check', file, '--server', base, '--token', 't'])).status).toBe(64);
  });
  it('Markdown escapes hostile benchmark names', { timeout: T }, async () => {
    answer = { status: 201, body: result('pass', [metric({ name: '<img src=x> | @channel [x](javascript:1)' })]) };
    const md = path.join(tmp, 'hostile.md');
    await check(['--markdown', md]);
    const text = fs.readFileSync(md, 'utf8');
    expect(text).toContain('&lt;img src=x&gt; \\| \\@channel \\[x\\]\\(javascript:1\\)');
    expect(text).not.toContain('<img');
  });
});

describe('steward perf check --dry-run', () => {
  it('parses locally, sends nothing; a bad file exits 65 naming the field', { timeout: T }, async () => {
    received = null;
    const ok = await steward(['--json', 'perf', 'check', '--dry-run', file]);
    expect(ok.status).toBe(0);
    const out = JSON.parse(ok.stdout) as { files: { format: string; metrics: { name: string; value: number }[] }[] };
    expect(out.files[0]!.format).toBe('seed');
    expect(out.files[0]!.metrics.map((m) => [m.name, m.value])).toEqual([['verify', 7.5], ['encode', 70]]);
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"verify": {"p95_ms": "x"}}');
    const r = await steward(['perf', 'check', '--dry-run', '--format', 'seed', bad]);
    expect(r.status).toBe(65);
    expect(r.stdout).toMatch(/bad\.json: REJECTED: bad\.json: verify\.p95_ms: is not a number of milliseconds/);
    expect(received).toBeNull();
  });
});
