// The set-based reads and writes of perf ingest and of the metric page (issue 10, performance
// budgets): the metric catalog found and created with arrays (new and known metrics in one run, a
// unit change refused), the last runs per series read with a LIMIT per metric (also for runs
// without a branch), the verdicts read back in one statement in upload order, and the metric page's
// versions counted in SQL and its noise floor found beyond the chart's 300 rows.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { refreshBaseline, rollbackBaseline } from '@/lib/services/perf/baselines';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { seriesDetail } from '@/lib/services/perf/metric-detail';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const admin: Actor = { type: 'user', id: 'u0', label: 'admin@example.com', role: 'admin' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;
let clock = T0;
let n = 0;
const samples = (base: number) => Array.from({ length: 20 }, (_, i) => Number((base * (0.97 + ((i * 7) % 13) / 200)).toFixed(3)));
const send = (metrics: Record<string, number>, extra: { branch?: string | null; unit?: string } = {}) => {
  clock += HOUR;
  n++;
  const content = JSON.stringify({ format: 'steward-perf/1', metrics: Object.entries(metrics).map(([name, v]) => ({ name, unit: extra.unit ?? 'ms', samples: samples(v) })) });
  return ingestPerfRun(h.db, ci, { project: 'bulk', profile: 'main', branch: extra.branch === undefined ? 'main' : extra.branch, commit: `abcdef${String(n).padStart(4, '0')}`, testbed: { runner: 'quiet' }, files: [{ name: 'p.json', content }] }, { now: new Date(clock) });
};
let projectId = '';

beforeAll(async () => {
  h = await createTestDb();
  projectId = (await createProject(h.db, admin, { key: 'bulk', name: 'Bulk' }, new Date(clock))).id;
});
afterAll(async () => {
  await h?.close();
});

describe('ingest with set-based reads', () => {
  it('known and new metrics in one run: only the new ones are created; verdicts come back in upload order', async () => {
    await send({ b: 10, a: 20 });
    const r = await send({ c: 5, a: 20, b: 10, d: 1 });
    expect(r.metrics.map((m) => m.name)).toEqual(['c', 'a', 'b', 'd']);
    expect(await h.db.perfMetric.count({ where: { projectId } })).toBe(4);
    expect(r.metrics.every((m) => m.unit === 'ms' && m.direction === 'smaller' && m.valueKind === 'p95' && m.n === 20)).toBe(true);
    expect((await serviceError(() => send({ a: 20 }, { unit: 'B' }))).details?.[0]?.field).toBe('metric "a" (latency)');
  });

  it('confirmation reads only the last runs of the series, for a branch and for runs without one', async () => {
    for (let i = 0; i < 4; i++) await send({ q: 10 });
    const m = await h.db.perfMetric.findFirstOrThrow({ where: { projectId, name: 'q' } });
    const testbed = await h.db.perfTestbed.findFirstOrThrow({ where: { projectId } });
    await refreshBaseline(h.db, admin, { project: 'bulk', key: { metricId: m.id, testbedId: testbed.id, branch: 'main' }, note: 'first' }, new Date(clock));
    for (let i = 0; i < 3; i++) await send({ q: 10 });
    // One worse run is suspect, the second in a row confirms it (the runs before it were fine).
    expect((await send({ q: 13 })).metrics[0]!.regression!.status).toBe('suspect');
    expect((await send({ q: 13 })).metrics[0]!.regression!.status).toBe('fail');
    // Runs without a branch form their own series: their first worse run is only suspect.
    expect((await send({ q: 13 }, { branch: null })).metrics[0]!.regression!.status).toBe('suspect');
    expect((await send({ q: 13 }, { branch: null })).metrics[0]!.regression!.status).toBe('fail');
  });
});

describe('metric page with a long history', () => {
  it('versions count their runs and samples in SQL; the noise floor of a head last used before the chart is read further back', async () => {
    const m = await h.db.perfMetric.findFirstOrThrow({ where: { projectId, name: 'q' } });
    const testbed = await h.db.perfTestbed.findFirstOrThrow({ where: { projectId } });
    const key = { metricId: m.id, testbedId: testbed.id, branch: 'main' };
    const v1 = await h.db.perfBaseline.findFirstOrThrow({ where: { ...key, version: 1 } });
    // 320 later nightly results judged against a version 2, in bulk: version 1 is then older than the chart.
    const v2 = crypto.randomUUID();
    await h.db.perfBaseline.create({ data: { id: v2, ...key, version: 2, value: 10, samples: [1, 2, 3], history: [10, 10], note: 'second', createdBy: 'cli:test', createdAt: new Date(clock) } });
    await h.db.perfBaselineHead.update({ where: { metricId_testbedId_branch: key }, data: { baselineId: v2, version: { increment: 1 } } });
    const run = await h.db.perfRun.findFirstOrThrow({ where: { projectId }, orderBy: { at: 'desc' } });
    // Results belong to runs: one run row per bulk result.
    await h.db.$executeRawUnsafe(
      `INSERT INTO "perf_runs" ("id","projectId","testbedId","profile","branch","baseBranch","at","receivedAt","actorLabel","status","dedupeKey")
       SELECT 'bulk-' || g, "projectId", "testbedId", 'main', 'main', 'main', $2::timestamptz + g * interval '1 hour', $2::timestamptz, 'cli:test', 'pass', 'bulk-' || g
       FROM "perf_runs", generate_series(1, 320) g WHERE "id" = $1`,
      run.id, new Date(clock),
    );
    await h.db.$executeRawUnsafe(
      `INSERT INTO "perf_results" ("runId","metricId","testbedId","branch","profile","at","value","valueKind","baselineId","regression","worsePct","noiseFloorPct")
       SELECT 'bulk-' || g, $1, $2, 'main', 'main', $3::timestamptz + g * interval '1 hour', 10, 'p95', $4, 'ok', 0, 99 FROM generate_series(1, 320) g`,
      m.id, testbed.id, new Date(clock), v2,
    );
    let d = await seriesDetail(h.db, projectId, key, m);
    expect(d.points).toHaveLength(300);
    expect(d.head).toMatchObject({ baselineVersion: 2, noiseFloorPct: 99 });
    expect(d.versions.map((v) => [v.version, v.runs, v.samples])).toEqual([[2, 2, 3], [1, v1.history.length, v1.samples.length]]);
    // Back to version 1: none of the chart's rows was judged against it; its latest comparison is found.
    await rollbackBaseline(h.db, admin, { project: 'bulk', key, toVersion: 1, note: 'back' }, new Date(clock));
    const lastV1 = await h.db.perfResult.findFirstOrThrow({ where: { ...key, baselineId: v1.id }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
    d = await seriesDetail(h.db, projectId, key, m);
    expect(lastV1.noiseFloorPct).not.toBeNull();
    expect(d.head).toMatchObject({ baselineVersion: 1, noiseFloorPct: lastV1.noiseFloorPct });
  });
});
