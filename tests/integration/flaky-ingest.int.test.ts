// Ingest and the quarantine policy against a real database (issue 9): counts, de-duplication,
// all-or-nothing rejection, auto-quarantine with a ticket, greens to eligibility, unquarantine by
// a person, the infrastructure guard, project-limited tokens, and two evaluations at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { evaluateTests } from '@/lib/services/flaky/evaluate';
import { ingestResults, type UploadMeta } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { listQuarantined, unquarantineTest } from '@/lib/services/flaky/quarantine';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const operator: Actor = { type: 'user', id: 'u1', label: 'op@example.com', role: 'operator' };
const T0 = Date.parse('2026-05-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const file = (name: string, cases: CaseSpec[]) => ({ name, chunks: chunksOf(bytes(junitXml(cases))) });
const send = (project: string, at: number, meta: UploadMeta, cases: CaseSpec[], name = 'junit.xml', actor: Actor = ci) =>
  ingestResults(h.db, actor, { project, meta, files: [file(name, cases)] }, { now: new Date(at) });
async function expectServiceError(p: Promise<unknown>, code: string) {
  const e = await serviceError(() => p);
  expect(e.code).toBe(code);
  return e;
}
const testRow = (project: string, name: string) => h.db.testCase.findFirstOrThrow({ where: { project: { key: project }, name } });

beforeAll(async () => {
  h = await createTestDb();
  for (const key of ['alpha', 'beta', 'gamma', 'delta']) await createProject(h.db, cli, { key, name: key }, new Date(T0));
  await h.db.project.update({ where: { key: 'alpha' }, data: { codeowners: 'pkg/ @team-core\n' } });
});
afterAll(async () => {
  await h?.close();
});

describe('ingest', () => {
  it('stores one upload with exact counts, results and the day aggregate', async () => {
    const r = await send('alpha', T0, { commit: 'c0', branch: 'main', runId: '1', job: 'unit' }, [
      { name: 'a' }, { name: 'b', attempts: ['fail', 'pass'], time: 2 }, { name: 'c', attempts: ['fail', 'fail'] }, { name: 'd', attempts: ['skip'] }, { name: 'e', attempts: ['error'] },
    ]);
    expect(r.uploads).toHaveLength(1);
    expect(r.uploads[0]).toMatchObject({ duplicate: false, infra: false, counts: { tests: 5, passed: 1, flaky: 1, failed: 1, skipped: 1, errors: 1, attempts: 7 } });
    expect(r.failingTotal).toBe(2);
    expect(r.failing.map((f) => [f.name, f.quarantined]).sort()).toEqual([['c', false], ['e', false]]);
    const rows = await h.db.testResult.findMany({ where: { uploadId: r.uploads[0]!.id }, include: { test: true }, orderBy: { test: { name: 'asc' } } });
    expect(rows.map((x) => [x.test.name, x.outcome, x.attempts, x.failedAttempts, x.runKey, x.commit])).toEqual([
      ['a', 'passed', 1, 0, '1/unit', 'c0'], ['b', 'flaky', 2, 1, '1/unit', 'c0'], ['c', 'failed', 2, 2, '1/unit', 'c0'], ['d', 'skipped', 1, 0, '1/unit', 'c0'], ['e', 'error', 1, 1, '1/unit', 'c0'],
    ]);
    const day = await h.db.testDailyStat.findFirstOrThrow({ where: { projectId: (await h.db.project.findUniqueOrThrow({ where: { key: 'alpha' } })).id } });
    expect(day).toMatchObject({ results: 5, passed: 1, failed: 1, errors: 1, skipped: 1, flaky: 1, infra: 0 });
  });

  it('the same file for the same run is recognised and not counted twice', async () => {
    const cases = [{ name: 'dup1' }, { name: 'dup2', attempts: ['fail' as const] }];
    const first = await send('beta', T0, { commit: 'x', runId: '9' }, cases);
    const again = await send('beta', T0 + 1000, { commit: 'x', runId: '9' }, cases);
    expect(again.uploads[0]).toMatchObject({ duplicate: true, id: first.uploads[0]!.id });
    expect(await h.db.testResult.count({ where: { uploadId: first.uploads[0]!.id } })).toBe(2);
    expect(await h.db.testUpload.count({ where: { project: { key: 'beta' } } })).toBe(1);
    // Same bytes, another run: a new upload.
    const other = await send('beta', T0 + 2000, { commit: 'x', runId: '10' }, cases);
    expect(other.uploads[0]!.duplicate).toBe(false);
  });

  it('one bad file rejects the whole request, naming file, line and column; nothing is stored', async () => {
    const before = await h.db.testResult.count();
    const bad = { name: 'broken.xml', chunks: chunksOf(bytes('<?xml version="1.0"?>\n<testsuite>\n  <testcase name="x">\n</testsuite>')) };
    const err = await expectServiceError(ingestResults(h.db, ci, { project: 'beta', meta: {}, files: [file('good.xml', [{ name: 'fine' }]), bad] }, { now: new Date(T0) }), 'invalid');
    expect(err.message).toMatch(/^Rejected, nothing stored: broken\.xml:4:\d+: /);
    expect(err.details?.[0]).toMatchObject({ field: 'broken.xml' });
    expect(await h.db.testResult.count()).toBe(before);
    expect(await h.db.testCase.count({ where: { name: 'fine' } })).toBe(0);
  });

  it('a gzip file is read by its content; a corrupt one is refused naming the file', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = gzipSync(Buffer.from(junitXml([{ name: 'zipped1' }, { name: 'zipped2', attempts: ['fail', 'pass'] }])));
    const r = await ingestResults(h.db, ci, { project: 'beta', meta: { runId: 'gz' }, files: [{ name: 'junit.xml.gz', chunks: chunksOf(new Uint8Array(gz), 7) }] }, { now: new Date(T0) });
    expect(r.uploads[0]!.counts).toMatchObject({ tests: 2, passed: 1, flaky: 1 });
    const bad = new Uint8Array(gz);
    bad.fill(0, 20, 40);
    const err = await expectServiceError(ingestResults(h.db, ci, { project: 'beta', meta: { runId: 'gz2' }, files: [{ name: 'bad.xml.gz', chunks: chunksOf(bad) }] }, { now: new Date(T0) }), 'invalid');
    expect(err.message).toMatch(/^bad\.xml\.gz: not a valid gzip stream/);
  });

  it('a DOCTYPE is refused before parsing', async () => {
    const xxe = { name: 'xxe.xml', chunks: chunksOf(bytes('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>')) };
    const err = await expectServiceError(ingestResults(h.db, ci, { project: 'beta', meta: {}, files: [xxe] }, { now: new Date(T0) }), 'invalid');
    expect(err.message).toMatch(/xxe\.xml:1:\d+: .*DOCTYPE/i);
  });

  it('a token limited to other projects gets not_found, as for a project that does not exist', async () => {
    const limited: Actor = { ...ci, scopes: ['ingest'], projects: ['beta'] };
    await expectServiceError(send('alpha', T0, {}, [{ name: 'z' }], 'junit.xml', limited), 'not_found');
    await expectServiceError(send('nope', T0, {}, [{ name: 'z' }]), 'not_found');
    expect((await send('beta', T0, { runId: 'lim' }, [{ name: 'z' }], 'junit.xml', limited)).uploads[0]!.duplicate).toBe(false);
  });
});

describe('quarantine policy', () => {
  const flakyOn = (commit: string, at: number) => send('alpha', at, { commit, branch: 'main', runId: commit }, [{ name: 'wobbly', classname: 'pkg.Net', file: 'pkg/net_test.go', attempts: ['fail', 'pass'] }, { name: 'steady' }]);

  it('two flakes in 7 days quarantine the test with a ticket owned per CODEOWNERS, an event and an audit row', async () => {
    const first = await flakyOn('f1', T0 + DAY);
    expect(first.evaluation.quarantined).toEqual([]);
    const second = await flakyOn('f2', T0 + 3 * DAY);
    const t = await testRow('alpha', 'wobbly');
    expect(second.evaluation.quarantined).toEqual([t.id]);
    expect(t).toMatchObject({ status: 'quarantined', quarantinedBy: 'policy', greenStreak: 0 });
    expect(t.quarantineReason).toMatch(/^2 flakes in 7 days: commits f1.*f2/);
    const ticket = await h.db.ticket.findFirstOrThrow({ where: { testId: t.id } });
    expect(ticket).toMatchObject({ status: 'open', owner: '@team-core' });
    const events = await h.db.testEvent.findMany({ where: { testId: t.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.kind, e.actorLabel])).toEqual([['quarantined', 'job:flaky-policy'], ['ticket', 'job:flaky-policy']]);
    expect(await h.db.auditEvent.count({ where: { action: 'test.quarantine', targetId: t.id } })).toBe(1);
    const list = await listQuarantined(h.db, 'all', 'alpha');
    expect(list.map((q) => [q.name, q.ticket?.owner])).toEqual([['wobbly', '@team-core']]);
    // A failure of a quarantined test comes back marked as such (steward test ignores it).
    const r = await send('alpha', T0 + 3 * DAY + HOUR, { commit: 'f3', runId: 'f3' }, [{ name: 'wobbly', classname: 'pkg.Net', file: 'pkg/net_test.go', attempts: ['fail'] }]);
    expect(r.failing).toEqual([{ key: t.key, name: 'wobbly', classname: 'pkg.Net', synthetic: false, quarantined: true }]);
  });

  it('9 greens are not enough, the 10th makes it eligible; a person unquarantines it, once', async () => {
    const t = await testRow('alpha', 'wobbly');
    const green = (i: number) => send('alpha', T0 + 4 * DAY + i * HOUR, { commit: `g${i}`, branch: 'main', runId: `g${i}` }, [{ name: 'wobbly', classname: 'pkg.Net', file: 'pkg/net_test.go' }]);
    for (let i = 1; i <= 9; i++) await green(i);
    expect(await testRow('alpha', 'wobbly')).toMatchObject({ greenStreak: 9, eligibleAt: null, status: 'quarantined' });
    const tenth = await green(10);
    expect(tenth.evaluation.eligible).toEqual([t.id]);
    expect(await testRow('alpha', 'wobbly')).toMatchObject({ greenStreak: 10, status: 'quarantined' });
    await unquarantineTest(h.db, operator, { testId: t.id, note: 'fixed the race in the dialer' }, new Date(T0 + 5 * DAY));
    expect(await testRow('alpha', 'wobbly')).toMatchObject({ status: 'active', greenStreak: 0, eligibleAt: null });
    await expectServiceError(unquarantineTest(h.db, operator, { testId: t.id }, new Date(T0 + 5 * DAY)), 'conflict');
    const audit = await h.db.auditEvent.findMany({ where: { action: 'test.unquarantine', targetId: t.id } });
    expect(audit.map((a) => [a.actorLabel, a.summary])).toEqual([['op@example.com', 'Unquarantined wobbly (alpha): fixed the race in the dialer']]);
    // Old flakes are not counted again after release.
    const after = await send('alpha', T0 + 5 * DAY + HOUR, { commit: 'h1', runId: 'h1' }, [{ name: 'wobbly', classname: 'pkg.Net', file: 'pkg/net_test.go', attempts: ['fail', 'pass'] }]);
    expect(after.evaluation.quarantined).toEqual([]);
  });

  it('an upload where more than 80 % failed is an infrastructure failure, out of flake statistics', async () => {
    const cases = (outcome: 'pass' | 'fail') => Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, attempts: [i < 9 ? outcome : 'pass'] as ('pass' | 'fail')[] }));
    const infra = await send('gamma', T0, { commit: 'k1', runId: 'r1' }, cases('fail'));
    expect(infra.uploads[0]).toMatchObject({ infra: true, counts: { failed: 9, passed: 1 } });
    // Passing on the same commit in a re-run would be a flake, if the failures counted.
    await send('gamma', T0 + HOUR, { commit: 'k1', runId: 'r2' }, cases('pass'));
    await send('gamma', T0 + 2 * HOUR, { commit: 'k2', runId: 'r3' }, cases('fail'));
    await send('gamma', T0 + 3 * HOUR, { commit: 'k2', runId: 'r4' }, cases('pass'));
    expect(await h.db.testCase.count({ where: { project: { key: 'gamma' }, status: 'quarantined' } })).toBe(0);
    expect(await h.db.testCase.count({ where: { project: { key: 'gamma' }, lastFlakeAt: { not: null } } })).toBe(0);
    const day = await h.db.testDailyStat.findFirstOrThrow({ where: { projectId: (await h.db.project.findUniqueOrThrow({ where: { key: 'gamma' } })).id } });
    expect(day).toMatchObject({ infra: 2, results: 20, failed: 0 });
  });

  it('two evaluations at once quarantine once: one event, one ticket, one audit row', async () => {
    await h.db.project.update({ where: { key: 'delta' }, data: { policy: { flakesToQuarantine: 99 } } });
    for (const c of ['d1', 'd2']) await send('delta', T0 + DAY, { commit: c, runId: c }, [{ name: 'racy', attempts: ['fail', 'pass'] }]);
    const t = await testRow('delta', 'racy');
    expect(t.status).toBe('active');
    await h.db.project.update({ where: { key: 'delta' }, data: { policy: { flakesToQuarantine: 2 } } });
    const now = new Date(T0 + DAY + HOUR);
    const [a, b] = await Promise.all([evaluateTests(h.db, t.projectId, [t.id], now), evaluateTests(h.db, t.projectId, [t.id], now)]);
    expect([...a.quarantined, ...b.quarantined]).toEqual([t.id]);
    expect(await h.db.testEvent.count({ where: { testId: t.id, kind: 'quarantined' } })).toBe(1);
    expect(await h.db.ticket.count({ where: { testId: t.id } })).toBe(1);
    expect(await h.db.auditEvent.count({ where: { action: 'test.quarantine', targetId: t.id } })).toBe(1);
  });
});

describe('housekeeping', () => {
  it('lifts a manual quarantine at its expiry, prunes results past the retention and raw uploads past their keep time', async () => {
    const { quarantineTest } = await import('@/lib/services/flaky/quarantine');
    const { flakyHousekeeping } = await import('@/lib/services/flaky/housekeeping');
    await createProject(h.db, cli, { key: 'epsilon', name: 'epsilon' }, new Date(T0));
    const r = await send('epsilon', T0, { commit: 'e1', runId: 'e1' }, [{ name: 'old' }]);
    expect((await h.db.testUpload.findUniqueOrThrow({ where: { id: r.uploads[0]!.id } })).raw).not.toBeNull();
    const t = await testRow('epsilon', 'old');
    await quarantineTest(h.db, operator, { testId: t.id, reason: 'known bad on ARM', expiresAt: new Date(T0 + 2 * DAY) }, new Date(T0 + HOUR));
    // 1 ms before the expiry: nothing changes; at it: lifted.
    let hk = await flakyHousekeeping(h.db, new Date(T0 + 2 * DAY - 1), { resultDays: 90 });
    expect(hk.unquarantined).toBe(0);
    expect((await testRow('epsilon', 'old')).status).toBe('quarantined');
    hk = await flakyHousekeeping(h.db, new Date(T0 + 2 * DAY), { resultDays: 90 });
    expect(hk.unquarantined).toBe(1);
    expect((await testRow('epsilon', 'old')).status).toBe('active');
    // Raw files go after 14 days; results after the retention, counted exactly.
    hk = await flakyHousekeeping(h.db, new Date(T0 + 14 * DAY), { resultDays: 90 });
    expect(hk.rawDropped).toBeGreaterThanOrEqual(1);
    expect((await h.db.testUpload.findUniqueOrThrow({ where: { id: r.uploads[0]!.id } })).raw).toBeNull();
    // At T0 + 100 days with 90 days kept, the cutoff is T0 + 10 days.
    const before = await h.db.testResult.count({ where: { at: { lt: new Date(T0 + 10 * DAY) } } });
    hk = await flakyHousekeeping(h.db, new Date(T0 + 100 * DAY), { resultDays: 90 });
    expect(hk.resultsDeleted).toBe(before);
    expect(await h.db.testResult.count({ where: { at: { lt: new Date(T0 + 10 * DAY) } } })).toBe(0);
    expect(await h.db.testUpload.count({ where: { id: r.uploads[0]!.id } })).toBe(1);
  });
});

describe('metrics', () => {
  it('per-project gauges agree with what the pages show', async () => {
    const { flakyMetrics } = await import('@/lib/services/flaky/metrics');
    const { renderMetrics } = await import('@/lib/services/metrics-text');
    const { projectOverview } = await import('@/lib/services/flaky/queries');
    const now = new Date(T0 + 6 * DAY);
    const text = renderMetrics(await flakyMetrics(h.db, now));
    const alpha = await h.db.project.findUniqueOrThrow({ where: { key: 'alpha' } });
    const o = await projectOverview(h.db, alpha.id, now);
    expect(text).toContain(`steward_flaky_tests_tracked{project="alpha"} ${o.tracked}\n`);
    expect(text).toContain(`steward_flaky_tests_quarantined{project="alpha"} ${o.quarantined}\n`);
    expect(text).toContain(`steward_flaky_tests_flaky_7d{project="alpha"} ${o.windows[0]!.flaky}\n`);
    expect(o.tracked).toBeGreaterThan(0);
    expect(o.windows[0]!.flaky).toBeGreaterThan(0);
  });
});

describe('project settings', () => {
  it('stores only the fields that differ from the defaults, refuses a bad field by name, audits before → after', async () => {
    const { updateProjectSettings } = await import('@/lib/services/flaky/project-settings');
    const admin: Actor = { type: 'user', id: 'a1', label: 'admin@example.com', role: 'admin' };
    await createProject(h.db, cli, { key: 'zeta', name: 'zeta' }, new Date(T0));
    const bad = await expectServiceError(updateProjectSettings(h.db, admin, { key: 'zeta', policy: { windowDays: 0 } }), 'invalid');
    expect(bad.details?.[0]?.field).toBe('policy.windowDays');
    await expectServiceError(updateProjectSettings(h.db, admin, { key: 'zeta', codeowners: '# only a comment\n' }), 'invalid');
    expect(await updateProjectSettings(h.db, admin, { key: 'zeta', policy: { flakesToQuarantine: 3, windowDays: 7 }, codeowners: 'src/ @core\n' }, new Date(T0))).toEqual({ key: 'zeta', changed: true });
    const p = await h.db.project.findUniqueOrThrow({ where: { key: 'zeta' } });
    expect(p.policy).toEqual({ flakesToQuarantine: 3 });
    expect(p.codeowners).toBe('src/ @core\n');
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'project.update', targetId: p.id } });
    expect(audit.before).toEqual({ policy: {}, codeowners: null });
    expect(audit.after).toEqual({ policy: { flakesToQuarantine: 3 }, codeowners: 'src/ @core\n' });
    await expectServiceError(updateProjectSettings(h.db, admin, { key: 'nope', codeowners: null }), 'not_found');
  });
});
