/**
 * The flaky-tests part of `steward demo` (flaky-story.ts) must tell the truth: uploads, results,
 * daily statistics, the tests' states, their events, tickets and the audit log agree with each
 * other and with the policy, every one of them was written by a service at a simulated time no
 * later than the real now, and a second load adds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLAKY_POLICY } from '@/lib/engine/flaky';
import { hasRole, type Role } from '@/lib/engine/roles';
import type { Actor } from '@/lib/services/actor';
import { loadDemo, type DemoResult } from '@/lib/services/demo';
import { createTestDb, type TestDb } from './helpers';

const actor: Actor = { type: 'cli', id: null, label: 'cli:demo-flaky-test', origin: 'cli' };
const DAY = 86_400_000;
let h: TestDb;
let dataDir: string;
let now: Date;
let demo: DemoResult;
let loadMs = 0;

beforeAll(async () => {
  h = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-flaky-'));
  now = new Date();
  const t0 = performance.now();
  demo = await loadDemo(h.db, actor, now, { dataDir });
  loadMs = performance.now() - t0;
}, 600_000);
afterAll(async () => {
  await h?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const projectIds = async () => new Map((await h.db.project.findMany()).map((p) => [p.id, p.key]));

describe('steward demo: flaky tests', () => {
  it('creates two projects with CODEOWNERS, as the demo admin, ~2,000 tests and ~500 uploads over 60 days', async () => {
    console.info(`demo load: ${(loadMs / 1000).toFixed(1)} s; flaky: ${JSON.stringify(demo.flaky)}`);
    const projects = await h.db.project.findMany({ orderBy: { key: 'asc' } });
    expect(projects.map((p) => [p.key, p.name])).toEqual([['hologram', 'Hologram'], ['mm-bot', 'MM bot']]);
    for (const p of projects) expect(p.codeowners).toMatch(/^\*\s+@/m);
    const audit = await h.db.auditEvent.findMany({ where: { action: { in: ['project.create', 'project.update'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((r) => [r.action, r.actorLabel, r.targetId])).toEqual(projects.flatMap((p) => [['project.create', 'platform@demo.steward.local', p.id], ['project.update', 'platform@demo.steward.local', p.id]]));
    const f = demo.flaky!;
    expect(f).toEqual({
      projects: 2,
      tests: await h.db.testCase.count(),
      uploads: await h.db.testUpload.count(),
      results: await h.db.testResult.count(),
      quarantined: await h.db.testCase.count({ where: { status: 'quarantined' } }),
      eligible: await h.db.testCase.count({ where: { status: 'quarantined', eligibleAt: { not: null } } }),
    });
    expect(f.tests).toBeGreaterThan(1800);
    expect(f.uploads).toBeGreaterThan(400);
    expect(f.uploads).toBeLessThan(600);
    const first = await h.db.testUpload.findFirstOrThrow({ orderBy: { receivedAt: 'asc' } });
    expect(now.getTime() - first.receivedAt.getTime()).toBeGreaterThan(59 * DAY);
    expect(now.getTime() - first.receivedAt.getTime()).toBeLessThan(61 * DAY);
  });

  it("every upload's counts agree with its stored results, and the daily statistics with both", async () => {
    const uploads = await h.db.testUpload.findMany();
    const groups = await h.db.testResult.groupBy({ by: ['uploadId', 'outcome'], _count: { _all: true }, _sum: { attempts: true } });
    const byUpload = new Map<string, Record<string, number>>();
    for (const g of groups) {
      const c = byUpload.get(g.uploadId) ?? { passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0, attempts: 0 };
      c[g.outcome] = g._count._all;
      c.attempts! += g._sum.attempts ?? 0;
      byUpload.set(g.uploadId, c);
    }
    for (const u of uploads) {
      const c = byUpload.get(u.id)!;
      expect({ passed: u.passed, failed: u.failed, error: u.errors, skipped: u.skipped, flaky: u.flaky, attempts: u.attempts }, u.fileName).toEqual(c);
      expect(u.tests).toBe(c.passed! + c.failed! + c.error! + c.skipped! + c.flaky!); // one result per test
      expect(u.uploadedBy).toBe('token:ci-main (demo)');
    }
    // Daily statistics count every non-infra result and one per infra upload, per project and day.
    const stats = await h.db.testDailyStat.findMany();
    const expected = new Map<string, { results: number; infra: number }>();
    for (const u of uploads) {
      const key = `${u.projectId} ${u.receivedAt.toISOString().slice(0, 10)}`;
      const e = expected.get(key) ?? { results: 0, infra: 0 };
      if (u.infra) e.infra++;
      else e.results += u.tests;
      expected.set(key, e);
    }
    expect(new Map(stats.map((s) => [`${s.projectId} ${s.day.toISOString().slice(0, 10)}`, { results: s.results, infra: s.infra }]))).toEqual(expected);
  });

  it('one upload is an infrastructure failure: flagged, its results marked, kept out of flake statistics', async () => {
    const infra = await h.db.testUpload.findMany({ where: { infra: true } });
    expect(infra).toHaveLength(1);
    const u = infra[0]!;
    expect((u.failed + u.errors) / (u.tests - u.skipped)).toBeGreaterThan(DEFAULT_FLAKY_POLICY.infraFailureRatio);
    expect(await h.db.testResult.count({ where: { uploadId: u.id, infra: false } })).toBe(0);
    const day = await h.db.testDailyStat.findFirstOrThrow({ where: { projectId: u.projectId, day: new Date(u.receivedAt.toISOString().slice(0, 10)) } });
    expect(day.infra).toBeGreaterThanOrEqual(1);
    // Someone re-ran the job: same run, job and commit, attempt 2, not an infra failure.
    const rerun = await h.db.testUpload.findFirstOrThrow({ where: { projectId: u.projectId, runId: u.runId, job: u.job, attempt: 2 } });
    expect(rerun).toMatchObject({ commit: u.commit, infra: false });
    expect(rerun.receivedAt.getTime()).toBeGreaterThan(u.receivedAt.getTime());
  });

  it('CI looks like CI: shards, browser variants, re-runs of red jobs, branches, skips, durations with noise', async () => {
    const ids = await projectIds();
    const uploads = await h.db.testUpload.findMany();
    const jobsOf = (key: string) => new Set(uploads.filter((u) => ids.get(u.projectId) === key).map((u) => u.job));
    expect(jobsOf('hologram')).toEqual(new Set(['pytest (1/3)', 'pytest (2/3)', 'pytest (3/3)', 'e2e (chromium)', 'e2e (firefox)']));
    expect(jobsOf('mm-bot')).toEqual(new Set(['unit', 'integration']));
    expect(new Set(uploads.map((u) => u.variant))).toEqual(new Set([null, 'chromium', 'firefox']));
    // Every attempt-2 upload re-runs an attempt-1 job of the same run and commit that had a failure.
    const reruns = uploads.filter((u) => u.attempt === 2);
    expect(reruns.length).toBeGreaterThan(5);
    for (const r of reruns) {
      const firstTry = uploads.find((u) => u.projectId === r.projectId && u.runId === r.runId && u.job === r.job && u.attempt === 1)!;
      expect(firstTry.commit).toBe(r.commit);
      expect(firstTry.failed + firstTry.errors).toBeGreaterThan(0);
      expect(firstTry.receivedAt.getTime()).toBeLessThan(r.receivedAt.getTime());
    }
    const branches = new Set(uploads.map((u) => u.branch));
    expect(branches.has('main')).toBe(true);
    expect(branches.size).toBeGreaterThan(4);
    expect(uploads.every((u) => u.commit && /^[0-9a-f]{40}$/.test(u.commit) && u.runUrl?.startsWith('https://ci.example.com/'))).toBe(true);
    expect(await h.db.testResult.count({ where: { outcome: 'skipped' } })).toBeGreaterThan(1000);
    const durations = await h.db.testResult.findMany({ where: { test: { name: 'test_p95_latency_under_budget[graphql]' }, outcome: 'passed' }, select: { durationMs: true } });
    expect(new Set(durations.map((d) => d.durationMs)).size).toBeGreaterThan(durations.length / 3);
  });

  it('every quarantined test has its quarantined event and exactly one open ticket (owner from CODEOWNERS); at least one is eligible', async () => {
    const quarantined = await h.db.testCase.findMany({ where: { status: 'quarantined' }, include: { events: { orderBy: { id: 'asc' } }, tickets: true, project: true } });
    expect(quarantined.length).toBeGreaterThanOrEqual(3);
    for (const t of quarantined) {
      const last = t.events.filter((e) => e.kind === 'quarantined').at(-1);
      expect(last?.at, t.name).toEqual(t.quarantinedAt);
      expect(t.quarantinedBy).toBe('policy');
      expect(t.quarantineReason).toMatch(/^\d+ flakes in 7 days: /);
      // One open ticket: opened by this quarantine, or still open from an earlier one (never two).
      const open = t.tickets.filter((k) => k.status === 'open' || k.status === 'investigating');
      expect(open, t.name).toHaveLength(1);
      const ticket = open[0];
      expect(ticket!.createdAt.getTime(), t.name).toBeLessThanOrEqual(t.quarantinedAt!.getTime());
      expect(ticket!.owner).toMatch(t.file!.startsWith('e2e/') ? /^@hologram\/frontend$/ : /^@(hologram|mm-bot)\//);
    }
    const eligible = quarantined.filter((t) => t.eligibleAt);
    expect(eligible.length).toBeGreaterThanOrEqual(1);
    for (const t of eligible) {
      expect(t.greenStreak).toBeGreaterThanOrEqual(DEFAULT_FLAKY_POLICY.greensToUnquarantine);
      expect(t.events.some((e) => e.kind === 'eligible' && e.at.getTime() === t.eligibleAt!.getTime())).toBe(true);
    }
    // Some are recovering: quarantined, with greens, not there yet.
    expect(quarantined.some((t) => !t.eligibleAt && t.greenStreak > 0)).toBe(true);
  });

  it('some tests were broken and recovered; one is broken now; none of them was auto-quarantined for it', async () => {
    const events = await h.db.testEvent.findMany({ where: { kind: { in: ['broken', 'recovered'] } }, include: { test: true }, orderBy: { id: 'asc' } });
    const recovered = new Set(events.filter((e) => e.kind === 'recovered').map((e) => e.testId));
    expect(recovered.size).toBeGreaterThanOrEqual(2);
    for (const id of recovered) expect(events.find((e) => e.testId === id)!.kind).toBe('broken'); // broken first
    const brokenNow = await h.db.testCase.findMany({ where: { broken: true } });
    expect(brokenNow.map((t) => t.name)).toEqual(['test_funding_rate_parser_handles_negative']);
    for (const t of [...brokenNow, ...events.map((e) => e.test)]) expect(t.quarantineReason ?? '').not.toMatch(/broken/);
  });

  it('quarantine and unquarantine are audited with the right actors: the policy, and the on-call as an operator', async () => {
    const users = new Map((await h.db.user.findMany()).map((u) => [u.email, u]));
    const roleChanges = (await h.db.auditEvent.findMany({ where: { action: { in: ['user.create', 'user.update'] } }, orderBy: { id: 'asc' } }));
    const roleAt = (email: string, t: Date): Role | null => {
      let role: Role | null = null;
      for (const c of roleChanges) if (c.at <= t && c.targetId === users.get(email)?.id) role = (c.after as { role: Role }).role;
      return role;
    };
    const rows = await h.db.auditEvent.findMany({ where: { action: { in: ['test.quarantine', 'test.unquarantine'] } }, orderBy: { id: 'asc' } });
    const events = await h.db.testEvent.findMany({ where: { kind: { in: ['quarantined', 'unquarantined'] } }, orderBy: { id: 'asc' } });
    // One audit row per state change, same test, time and actor.
    expect(rows.map((r) => [r.action === 'test.quarantine' ? 'quarantined' : 'unquarantined', r.targetId, r.at.getTime(), r.actorLabel])).toEqual(
      events.map((e) => [e.kind, e.testId, e.at.getTime(), e.actorLabel]),
    );
    const byPolicy = rows.filter((r) => r.actorLabel === 'job:flaky-policy');
    expect(byPolicy.every((r) => r.actorType === 'system')).toBe(true);
    expect(byPolicy.some((r) => r.action === 'test.quarantine')).toBe(true);
    const byPeople = rows.filter((r) => r.actorType === 'user');
    expect(byPeople.some((r) => r.action === 'test.unquarantine')).toBe(true);
    for (const r of byPeople) {
      expect(r.actorLabel).toBe('oncall@demo.steward.local');
      expect(hasRole(roleAt(r.actorLabel, r.at)!, 'operator'), `${r.action} at ${r.at.toISOString()}`).toBe(true);
    }
    // A person released only tests that were eligible, with a note.
    for (const e of events.filter((x) => x.kind === 'unquarantined' && x.actorType === 'user')) {
      expect(e.before).toMatchObject({ eligible: true });
      expect(e.reason).toMatch(/consecutive greens/);
    }
    // The manual quarantine expired and the policy lifted it.
    expect(events.some((e) => e.kind === 'unquarantined' && e.actorLabel === 'job:flaky-policy' && (e.after as { cause?: string }).cause === 'expired')).toBe(true);
    // One ingest audit row per upload, by the CI token.
    expect(await h.db.auditEvent.count({ where: { action: 'tests.ingest', actorLabel: 'token:ci-main (demo)', actorType: 'token' } })).toBe(demo.flaky!.uploads);
  });

  it('every timestamp is at or before the real now and written in time order', async () => {
    const late = await h.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT ((SELECT count(*) FROM "test_results" WHERE "at" > $1) + (SELECT count(*) FROM "test_uploads" WHERE "receivedAt" > $1 OR "startedAt" > $1)
             + (SELECT count(*) FROM "test_events" WHERE "at" > $1) + (SELECT count(*) FROM "tickets" WHERE "createdAt" > $1)
             + (SELECT count(*) FROM "tests" WHERE "lastSeenAt" > $1 OR "firstSeenAt" > "lastSeenAt"))::int AS n`,
      now,
    );
    expect(late[0]!.n).toBe(0);
    // Rows with a sequence were inserted in time order.
    const disorder = await h.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT ((SELECT count(*) FROM (SELECT "at" < lag("at") OVER (ORDER BY "id") AS back FROM "test_results") x WHERE back)
             + (SELECT count(*) FROM (SELECT "at" < lag("at") OVER (ORDER BY "id") AS back FROM "test_events") y WHERE back))::int AS n`,
    );
    expect(disorder[0]!.n).toBe(0);
    const last = await h.db.testUpload.findFirstOrThrow({ orderBy: { receivedAt: 'desc' } });
    expect(last.receivedAt.getTime()).toBeLessThanOrEqual(now.getTime() - 5 * 60_000);
  });

  it('a second load adds nothing', async () => {
    const counts = async () => [await h.db.project.count(), await h.db.testCase.count(), await h.db.testUpload.count(), await h.db.testResult.count(), await h.db.testEvent.count(), await h.db.ticket.count(), await h.db.auditEvent.count()];
    const before = await counts();
    const again = await loadDemo(h.db, actor, new Date(), { dataDir });
    expect(again).toMatchObject({ alreadyLoaded: true, flaky: null });
    expect(await counts()).toEqual(before);
  });
});
