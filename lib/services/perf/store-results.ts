/**
 * Bulk insert of a run's results with their verdicts: one INSERT … SELECT FROM unnest(column
 * arrays) per 1,000 rows, as plan entries are stored (lib/services/retention/plan-entries.ts).
 * Prisma's createMany plans every row's parameters; with 1,000 metrics × 100 samples it took
 * most of an ingest. Samples travel as PostgreSQL array literals (`{1.5,2.25}`) cast to float8[],
 * since unnest would flatten a two-dimensional array. Numbers are finite by construction (the
 * parsers drop NaN and ±Infinity), so a literal is always well-formed.
 */
import type { Prisma } from '@/lib/db/generated/client';

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe'>;

export interface ResultRow {
  metricId: string; value: number; valueKind: string; n: number | null; min: number | null; max: number | null; mean: number | null; median: number | null; stddev: number | null;
  samples: readonly number[]; budget: number | null; budgetStatus: string | null; baselineId: string | null; regression: string | null; worsePct: number | null; pValue: number | null; noiseFloorPct: number | null; reason: string | null;
}

const BATCH = 1000;
const SQL = `INSERT INTO "perf_results" ("runId", "testbedId", "branch", "profile", "at", "metricId", "value", "valueKind", "n", "min", "max", "mean", "median", "stddev", "samples", "budget", "budgetStatus", "baselineId", "regression", "worsePct", "pValue", "noiseFloorPct", "reason")
SELECT $1, $2, $3, $4, $5, m, v, vk, n, mn, mx, me, md, sd, s::float8[], b, bs, bl, rg, wp, pv, nf, rs
FROM unnest($6::text[], $7::float8[], $8::text[], $9::int[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::text[], $16::float8[], $17::text[], $18::text[], $19::text[], $20::float8[], $21::float8[], $22::float8[], $23::text[])
  AS x(m, v, vk, n, mn, mx, me, md, sd, s, b, bs, bl, rg, wp, pv, nf, rs)`;

/** `join` prints each number as `String` does; the map that replaces a non-finite one runs only when there is one. */
const literal = (xs: readonly number[]) => `{${(xs.every(Number.isFinite) ? xs : xs.map((x) => (Number.isFinite(x) ? x : 0))).join(',')}}`;

export async function insertResults(tx: Tx, run: { id: string; testbedId: string; branch: string | null; profile: string; at: Date }, rows: ResultRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    const col = <K extends keyof ResultRow>(k: K) => b.map((r) => r[k]);
    await tx.$executeRawUnsafe(
      SQL, run.id, run.testbedId, run.branch, run.profile, run.at,
      col('metricId'), col('value'), col('valueKind'), col('n'), col('min'), col('max'), col('mean'), col('median'), col('stddev'), b.map((r) => literal(r.samples)),
      col('budget'), col('budgetStatus'), col('baselineId'), col('regression'), col('worsePct'), col('pValue'), col('noiseFloorPct'), col('reason'),
    );
  }
}
