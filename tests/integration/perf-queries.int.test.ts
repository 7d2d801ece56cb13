// The perf pages' reads and the writes only the pages make, against a real database: the metrics
// table (latest stored verdict per series, filters, sparkline order, paging), budget breaches per
// profile, the metric page (points, change points, baseline band, versions), two runs compared,
// regressions acknowledged and fixed by hand (audited, compare-and-set), "Refresh all ready".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { setBudgets } from '@/lib/services/perf/budgets';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { compareRuns, getMetric, seriesDetail } from '@/lib/services/perf/metric-detail';
import { perfMetrics } from '@/lib/services/perf/metrics';
import { listPerfProjects } from '@/lib/services/perf/overview';
import { readPerfRun } from '@/lib/services/perf/queries';
import { branchReadiness, refreshAllReady } from '@/lib/services/perf/refresh-all';
import { regressionsPage, setRegressionStatus } from '@/lib/services/perf/regression-list';
import { filterOptions, seriesPage } from '@/lib/services/perf/series';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const admin: Actor = { type: 'user', id: 'u0', label: 'admin@example.com', role: 'admin' };
const op: Actor = { type: 'user', id: 'u1', label: 'op@example.com', role: 'operator' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;
let clock = T0;
let n = 0;
const at = () => new Date(clock);
const samples = (base: number) => Array.from({ length: 20 }, (_, i) => Number((base * (0.97 + ((i * 7) % 13) / 200)).toFixed(3)));
const send = (metrics: Record<string, number>, extra: { branch?: string; profile?: string; runner?: string } = {}) => {
  clock += HOUR;
  n++;
  const content = JSON.stringify({ format: 'steward-perf/1', metrics: Object.entries(metrics).map(([name, v]) => ({ name, unit: 'ms', samples: samples(v * (1 + (n % 3) / 300)) })) });
  return ingestPerfRun(h.db, ci, { project: 'web', profile: extra.profile ?? 'main', branch: extra.branch ?? 'main', commit: `abcdef${String(n).padStart(4, '0')}`, ciRunId: `r${n}`, testbed: { runner: extra.runner ?? 'quiet' }, files: [{ name: 'p.json', content }] }, { now: at() });
};
let projectId = '';

beforeAll(async () => {
  h = await createTestDb();
  projectId = (await createProject(h.db, admin, { key: 'web', name: 'Web' }, at())).id;
  await setBudgets(h.db, admin, { project: 'web', profile: 'main', budgets: [{ metric: 'api', limit: 12 }] }, at());
  for (let i = 0; i < 6; i++) await send({ api: 10, page: 100 });
  await send({ api: 10 }, { runner: 'noisy' });
  await send({ api: 30 }, { branch: 'feature/x', profile: 'pr' });
});
afterAll(async () => {
  await h?.close();
});

describe('metrics table', () => {
  it('one row per metric and testbed, the latest stored verdict, sparkline oldest first, paged', async () => {
    const all = await seriesPage(h.db, projectId, { branch: 'main', profile: 'main', testbedId: null }, 1, 25);
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => [r.metric.name, r.testbed.label, r.runs])).toEqual([['api', 'noisy', 1], ['api', 'quiet', 6], ['page', 'quiet', 6]]);
    const api = all.rows[1]!;
    const run = await readPerfRun(h.db, 'all', api.latest.runId);
    expect(api.latest.value).toBe(run.metrics.find((m) => m.name === 'api')!.value);
    expect(api.latest.budget).toEqual({ limit: 12, status: 'pass' });
    const stored = await h.db.perfResult.findMany({ where: { metricId: api.metric.id, testbedId: api.testbed.id, branch: 'main' }, orderBy: { at: 'asc' } });
    expect(api.spark.map((s) => s.value)).toEqual(stored.map((r) => r.value));
    const second = await seriesPage(h.db, projectId, { branch: 'main', profile: 'main', testbedId: null }, 2, 2);
    expect(second.rows.map((r) => r.metric.name)).toEqual(['page']);
    const pr = await seriesPage(h.db, projectId, { branch: 'feature/x', profile: null, testbedId: null }, 1, 25);
    expect(pr.rows.map((r) => [r.metric.name, r.latest.profile, r.latest.budget])).toEqual([['api', 'pr', null]]);
    expect(await seriesPage(h.db, projectId, { branch: 'main', profile: 'pr', testbedId: null }, 1, 25)).toEqual({ rows: [], total: 0 });
    const opts = await filterOptions(h.db, projectId);
    expect(opts).toMatchObject({ profiles: ['main', 'pr'], branches: ['main', 'feature/x'], bases: ['main'] });
  });
});

describe('baselines, regressions and the project card', () => {
  it('"Refresh all ready" refreshes the ready series with one note and says why the others are not', async () => {
    const before = await branchReadiness(h.db, op, 'web', 'main');
    expect(before.map((r) => [r.metric, r.testbed, r.ready])).toEqual([['api', 'noisy', false], ['api', 'quiet', true], ['page', 'quiet', true]]);
    const r = await refreshAllReady(h.db, op, { project: 'web', branch: 'main', note: 'weekly' }, at());
    expect(r.refreshed.map((x) => [x.metric, x.testbed, x.version])).toEqual([['api', 'quiet', 1], ['page', 'quiet', 1]]);
    expect(r.notReady).toEqual([{ metric: 'api', measure: 'latency', testbed: 'noisy', reasons: ['only 1 of the 5 runs needed to judge stability'] }]);
    expect(await h.db.auditEvent.count({ where: { action: 'perf.baseline.refresh', actorLabel: 'op@example.com' } })).toBe(2);
    expect((await serviceError(() => refreshAllReady(h.db, op, { project: 'web', branch: 'main', note: ' ' }, at()))).code).toBe('invalid');
  });

  it('a confirmed regression is listed, acknowledged and fixed by hand once, audited', async () => {
    await send({ api: 14, page: 100 });
    const fail = await send({ api: 14, page: 100 });
    expect(fail.status).toBe('fail');
    const page = await regressionsPage(h.db, projectId, { status: null, page: 1, pageSize: 25 });
    expect(page.rows.map((r) => [r.metric.name, r.testbed.label, r.status, r.opened?.commit, r.last?.runId])).toEqual([['api', 'quiet', 'open', fail.commit, fail.id]]);
    const id = page.rows[0]!.id;
    const [card] = await listPerfProjects(h.db, 'all', at());
    expect(card).toMatchObject({ key: 'web', metrics: 2, testbeds: 2, runs30d: 10, regressions: { open: 1, acknowledged: 0 }, profiles: [{ profile: 'main', breaches: 1, budgeted: 2 }, { profile: 'pr', breaches: 0, budgeted: 0 }] });
    const text = await perfMetrics(h.db);
    expect(text.find((m) => m.name === 'steward_perf_budget_breaches')!.samples).toEqual([{ labels: { project: 'web', profile: 'main' }, value: 1 }, { labels: { project: 'web', profile: 'pr' }, value: 0 }]);
    expect((await serviceError(() => setRegressionStatus(h.db, op, { id, status: 'acknowledged', note: '' }, at()))).code).toBe('invalid');
    await setRegressionStatus(h.db, op, { id, status: 'acknowledged', note: 'on it' }, at());
    expect((await serviceError(() => setRegressionStatus(h.db, op, { id, status: 'acknowledged', note: 'again' }, at()))).code).toBe('conflict');
    await setRegressionStatus(h.db, op, { id, status: 'fixed', note: 'reverted' }, at());
    expect((await serviceError(() => setRegressionStatus(h.db, op, { id, status: 'fixed', note: 'twice' }, at()))).code).toBe('conflict');
    const audit = await h.db.auditEvent.findMany({ where: { action: { startsWith: 'perf.regression.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([['perf.regression.acknowledge', { status: 'open' }, { status: 'acknowledged' }], ['perf.regression.fix', { status: 'acknowledged' }, { status: 'fixed' }]]);
    expect((await regressionsPage(h.db, projectId, { status: 'fixed', page: 1, pageSize: 25 })).rows[0]).toMatchObject({ status: 'fixed', note: 'reverted' });
  });

  it('the metric page: points oldest first, a change point at the step, the band from the latest comparison, versions, two runs compared', async () => {
    const m = await h.db.perfMetric.findFirstOrThrow({ where: { projectId, name: 'api' } });
    const info = await getMetric(h.db, projectId, m.id);
    expect(info.testbeds.map((t) => t.label)).toEqual(['quiet', 'noisy']);
    const key = { metricId: m.id, testbedId: info.testbeds[0]!.id, branch: 'main' };
    for (let i = 0; i < 6; i++) await send({ api: 14, page: 100 });
    const d = await seriesDetail(h.db, projectId, key, m);
    expect(d.points).toHaveLength(14);
    expect(d.points.map((p) => p.at)).toEqual([...d.points.map((p) => p.at)].sort());
    expect(d.changePoints.map((c) => c.index)).toEqual([6]);
    expect(d.changePoints[0]!.stepPct).toBeGreaterThan(30);
    const last = await h.db.perfResult.findFirstOrThrow({ where: key, orderBy: { at: 'desc' } });
    expect(d.head).toMatchObject({ baselineVersion: 1, noiseFloorPct: last.noiseFloorPct });
    expect(d.budget).toEqual({ profile: 'main', limit: 12 });
    expect(d.versions.map((v) => [v.version, v.note, v.createdBy, v.runs])).toEqual([[1, 'weekly', 'op@example.com', 6]]);
    const [a, b] = [d.points[0]!.runId, d.points.at(-1)!.runId];
    const cmp = await compareRuns(h.db, key, [a, b, 'not-a-uuid']);
    expect(cmp.map((r) => [r.runId, r.samples.length])).toEqual([[a, 20], [b, 20]]);
    expect(await compareRuns(h.db, { ...key, testbedId: info.testbeds[1]!.id }, [a])).toEqual([]);
  });
});
