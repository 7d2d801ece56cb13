/**
 * Bench: perf ingest (issue 10). One run of M metrics × S raw samples (default 1,000 × 100, Steward
 * JSON, ~1.5 MB) ingested as the API does it (`ingestPerfRun`: validate, parse, pool, judge against
 * budgets and baselines, store run + results + verdicts, audit) into PostgreSQL, R times (each a new
 * run, so later runs are judged against a baseline), against a reference measured in the same run on
 * the same database: one INSERT … SELECT unnest(…) of the same result rows (the least a store can do).
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/perf-ingest.ts [metrics=1000] [samples=100] [runs=10]
 */
import crypto from 'node:crypto';
import { benchActors, pct, withFreshDatabase } from './support/fresh-db';
import { createProject } from '@/lib/services/flaky/projects';
import { refreshBaseline } from '@/lib/services/perf/baselines';
import { ingestPerfRun } from '@/lib/services/perf/ingest';

const M = Number(process.argv[2] ?? 1000);
const S = Number(process.argv[3] ?? 100);
const R = Number(process.argv[4] ?? 10);

function file(seed: number): string {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const metrics = Array.from({ length: M }, (_, i) => ({ name: `bench_${i}`, unit: 'ms', samples: Array.from({ length: S }, () => Number((10 + (i % 50) + rnd() * 2).toFixed(4))) }));
  return JSON.stringify({ format: 'steward-perf/1', metrics });
}

async function main(): Promise<void> {
  await withFreshDatabase(async (h) => {
    const { cli, ci } = benchActors;
    await createProject(h.db, cli, { key: 'bench', name: 'bench' });
    const body = file(1);
    console.log(`one run: ${M} metrics × ${S} samples, ${(body.length / 1048576).toFixed(2)} MiB of JSON`);
    const t0 = Date.now() - R * 3_600_000;
    const times: number[] = [];
    for (let r = 0; r < R; r++) {
      const content = file(r + 1);
      const s0 = performance.now();
      await ingestPerfRun(h.db, ci, { project: 'bench', profile: 'main', branch: 'main', testbed: { runner: 'bench' }, commit: crypto.randomBytes(20).toString('hex'), files: [{ name: 'perf.json', content }] }, { now: new Date(t0 + r * 3_600_000) });
      times.push(performance.now() - s0);
      if (r === 0) {
        // Baselines for every metric after the first run, so the later runs are judged against them.
        const metrics = await h.db.perfMetric.findMany({ select: { id: true } });
        const testbed = await h.db.perfTestbed.findFirstOrThrow();
        for (const m of metrics) await refreshBaseline(h.db, cli, { project: 'bench', key: { metricId: m.id, testbedId: testbed.id, branch: 'main' }, note: 'bench' }, new Date(t0 + 1000));
      }
    }
    // Reference: the same result rows written in one statement, no parsing, no judging.
    const run = await h.db.perfRun.findFirstOrThrow();
    const metrics = await h.db.perfMetric.findMany({ select: { id: true } });
    const ref: number[] = [];
    for (let r = 0; r < 3; r++) {
      const runId = crypto.randomUUID();
      await h.db.$executeRawUnsafe(`INSERT INTO "perf_runs" ("id","projectId","testbedId","profile","baseBranch","at","receivedAt","actorLabel","status","dedupeKey") SELECT $1, "projectId", "testbedId", 'ref', 'main', now(), now(), 'ref', 'pass', $1 FROM "perf_runs" WHERE "id" = $2`, runId, run.id);
      const samples = JSON.parse(file(r + 100)).metrics.map((m: { samples: number[] }) => `{${m.samples.join(',')}}`);
      const s0 = performance.now();
      await h.db.$executeRawUnsafe(
        `INSERT INTO "perf_results" ("runId","metricId","testbedId","profile","at","value","valueKind","samples") SELECT $1, m, $2, 'ref', now(), 1, 'p95', s::float8[] FROM unnest($3::text[], $4::text[]) AS x(m, s)`,
        runId, run.testbedId, metrics.map((m) => m.id), samples,
      );
      ref.push(performance.now() - s0);
    }
    const steady = times.slice(1);
    console.log(`steward ingest per run (validate → parse → pool → judge → store → audit): first ${times[0]!.toFixed(0)} ms; then p50 ${pct(steady, 0.5).toFixed(0)} ms, p95 ${pct(steady, 0.95).toFixed(0)} ms over ${steady.length} runs`);
    console.log(`reference (one INSERT of the same ${M} result rows with their samples): p50 ${pct(ref, 0.5).toFixed(0)} ms`);
    console.log(`ratio steward / reference (p50): ${(pct(steady, 0.5) / pct(ref, 0.5)).toFixed(1)}x`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
