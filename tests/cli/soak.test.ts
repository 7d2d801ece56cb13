/**
 * `steward soak report`, `steward e2e summarize` and `steward chaos report` end to end: spawns the
 * real `bin/steward.mjs` on real files and checks the documented exit codes (0 pass, 1 a leak / a
 * failed criterion / a failed E2E run / a chaos scenario below target, 64 bad input naming line
 * and column, 69 server unreachable) and, with --report-to, the request sent to a local server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsJsonl, leakingRss, sawtoothRss, soakCsv, soakJsonl } from '../support/soak-series';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const T = 120_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-soak-'));
const at = (name: string, content: string) => { const p = path.join(tmp, name); fs.writeFileSync(p, content); return p; };
let server: http.Server;
let base = '';
let received: { url: string; auth: string | undefined; body: Record<string, unknown> } | null = null;
let answer: { status: number; body: unknown } = { status: 201, body: {} };

function steward(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.STEWARD_URL;
    delete env.STEWARD_TOKEN;
    const p = spawn(process.execPath, ['bin/steward.mjs', ...args], { cwd: HOME, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const leak = at('leak.csv', soakCsv({ rss: leakingRss }));
const saw = at('saw.jsonl', soakJsonl({ rss: sawtoothRss, everyMin: 2 }));
const cleanAudit = at('npm-audit.json', JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { total: 0 } } }));
const badCsv = at('bad.csv', 'timestamp,rss_mb,cpu_pct\n2026-11-30T00:00:00Z,100,3\n2026-11-30T00:05:00Z,abc,3\n');
const failing = at('events.jsonl', eventsJsonl('publish-install-use', ['publish', 'install', 'use'], 1));
const passing = at('events-ok.jsonl', eventsJsonl('publish-install-use', ['publish', 'install', 'use'], null));
const badEvents = at('events-bad.jsonl', '{"step":"publish","status":"ok"}\n{"step": "install", "status": "maybe"}\n{"step":"use","status":"ok"}\n');
const chaosXml = at('chaos.xml', `<testsuites><testsuite name="pytest"><testcase classname="tests.phase9_chaos.test_ipfs" name="test_ipfs_restart" time="4"/><testcase classname="tests.phase9_chaos.test_gql" name="test_gql_partition" time="2"><failure message="did not recover"/></testcase><testcase classname="tests.unit.test_x" name="test_x" time="1"><failure message="unrelated"/></testcase></testsuite></testsuites>`);

beforeAll(async () => {
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

describe('steward soak report', () => {
  it('a leaking run exits 1 and says LEAK; a sawtooth with a clean audit exits 0 (--json)', { timeout: T }, async () => {
    const [l, s] = await Promise.all([
      steward(['soak', 'report', leak, '--run', 'nightly-24h', '--crashes', '0', '--orphan-orders', '0']),
      steward(['--json', 'soak', 'report', saw, cleanAudit, '--run', 'gc', '--crashes', '0', '--orphan-orders', '0']),
    ]);
    expect(l.status).toBe(1);
    expect(l.stdout).toMatch(/^Soak run "nightly-24h": FAIL\nMemory leak: LEAK — Leak: RSS grows 4\d\.\d MB\/h \(95 % interval/);
    expect(l.stdout).toMatch(/FAIL {4}Memory growth/);
    expect(s.status).toBe(0);
    const j = JSON.parse(s.stdout) as { status: string; leak: { verdict: string }; criteria: { id: string; status: string }[] };
    expect(j.status).toBe('pass');
    expect(j.leak.verdict).toBe('no-leak');
    expect(j.criteria.every((c) => c.status === 'pass')).toBe(true);
  });

  it('bad input exits 64 naming the line and column; a missing file too', { timeout: T }, async () => {
    const [b, m] = await Promise.all([steward(['soak', 'report', badCsv, '--run', 'x']), steward(['soak', 'report', path.join(tmp, 'nope.csv'), '--run', 'x'])]);
    expect(b.status).toBe(64);
    expect(b.stderr).toContain('bad.csv: line 3, column "rss_mb": "abc" is not a number');
    expect(m.status).toBe(64);
    expect(m.stderr).toContain('nope.csv: no such file');
  });

  it('--report-to sends the files and prints the server verdicts; unreachable is 69', { timeout: T }, async () => {
    answer = { status: 201, body: { name: 'nightly-24h', status: 'fail', leak: { verdict: 'leak', reason: 'Leak: from the server' }, criteria: [{ id: 'memory_growth', status: 'fail', value: 45, unit: 'MB/h', target: '< 10', detail: '' }], warnings: [] } };
    const [r, down] = await Promise.all([
      steward(['soak', 'report', leak, '--run', 'nightly-24h', '--project', 'mm-bot', '--report-to', base, '--token', 'stw_x', '--run-key', 'gha-7', '--crashes', '0']),
      steward(['soak', 'report', leak, '--run', 'n', '--project', 'mm-bot', '--report-to', 'http://127.0.0.1:9', '--token', 'stw_x']),
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Memory leak: LEAK — Leak: from the server');
    expect(received!.url).toBe('/api/v1/soak-runs');
    expect(received!.auth).toBe('Bearer stw_x');
    expect(received!.body).toMatchObject({ project: 'mm-bot', runKey: 'gha-7', name: 'nightly-24h', crashes: 0 });
    expect((received!.body.files as { name: string; content: string }[])[0]!.name).toBe('leak.csv');
    expect(down.status).toBe(69);
  });
});

describe('steward e2e summarize / chaos report', () => {
  it('prints the last successful step, the failing step and its error (exit 1); a passing log exits 0; a bad line 64 with its number', { timeout: T }, async () => {
    const [f, p, b] = await Promise.all([steward(['e2e', 'summarize', failing]), steward(['e2e', 'summarize', passing]), steward(['e2e', 'summarize', badEvents])]);
    expect(f.status).toBe(1);
    expect(f.stdout).toBe('E2E publish-install-use: FAIL — 1/2 step(s) ok\n  last successful step: publish\n  failing step: install\n  error: step install exited 1: connection refused\n');
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('last successful step: use');
    expect(b.status).toBe(64);
    expect(b.stderr).toContain('events-bad.jsonl:2: "status" must be start, ok or fail');
  });

  it('chaos JUnit with the default tag: only the chaos cases, a failed scenario exits 1', { timeout: T }, async () => {
    const r = await steward(['--json', 'chaos', 'report', chaosXml]);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { scenarios: { scenario: string; successRate: number; successOk: boolean }[] };
    expect(j.scenarios.map((s) => [s.scenario, s.successRate, s.successOk])).toEqual([['test_ipfs_restart', 1, true], ['test_gql_partition', 0, false]]);
  });
});
