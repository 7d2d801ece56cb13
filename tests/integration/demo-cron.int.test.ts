/**
 * The cron part of `steward demo` (cron-story.ts, cron-plan.ts) must tell the truth: every check
 * created by the on-call operator (or, deploy-gc, by its first ping with a ping key), every ping
 * through recordPing, every flip written by the alert loop or a ping, and at the end the states the
 * story promises — computed again from the stored rows by the engine at the real now, so what the
 * list shows is what the data says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { getCheck, listChecks } from '@/lib/services/cron';
import { loadDemo, type DemoResult } from '@/lib/services/demo';
import { FLUSH_MS } from '@/lib/services/cron/ping-limiter';
import { CRON_CHECKS } from '@/lib/services/demo/cron-plan';
import { createTestDb, type TestDb } from './helpers';

const cli: Actor = { type: 'cli', id: null, label: 'cli:demo-cron-test', origin: 'cli' };
let h: TestDb;
let dataDir: string;
let now: Date;
let demo: DemoResult;
let viewer: Actor;
const errors: string[] = [];

beforeAll(async () => {
  h = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cron-'));
  now = new Date();
  const t0 = performance.now();
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
  try {
    demo = await loadDemo(h.db, cli, now, { dataDir });
    // A rate-limit batch left for a timer would fire after the commit, on the closed transaction.
    await new Promise((r) => setTimeout(r, 3 * FLUSH_MS));
  } finally {
    spy.mockRestore();
  }
  console.info(`demo load: ${((performance.now() - t0) / 1000).toFixed(1)} s; cron: ${JSON.stringify(demo.cron)}`);
  const lead = await h.db.user.findUniqueOrThrow({ where: { email: 'lead@demo.steward.local' } });
  viewer = { type: 'user', id: lead.id, label: lead.email, role: 'viewer' };
}, 900_000);
afterAll(async () => {
  await h?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const byName = async () => {
  const { checks } = await listChecks(h.db, viewer, { limit: 100 }, new Date());
  return new Map(checks.map((c) => [c.name, c]));
};

describe('steward demo: cron checks', () => {
  it("counts the demo's pings in the shared rate-limit rows before its commit, and writes nothing after it", async () => {
    expect(errors.filter((e) => e.includes('rate limits'))).toEqual([]);
    const rows = await h.db.rateLimit.findMany({ where: { key: { startsWith: 'steward:ping:check:' } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.count).toBeGreaterThan(0);
      expect(Number(r.lastRequest)).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('a dozen checks: the planned ones by the on-call operator, deploy-gc by its first ping, the two sentinel tasks by the runner', async () => {
    const checks = await h.db.cronCheck.findMany({ orderBy: { name: 'asc' } });
    expect(checks.map((c) => c.name).sort()).toEqual([...CRON_CHECKS.map((c) => c.input.name), 'deploy-gc', 'edge_report', 'nightly_tests'].sort());
    const creates = await h.db.auditEvent.findMany({ where: { action: 'cron.check.create' } });
    expect(creates.map((a) => a.actorLabel)).toEqual(CRON_CHECKS.map(() => 'oncall@demo.steward.local'));
    const gc = checks.find((c) => c.name === 'deploy-gc')!;
    expect([gc.slug, gc.periodSeconds, gc.graceSeconds]).toEqual(['deploy-gc', 86_400, 3_600]);
    expect(demo.cron!.checks).toBe(checks.length);
    expect(demo.cron!.pings).toBe(await h.db.cronPing.count());
  });

  it('ends with the states the story tells, and the stored state is the engine\'s at the real now', async () => {
    const c = await byName();
    const state = (n: string) => c.get(n)?.state;
    expect(state('search-reindex')).toBe('late');
    expect(state('billing-sync')).toBe('down');
    expect(state('legacy-report')).toBe('paused');
    expect(state('queue-drain')).toBe('started');
    expect([state('edge_report'), c.get('edge_report')!.freshness]).toEqual(['down', 'future']);
    expect([state('nightly_tests'), c.get('nightly_tests')!.freshness]).toEqual(['up', 'fresh']);
    for (const n of ['metrics-export', 'log-shipper']) expect(state(n), n).toBe('up');
    // The nightly and daily jobs are up, except in the minutes around their fire time when the
    // demo is loaded then: running (a start ping came) or late (the finish is not in yet). Never down.
    for (const n of ['nightly-backup', 'artifact-rotation', 'nightly-e2e', 'db-vacuum', 'deploy-gc', 'cert-renewal']) expect(['up', 'late', 'started'], n).toContain(state(n));
    expect(c.get('search-reindex')!.reason).not.toBe('');
  });

  it('billing-sync went down through the alert loop within a minute of its deadline and raised cron.down', async () => {
    const check = await h.db.cronCheck.findUniqueOrThrow({ where: { name: 'billing-sync' } });
    const flips = await h.db.cronFlip.findMany({ where: { checkId: check.id }, orderBy: { at: 'asc' } });
    const down = flips.filter((f) => f.to === 'down');
    expect(down).toHaveLength(1);
    const lastPing = await h.db.cronPing.findFirstOrThrow({ where: { checkId: check.id }, orderBy: { at: 'desc' } });
    // Next */30 slot after the last ping, plus the 10-minute grace: the loop runs each minute.
    const slot = Math.ceil((lastPing.at.getTime() + 1) / 1_800_000) * 1_800_000;
    const deadline = slot + 600_000;
    expect(down[0]!.at.getTime()).toBeGreaterThan(deadline);
    expect(down[0]!.at.getTime() - deadline).toBeLessThanOrEqual(70_000);
    expect(down[0]!.eventId).not.toBeNull();
  });

  it('nightly-e2e: the night the job exited 1 the check went down, and the next night\'s pass brought it up', async () => {
    const check = await h.db.cronCheck.findUniqueOrThrow({ where: { name: 'nightly-e2e' } });
    const fails = await h.db.cronPing.findMany({ where: { checkId: check.id, kind: 'fail' } });
    expect(fails.map((p) => p.exitStatus)).toEqual([1]);
    const flips = await h.db.cronFlip.findMany({ where: { checkId: check.id, OR: [{ to: 'down' }, { from: 'down' }] }, orderBy: { at: 'asc' } });
    expect(flips.map((f) => [f.from, f.to])).toEqual([['started', 'down'], ['down', 'up']]);
    expect(flips[0]!.at.getTime()).toBe(fails[0]!.at.getTime());
    const detail = await getCheck(h.db, viewer, check.id, new Date());
    expect(detail.runs.some((r) => r.outcome === 'fail' && r.exitStatus === 1 && r.durationSeconds !== null)).toBe(true);
  });

  it('db-vacuum: the 4-second run is flagged too fast, counted as one of two failures, and the check stayed up', async () => {
    const check = await h.db.cronCheck.findUniqueOrThrow({ where: { name: 'db-vacuum' } });
    const fast = await h.db.cronPing.findMany({ where: { checkId: check.id, tooFast: true } });
    expect(fast).toHaveLength(1);
    expect(fast[0]!.durationSeconds).toBeLessThan(60);
    expect(await h.db.cronFlip.count({ where: { checkId: check.id, to: 'down' } })).toBe(0);
  });

  it('nightly-backup runs pair by run id with durations of 18-26 minutes', async () => {
    const check = await h.db.cronCheck.findUniqueOrThrow({ where: { name: 'nightly-backup' } });
    const finishes = await h.db.cronPing.findMany({ where: { checkId: check.id, kind: 'success' } });
    expect(finishes.length).toBeGreaterThanOrEqual(7);
    for (const f of finishes) {
      expect(f.rid).not.toBeNull();
      expect(f.durationSeconds!).toBeGreaterThanOrEqual(18 * 60);
      expect(f.durationSeconds!).toBeLessThanOrEqual(26 * 60 + 10);
    }
  });
});
