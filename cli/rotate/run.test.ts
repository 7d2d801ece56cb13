/**
 * runRotate in-process (tests/cli/rotate.test.ts spawns the real command; these cases need no
 * process and run in milliseconds): the rotation log is protected whatever policy is given, and a
 * failed --report-to is a warning that names its cause.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRotate } from './run';

const DAY = 86_400_000;
// The per-file recheck uses the real clock (quiet period), so ages are relative to it.
const NOW = new Date();
const LOG = 'rotation/ROTATION_LOG.jsonl';
const SEED_LINE = '{"timestamp":"2025-10-15T12:34:56Z","rotation":{"deleted":50,"kept":100},"compression":{"compressed":5,"total_reduction_kb":1234.5},"disk_usage":{"size_mb":456.78,"within_limit":true}}';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-run-')));
  temps.push(d);
  return d;
}
function put(root: string, rel: string, content: string, ageMs: number): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = new Date(NOW.getTime() - ageMs);
  fs.utimesSync(abs, t, t);
}
const files = (root: string) => (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();

/** A tree whose old rotation log and old data file both fall under a delete-everything rule. */
function treeWithOldLog(): string {
  const root = tmp();
  put(root, LOG, `${SEED_LINE}\n`, 30 * DAY);
  put(root, 'rotation/other.jsonl', 'x', 30 * DAY);
  put(root, 'data.bin', 'x'.repeat(10), 30 * DAY);
  return root;
}

describe('runRotate protects rotation/ROTATION_LOG.jsonl under any policy', () => {
  it('a --policy file with a catch-all TTL: the old log is kept (and appended to), everything else deleted', async () => {
    const root = treeWithOldLog();
    const policy = path.join(tmp(), 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ rules: [{ id: 'all', match: '**', ttl: '1d' }] }));
    const lines: string[] = [];
    const r = await runRotate({ path: root, policy, verbose: true }, (l) => lines.push(l), NOW);
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => [x.path, x.status])).toEqual([['data.bin', 'done'], ['rotation/other.jsonl', 'done']]);
    expect(files(root)).toEqual([LOG]);
    const log = fs.readFileSync(path.join(root, LOG), 'utf8').split('\n').filter(Boolean);
    expect(log).toHaveLength(2);
    expect(log[0]).toBe(SEED_LINE);
    expect(JSON.parse(log[1]!)).toMatchObject({ rotation: { deleted: 2, kept: 1 } });
  });

  it('a donna --config whose "rotation" data type has a 1-second TTL still keeps the log', async () => {
    const root = treeWithOldLog();
    const config = path.join(tmp(), 'retention.json');
    fs.writeFileSync(config, JSON.stringify({ rotation: 1 }));
    const r = await runRotate({ path: root, config, dryRun: true }, () => undefined, NOW);
    expect(r.plan).toMatchObject({ filesScanned: 3, filesToDelete: 1 });
    expect(r.record.rotation).toEqual({ deleted: 1, kept: 2 });
  });
});

describe('runRotate --report-to failures are warnings, exit 0', () => {
  it('without a token nothing is sent and the warning says how to give one', async () => {
    const root = tmp();
    put(root, 'old.log', 'x', 10 * DAY);
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const lines: string[] = [];
      const r = await runRotate({ path: root, ttlDays: '7', reportTo: url }, (l) => lines.push(l), NOW);
      expect(r.exitCode).toBe(0);
      expect(r.report).toEqual({ sent: false, error: 'no token: pass --token or set STEWARD_TOKEN' });
      expect(lines).toContain(`warning: report to ${url} failed: no token: pass --token or set STEWARD_TOKEN`);
      expect(hits).toBe(0);
      expect(files(root)).toEqual([LOG]); // the rotation itself happened
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a server that is not listening: the network error is the warning, the run still succeeds', async () => {
    const root = tmp();
    put(root, 'old.log', 'x', 10 * DAY);
    // A port that was just free: bind, read the port, close.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const lines: string[] = [];
    const r = await runRotate({ path: root, ttlDays: '7', reportTo: url, token: 'stw_x' }, (l) => lines.push(l), NOW);
    expect(r.exitCode).toBe(0);
    expect(r.report).toEqual({ sent: false, error: 'fetch failed' });
    expect(lines).toContain(`warning: report to ${url} failed: fetch failed`);
    expect(files(root)).toEqual([LOG]);
  });
});
