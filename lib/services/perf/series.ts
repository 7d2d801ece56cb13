/**
 * The metrics table of /performance/[project]: one row per series (metric × testbed) on a branch,
 * its latest stored result with the verdict ingest wrote (the same one the API and `steward perf
 * check` read), the baseline that verdict compared with, the current baseline, and the judged
 * values of its last 30 runs for a sparkline. Paged in SQL by metric name, measure and testbed.
 */
import type { Db } from '@/lib/db/client';
import type { BudgetStatus, RegressionStatus, ValueKind } from '@/lib/engine/perf';

export const SPARK_RUNS = 30;

export interface SeriesFilter {
  branch: string;
  /** Only results of this profile (pr, main…); null: every profile. */
  profile: string | null;
  testbedId: string | null;
}

export interface SeriesLatest {
  runId: string;
  at: string;
  commit: string | null;
  profile: string;
  value: number;
  valueKind: ValueKind;
  n: number | null;
  budget: { limit: number; status: BudgetStatus } | null;
  /** The baseline this result was judged against (as in the run's verdicts). */
  baseline: { version: number; value: number } | null;
  regression: { status: RegressionStatus; worsePct: number; noiseFloorPct: number | null; pValue: number | null; reason: string } | null;
}

export interface SeriesRow {
  metric: { id: string; name: string; measure: string; unit: string; direction: string };
  testbed: { id: string; label: string };
  runs: number;
  latest: SeriesLatest;
  /** The head baseline of (metric, testbed, the latest run's base branch) now. */
  current: { version: number; value: number } | null;
  /** Judged values of the last runs, oldest first, with each run's regression status. */
  spark: { value: number; status: string | null }[];
}

function filterSql(projectId: string, f: SeriesFilter, first = 1): { sql: string; args: unknown[] } {
  const args: unknown[] = [projectId, f.branch];
  let sql = `m."projectId" = $${first} AND r."branch" = $${first + 1}`;
  if (f.profile) { args.push(f.profile); sql += ` AND r."profile" = $${first + args.length - 1}`; }
  if (f.testbedId) { args.push(f.testbedId); sql += ` AND r."testbedId" = $${first + args.length - 1}`; }
  return { sql, args };
}

export async function seriesPage(db: Db, projectId: string, f: SeriesFilter, page: number, pageSize: number): Promise<{ rows: SeriesRow[]; total: number }> {
  const w = filterSql(projectId, f);
  const from = `FROM "perf_results" r JOIN "perf_metrics" m ON m."id" = r."metricId" JOIN "perf_testbeds" t ON t."id" = r."testbedId" WHERE ${w.sql}`;
  const [totalRow] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(DISTINCT (r."metricId", r."testbedId"))::int AS n ${from}`, ...w.args);
  const keys = await db.$queryRawUnsafe<{ metricId: string; testbedId: string; runs: number }[]>(
    `SELECT r."metricId", r."testbedId", count(*)::int AS "runs" ${from}
     GROUP BY r."metricId", r."testbedId", m."name", m."measure", t."label"
     ORDER BY m."name", m."measure", t."label" LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    ...w.args,
  );
  if (!keys.length) return { rows: [], total: totalRow?.n ?? 0 };
  const metricIds = [...new Set(keys.map((k) => k.metricId))];
  const testbedIds = [...new Set(keys.map((k) => k.testbedId))];
  const s = filterSql(projectId, f, 3);
  const recent = await db.$queryRawUnsafe<{ id: bigint; metricId: string; testbedId: string; value: number; regression: string | null; rn: number }[]>(
    `SELECT "id", "metricId", "testbedId", "value", "regression", rn::int AS rn FROM (
       SELECT r."id", r."metricId", r."testbedId", r."value", r."regression",
              row_number() OVER (PARTITION BY r."metricId", r."testbedId" ORDER BY r."at" DESC, r."id" DESC) AS rn
       FROM "perf_results" r JOIN "perf_metrics" m ON m."id" = r."metricId"
       WHERE r."metricId" = ANY($1) AND r."testbedId" = ANY($2) AND ${s.sql}
     ) x WHERE rn <= ${SPARK_RUNS} ORDER BY rn DESC`,
    metricIds, testbedIds, ...s.args,
  );
  const latestIds = recent.filter((r) => r.rn === 1).map((r) => r.id);
  const latest = await db.perfResult.findMany({
    where: { id: { in: latestIds } },
    include: { metric: { select: { id: true, name: true, measure: true, unit: true, direction: true } }, run: { select: { commit: true, baseBranch: true, testbed: { select: { id: true, label: true } } } } },
  });
  const baselineIds = [...new Set(latest.map((r) => r.baselineId).filter((x): x is string => x !== null))];
  const [judgedAgainst, heads] = await Promise.all([
    db.perfBaseline.findMany({ where: { id: { in: baselineIds } }, select: { id: true, version: true, value: true } }),
    db.perfBaselineHead.findMany({ where: { metricId: { in: metricIds }, testbedId: { in: testbedIds } }, select: { metricId: true, testbedId: true, branch: true, baseline: { select: { version: true, value: true } } } }),
  ]);
  const k = (a: string, b: string) => `${a}\u0000${b}`;
  const rows: SeriesRow[] = [];
  for (const key of keys) {
    const r = latest.find((x) => x.metricId === key.metricId && x.testbedId === key.testbedId);
    if (!r) continue;
    const b = judgedAgainst.find((x) => x.id === r.baselineId);
    const head = heads.find((h) => k(h.metricId, h.testbedId) === k(key.metricId, key.testbedId) && h.branch === r.run.baseBranch);
    rows.push({
      metric: r.metric,
      testbed: r.run.testbed,
      runs: key.runs,
      latest: {
        runId: r.runId, at: r.at.toISOString(), commit: r.run.commit, profile: r.profile, value: r.value, valueKind: r.valueKind as ValueKind, n: r.n,
        budget: r.budget === null ? null : { limit: r.budget, status: r.budgetStatus as BudgetStatus },
        baseline: b ? { version: b.version, value: b.value } : null,
        regression: r.regression === null ? null : { status: r.regression as RegressionStatus, worsePct: r.worsePct!, noiseFloorPct: r.noiseFloorPct, pValue: r.pValue, reason: r.reason ?? '' },
      },
      current: head ? head.baseline : null,
      spark: recent.filter((x) => x.metricId === key.metricId && x.testbedId === key.testbedId).map((x) => ({ value: x.value, status: x.regression })),
    });
  }
  return { rows, total: totalRow?.n ?? 0 };
}

export interface FilterOptions {
  profiles: string[];
  /** Branches by their latest run, newest first (at most 50), the base branches first. */
  branches: string[];
  /** Branches runs are compared with (main, nightly): where baselines live and regressions open. */
  bases: string[];
  testbeds: { id: string; label: string }[];
}

export async function filterOptions(db: Db, projectId: string): Promise<FilterOptions> {
  const [profiles, branches, bases, testbeds] = await Promise.all([
    db.perfRun.groupBy({ by: ['profile'], where: { projectId }, orderBy: { profile: 'asc' } }),
    db.perfRun.groupBy({ by: ['branch'], where: { projectId, branch: { not: null } }, _max: { at: true }, orderBy: { _max: { at: 'desc' } }, take: 50 }),
    db.perfRun.groupBy({ by: ['baseBranch'], where: { projectId }, orderBy: { baseBranch: 'asc' } }),
    db.perfTestbed.findMany({ where: { projectId }, orderBy: { label: 'asc' }, select: { id: true, label: true } }),
  ]);
  const baseNames = bases.map((b) => b.baseBranch);
  const rest = branches.map((b) => b.branch!).filter((b) => !baseNames.includes(b));
  return { profiles: profiles.map((p) => p.profile), branches: [...baseNames, ...rest], bases: baseNames, testbeds };
}
