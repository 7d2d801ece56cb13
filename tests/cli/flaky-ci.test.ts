/**
 * The CI side of flaky tests, end to end through the real `bin/steward.mjs` against a local HTTP
 * server that plays Steward's API (its replies have the API's shapes): `report junit` uploads with
 * the CI's environment, `quarantine check` and `steward test` decide exit codes with the server up
 * and down. The real server's side of the same flow is in e2e/flaky.spec.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeIdentity } from '@/lib/engine/flaky/junit';
import { junitXml } from '../support/junit-xml';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
const T = 60_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-flaky-ci-'));

interface Seen { method: string; url: string; auth: string | undefined; type: string | undefined; body: Buffer }
let seen: Seen[] = [];
let reply: (s: Seen) => { status: number; body: unknown } = () => ({ status: 500, body: {} });
let server: http.Server;
let url = '';
/** A port nothing listens on (a server opened and closed again). */
let deadUrl = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body: Buffer.concat(chunks) };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dead = http.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
  await new Promise((r) => dead.close(r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  seen = [];
});

/** Runs the CLI without blocking this process (the fake server lives in it). */
function steward(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/steward.mjs', ...args], { cwd: HOME, env: { ...process.env, NO_COLOR: '1', STEWARD_URL: '', STEWARD_TOKEN: '', GITHUB_ACTIONS: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const key = (name: string, classname = 'pkg.Suite') => makeIdentity({ suites: ['suite'], classname, name, file: null }).key;
const ingestReply = (failing: { name: string; quarantined: boolean; synthetic?: boolean }[]) => ({
  project: 'web', uploads: [], totals: { tests: 3, passed: 1, failed: failing.length, errors: 0, skipped: 0, flaky: 0, attempts: 3 },
  evaluation: { evaluated: 0, quarantined: [], unquarantined: [], eligible: [], broken: [], recovered: [] },
  failing: failing.map((f) => ({ key: key(f.name), name: f.name, classname: 'pkg.Suite', quarantined: f.quarantined, synthetic: f.synthetic ?? false })), failingTotal: failing.length,
});
const write = (name: string, xml: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, xml);
  return p;
};

describe('steward report junit (upload)', () => {
  it('sends every file in one multipart request with the run read from GitHub Actions variables', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([]) });
    const a = write('a.xml', junitXml([{ name: 'one' }]));
    const b = write('b.xml', junitXml([{ name: 'two' }]));
    const r = await steward(['report', 'junit', a, b, '--project', 'web', '--server', url, '--token', 'stw_x'], {
      GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abc123', GITHUB_REF_NAME: 'main', GITHUB_RUN_ID: '77', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com', GITHUB_JOB: 'unit', GITHUB_RUN_ATTEMPT: '2',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(seen).toHaveLength(1);
    const s = seen[0]!;
    expect([s.method, s.url, s.auth]).toEqual(['POST', '/api/v1/test-results', 'Bearer stw_x']);
    expect(s.type).toMatch(/^multipart\/form-data; boundary=/);
    const body = s.body.toString('utf8');
    for (const [k, v] of [['project', 'web'], ['commit', 'abc123'], ['branch', 'main'], ['run_id', '77'], ['run_url', 'https://github.com/o/r/actions/runs/77'], ['job', 'unit'], ['attempt', '2']]) {
      expect(body).toContain(`name="${k}"\r\n\r\n${v}\r\n`);
    }
    expect(body).toContain('filename="a.xml"');
    expect(body).toContain('filename="b.xml"');
  });

  it('a refused upload exits 1 naming the server\'s reason; no token is a usage error', { timeout: T }, async () => {
    reply = () => ({ status: 400, body: { error: { code: 'invalid', message: 'Rejected, nothing stored: a.xml:3:1: unexpected close tag.' } } });
    const a = write('c.xml', junitXml([{ name: 'one' }]));
    const r = await steward(['report', 'junit', a, '--project', 'web', '--server', url, '--token', 'stw_x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('upload failed: 400: Rejected, nothing stored: a.xml:3:1: unexpected close tag.');
    const n = await steward(['report', 'junit', a, '--project', 'web', '--server', url]);
    expect(n.status).toBe(64);
    expect(n.stderr).toContain('no token: pass --token or set STEWARD_TOKEN');
  });
});

describe('checkout root', () => {
  const php = (dir: string) => write('php.xml', `<testsuites><testsuite name="suite"><testcase name="wobbly" classname="pkg.Suite" file="${dir}/tests/W.php"><failure message="x"/></testcase></testsuite></testsuites>`);

  it('report junit sends the CI workspace as root, --root overrides it, and without either the working directory', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([]) });
    const f = php('/w');
    const field = () => /name="root"\r\n\r\n([^\r]*)\r\n/.exec(seen.at(-1)!.body.toString('utf8'))?.[1];
    await steward(['report', 'junit', f, '--project', 'web', '--server', url, '--token', 'stw_x'], { JENKINS_URL: 'http://j', WORKSPACE: '/var/lib/jenkins/workspace/app@2' });
    expect(field()).toBe('/var/lib/jenkins/workspace/app@2');
    await steward(['report', 'junit', f, '--project', 'web', '--server', url, '--token', 'stw_x', '--root', '/src/app'], { WORKSPACE: '/var/lib/jenkins/workspace/app@2' });
    expect(field()).toBe('/src/app');
    await steward(['report', 'junit', f, '--project', 'web', '--server', url, '--token', 'stw_x', '--root', 'sub/..'], { WORKSPACE: '' });
    expect(field()).toBe(HOME.replace(/\/$/, '')); // relative to the working directory
    await steward(['report', 'junit', f, '--project', 'web', '--server', url, '--token', 'stw_x'], { WORKSPACE: '', GITHUB_WORKSPACE: '', CI_PROJECT_DIR: '', BUILDKITE_BUILD_CHECKOUT_PATH: '', CIRCLE_WORKING_DIRECTORY: '' });
    expect(field()).toBe(HOME.replace(/\/$/, ''));
  });

  it('quarantine check compares paths relative to the workspace, as the server stores them', { timeout: T }, async () => {
    const relative = makeIdentity({ suites: ['suite'], classname: 'pkg.Suite', name: 'wobbly', file: 'tests/W.php' }).key;
    reply = () => ({ status: 200, body: { tests: [{ id: 'w', key: relative, name: 'wobbly', classname: 'pkg.Suite' }] } });
    const f = php('/home/runner/work/app/app');
    const green = await steward(['quarantine', 'check', f, '--project', 'web', '--server', url, '--token', 'stw_r'], { GITHUB_WORKSPACE: '/home/runner/work/app/app' });
    expect(green.stdout).toContain('ignored (quarantined): pkg.Suite › wobbly');
    expect(green.status).toBe(0);
    // Another checkout root: the absolute path is another test, not on the list.
    const red = await steward(['quarantine', 'check', f, '--project', 'web', '--server', url, '--token', 'stw_r', '--root', '/elsewhere']);
    expect(red.status).toBe(1);
  });
});

describe('steward quarantine check', () => {
  const results = () => write('check.xml', junitXml([{ name: 'ok' }, { name: 'wobbly', attempts: ['fail'] }]));
  const list = (names: string[]) => () => ({ status: 200, body: { tests: names.map((n) => ({ id: n, key: key(n), name: n, classname: 'pkg.Suite' })) } });

  it('exit 0 when every failure is quarantined, printing what it ignored', { timeout: T }, async () => {
    reply = list(['wobbly']);
    const r = await steward(['quarantine', 'check', results(), '--project', 'web', '--server', url, '--token', 'stw_r']);
    expect(seen.map((s) => [s.method, s.url])).toEqual([['GET', '/api/v1/projects/web/quarantine?format=json']]);
    expect(r.stdout).toContain('ignored (quarantined): pkg.Suite › wobbly');
    expect(r.status).toBe(0);
  });
  it('exit 1 when a failure is not quarantined', { timeout: T }, async () => {
    reply = list(['other']);
    const r = await steward(['quarantine', 'check', results(), '--project', 'web', '--server', url, '--token', 'stw_r']);
    expect(r.stdout).toContain('failing: pkg.Suite › wobbly');
    expect(r.status).toBe(1);
  });
  it('server down: the list is taken as empty, said so, and the failure keeps it red', { timeout: T }, async () => {
    const r = await steward(['quarantine', 'check', results(), '--project', 'web', '--server', deadUrl, '--token', 'stw_r']);
    expect(r.stderr).toMatch(/warning: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; checking against an empty quarantine list/);
    expect(r.status).toBe(1);
  });
  it('a build error is never ignored, even when its name is on the list', { timeout: T }, async () => {
    reply = list(['[build failed]']);
    const f = write('build.xml', '<testsuites><testsuite name="pkg"><testcase name="[build failed]" classname="pkg.Suite"><failure message="build failed"/></testcase></testsuite></testsuites>');
    const r = await steward(['quarantine', 'check', f, '--project', 'web', '--server', url, '--token', 'stw_r']);
    expect(r.status).toBe(1);
  });
});

describe('steward test -- <command>', () => {
  const dir = path.join(tmp, 'run');
  const cmd = (exit: number, cases: Parameters<typeof junitXml>[0] | null) => {
    fs.mkdirSync(dir, { recursive: true });
    const script = path.join(tmp, `cmd-${Math.random().toString(36).slice(2)}.mjs`);
    fs.writeFileSync(script, `import fs from 'node:fs';\n${cases ? `fs.writeFileSync(${JSON.stringify(path.join(dir, 'junit.xml'))}, ${JSON.stringify(junitXml(cases))});\n` : ''}process.exit(${exit});\n`);
    return [process.execPath, script];
  };
  const base = (server = url) => ['test', '--project', 'web', '--junit', `${dir}/*.xml`, '--server', server, '--token', 'stw_i', '--'];

  it('a failing command whose only failure is quarantined exits 0', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([{ name: 'wobbly', quarantined: true }]) });
    const r = await steward([...base(), ...cmd(1, [{ name: 'ok' }, { name: 'wobbly', attempts: ['fail'] }])]);
    expect(r.stderr).toContain('green: 2 executed, 1 quarantined failure(s) ignored');
    expect(r.status).toBe(0);
  });
  it('a failure that is not quarantined keeps the command\'s exit code', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([{ name: 'wobbly', quarantined: false }]) });
    const r = await steward([...base(), ...cmd(3, [{ name: 'wobbly', attempts: ['fail'] }])]);
    expect(r.status).toBe(3);
  });
  it('server unreachable: keeps the command\'s own exit code and says so', { timeout: T }, async () => {
    const r = await steward([...base(deadUrl), ...cmd(1, [{ name: 'wobbly', attempts: ['fail'] }])]);
    expect(r.stderr).toMatch(/steward test: the server is unreachable \(cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\); keeping the command's exit code 1/);
    expect(r.status).toBe(1);
  });
  it('no JUnit file written by this run never turns green, even with an old file in place', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([]) });
    fs.mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'junit.xml');
    fs.writeFileSync(old, junitXml([{ name: 'ok' }]));
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(old, past, past);
    const r = await steward([...base(), ...cmd(2, null)]);
    expect(r.stderr).toContain('was written by this run; keeping the command\'s exit code 2');
    expect(r.status).toBe(2);
    expect(seen).toEqual([]);
  });
  it('a passing command stays 0 and still uploads', { timeout: T }, async () => {
    reply = () => ({ status: 201, body: ingestReply([]) });
    const r = await steward([...base(), ...cmd(0, [{ name: 'ok' }])]);
    expect(r.status).toBe(0);
    expect(seen.map((s) => s.url)).toEqual(['/api/v1/test-results']);
  });
});
