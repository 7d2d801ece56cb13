/**
 * Bench: the perf metric page with two years of nightly runs (issue 10). A project with M metrics
 * (default 100) is created through the real ingest, then N nightly runs (default 730, one a day for
 * two years) of every metric with S raw samples each (default 100) are loaded in bulk SQL — each
 * result with its stored verdicts — with a baseline refreshed every week (104 versions per series,
 * 500 reference samples and 30 history values each, as `refreshBaseline` stores them), the head on
 * the newest, a nightly budget per metric, and a +15 % step 100 nights before the end on every
 * tenth metric (so the chart has change points to find). Then VACUUM ANALYZE, as autovacuum leaves
 * a table after bulk inserts.
 *
 * Measured: the server-side data loading of `/performance/<project>/metrics/<id>` exactly as the
 * page runs it (app/(app)/performance/[project]/metrics/[metricId]/page.tsx: requireProject →
 * getMetric → seriesDetail ‖ seriesRuns ‖ seriesReadiness → compareRuns), 20 times after a warm-up
 * over different metrics, p50 and p95 (target p95 < 300 ms), each function alone, and a reference
 * measured in the same run on the same database: one SELECT of the 300 chart rows the page shows
 * (the least a chart of the series can read).
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/perf-scale.ts [metrics=100] [nights=730] [samples=100]
 */
import { benchActors, pct, withFreshDatabase } from './support/fresh-db';
import { createProject, requireProject } from '@/lib/services/flaky/projects';
import { seriesReadiness } from '@/lib/services/perf/baselines';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { compareRuns, getMetric, seriesDetail, seriesRuns } from '@/lib/services/perf/metric-detail';

const M = Number(process.argv[2] ?? 100);
const N = Number(process.argv[3] ?? 730);
const S = Number(process.argv[4] ?? 100);
const DAY = 86_400_000;
const ms = (t0: number) => performance.now() - t0;

async function main(): Promise<void> {
  await withFreshDatabase(async (h) => {
    const { cli, ci } = benchActors;
    const project = await createProject(h.db, cli, { key: 'scale', name: 'scale' });
    const now = new Date();
    const start = new Date(now.getTime() - (N + 1) * DAY);
    // The metrics and the testbed through the real ingest (one run, the oldest).
    const metrics = Array.from({ length: M }, (_, i) => ({ name: `bench_${i}`, unit: 'ms', samples: Array.from({ length: S }, (_, k) => 10 + (i % 50) + (k % 10) / 10) }));
    await ingestPerfRun(h.db, ci, { project: 'scale', profile: 'nightly', branch: 'main', testbed: { runner: 'bench' }, files: [{ name: 'perf.json', content: JSON.stringify({ format: 'steward-perf/1', metrics }) }] }, { now: start });
    const testbed = await h.db.perfTestbed.findFirstOrThrow({ select: { id: true } });

    const g0 = performance.now();
    await h.db.$executeRawUnsafe(`
      INSERT INTO "perf_runs" ("id","projectId","testbedId","profile","branch","baseBranch","commit","at","receivedAt","actorLabel","files","status","dedupeKey")
      SELECT 'night-' || g, $1, $2, 'nightly', 'main', 'main', md5('c' || g), $3::timestamptz + g * interval '1 day', $3::timestamptz + g * interval '1 day' + interval '1 minute',
             'token:bench', '[{"file":"perf.json","format":"steward","metrics":${M},"warnings":[]}]'::jsonb, 'pass', 'bench-' || g
      FROM generate_series(1, $4) g`, project.id, testbed.id, start, N);
    // One baseline a week per series: its reference samples and history as refreshBaseline keeps them.
    await h.db.$executeRawUnsafe(`
      INSERT INTO "perf_baselines" ("id","metricId","testbedId","branch","version","value","samples","history","runId","firstCommit","lastCommit","note","createdBy","createdAt")
      SELECT m."id" || '-v' || w, m."id", $2, 'main', w, base * 1.02,
             ARRAY(SELECT base + (k % 200) / 100.0 FROM generate_series(1, 500) k), ARRAY(SELECT base + (k % 7) / 10.0 FROM generate_series(1, 30) k),
             'night-' || (w * 7), md5('c' || (w * 7 - 4)), md5('c' || (w * 7)), 'weekly refresh', 'cli:bench', $3::timestamptz + (w * 7) * interval '1 day'
      FROM "perf_metrics" m, LATERAL (SELECT 10 + (substring(m."name" from 7)::int % 50) AS base) b, generate_series(1, $4::int / 7) w
      WHERE m."projectId" = $1`, project.id, testbed.id, start, N);
    await h.db.$executeRawUnsafe(`
      INSERT INTO "perf_baseline_heads" ("metricId","testbedId","branch","baselineId","version","updatedAt","updatedBy")
      SELECT b."metricId", b."testbedId", b."branch", b."id", b."version", b."createdAt", 'cli:bench'
      FROM "perf_baselines" b WHERE b."version" = $1::int / 7`, N);
    await h.db.$executeRawUnsafe(`
      INSERT INTO "perf_budgets" ("id","projectId","metric","measure","profile","limit","updatedAt","updatedBy")
      SELECT 'budget-' || m."id", $1, m."name", m."measure", 'nightly', 100, $2, 'cli:bench' FROM "perf_metrics" m WHERE m."projectId" = $1`, project.id, start);
    // Every night, every metric: S samples, the p95 and summary of them, the verdicts against that week's baseline.
    await h.db.$executeRawUnsafe(`
      INSERT INTO "perf_results" ("runId","metricId","testbedId","branch","profile","at","value","valueKind","n","min","max","mean","median","stddev","samples","budget","budgetStatus","baselineId","regression","worsePct","pValue","noiseFloorPct","reason")
      SELECT r."id", m."id", $2, 'main', 'nightly', r."at", p95 + ((substring(r."id" from 7)::int * 7919 + substring(m."name" from 7)::int * 104729) % 97) / 200.0, 'p95', $4, s[1], s[$4], base + 1, base + 1, 0.6, s, 100, 'pass',
             CASE WHEN w > 0 THEN m."id" || '-v' || w END, CASE WHEN w > 0 THEN 'ok' END, CASE WHEN w > 0 THEN 1.5 END, CASE WHEN w > 0 THEN 0.4 END, CASE WHEN w > 0 THEN 3.2 END,
             CASE WHEN w > 0 THEN '+1.5 %, within the 5 % threshold' END
      FROM "perf_runs" r
      CROSS JOIN "perf_metrics" m
      CROSS JOIN LATERAL (SELECT (10 + (substring(m."name" from 7)::int % 50)) * CASE WHEN substring(m."name" from 7)::int % 10 = 0 AND substring(r."id" from 7)::int > $3 - 100 THEN 1.15 ELSE 1 END AS base,
                                 substring(r."id" from 7)::int / 7 AS w) b
      CROSS JOIN LATERAL (SELECT ARRAY(SELECT base + ((k * 7919 + substring(r."id" from 7)::int * 104729) % 200) / 100.0 FROM generate_series(1, $4) k ORDER BY 1) AS s) x
      CROSS JOIN LATERAL (SELECT s[ceil($4 * 0.95)::int] AS p95) q
      WHERE r."id" LIKE 'night-%' AND m."projectId" = $1`, project.id, testbed.id, N, S);
    // As autovacuum leaves a table after bulk inserts: statistics and the visibility map (so counts
    // and group-bys of a series can read the index alone).
    await h.db.$executeRawUnsafe('VACUUM ANALYZE');
    const results = await h.db.perfResult.count();
    console.log(`history generated: ${N} nightly runs × ${M} metrics = ${results.toLocaleString('en-US')} results with ${S} samples each, ${Math.floor(N / 7)} baseline versions per series, in ${(ms(g0) / 1000).toFixed(0)} s`);

    const byName = new Map((await h.db.perfMetric.findMany({ where: { projectId: project.id }, select: { id: true, name: true } })).map((m) => [m.name, m.id]));
    const ids = Array.from({ length: M }, (_, i) => byName.get(`bench_${i}`)!);
    // What the page does, in its order (page 1 of the runs, the default A / B: the last two runs).
    const page = async (metricId: string) => {
      const p = await requireProject(h.db, 'all', 'scale');
      const metric = await getMetric(h.db, p.id, metricId);
      const tb = metric.testbeds[0]!;
      const branch = metric.branches.includes('main') ? 'main' : metric.branches[0] ?? 'main';
      const skey = { metricId: metric.id, testbedId: tb.id, branch };
      const [detail] = await Promise.all([seriesDetail(h.db, p.id, skey, metric), seriesRuns(h.db, skey, 1, 20), seriesReadiness(h.db, 'all', 'scale', skey)]);
      const ab = [detail.points.at(-2)?.runId, detail.points.at(-1)?.runId].filter((x): x is string => !!x);
      await compareRuns(h.db, { metricId: metric.id, testbedId: tb.id }, ab);
      return detail;
    };
    const first = await page(ids[0]!);
    if (first.points.length !== Math.min(300, N + 1)) throw new Error(`expected ${Math.min(300, N + 1)} chart points, got ${first.points.length}`);
    const stepped = await page(ids[10 % ids.length]!);
    console.log(`chart: ${first.points.length} points, ${first.versions.length} baseline versions; change points on a stepped metric: ${stepped.changePoints.map((c) => `${c.at.slice(0, 10)} ${c.stepPct.toFixed(1)} %`).join(', ') || 'none'}`);

    const key = (i: number) => ({ metricId: ids[i % ids.length]!, testbedId: testbed.id, branch: 'main' });
    const parts: [string, (i: number) => Promise<unknown>][] = [
      ['getMetric', (i) => getMetric(h.db, project.id, ids[i % ids.length]!)],
      ['seriesDetail', (i) => seriesDetail(h.db, project.id, key(i), { name: `bench_${i % ids.length}`, measure: 'latency' })],
      ['seriesRuns', (i) => seriesRuns(h.db, key(i), 1, 20)],
      ['seriesReadiness', (i) => seriesReadiness(h.db, 'all', 'scale', key(i))],
    ];
    const each: string[] = [];
    for (const [label, run] of parts) {
      await run(1);
      const times: number[] = [];
      for (let i = 0; i < 10; i++) { const s0 = performance.now(); await run(i * 7 + 3); times.push(ms(s0)); }
      each.push(`${label} ${pct(times, 0.5).toFixed(0)} ms`);
    }
    console.log(`\nthe page's functions alone (p50 of 10): ${each.join(', ')}`);

    const times: number[] = [];
    for (let i = 0; i < 20; i++) { const s0 = performance.now(); await page(ids[(i * 13 + 5) % ids.length]!); times.push(ms(s0)); }
    // Reference: the 300 chart rows of a series in one SELECT, no verdict columns, no change points.
    const ref: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s0 = performance.now();
      await h.db.$queryRawUnsafe(`SELECT "runId", "at", "value" FROM "perf_results" WHERE "metricId" = $1 AND "testbedId" = $2 AND "branch" = 'main' ORDER BY "at" DESC, "id" DESC LIMIT 300`, ids[(i * 13 + 5) % ids.length]!, testbed.id);
      ref.push(ms(s0));
    }
    console.log(`/performance/[project]/metrics/[id] server time (queries and change points), 20 loads: p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms (target p95 < 300 ms)`);
    console.log(`reference (one SELECT of the series' 300 chart rows): p50 ${pct(ref, 0.5).toFixed(1)} ms`);
    console.log(`ratio page / reference (p50): ${(pct(times, 0.5) / pct(ref, 0.5)).toFixed(1)}x`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
