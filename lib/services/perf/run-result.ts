/** A stored perf run with its per-metric verdicts, as the API and the CLI gate read it. */
import type { Db } from '@/lib/db/client';
import type { BudgetStatus, RegressionStatus, ValueKind } from '@/lib/engine/perf';
import type { RunStatus } from './verdicts';

export interface PerfMetricVerdict {
  name: string;
  measure: string;
  unit: string;
  direction: string;
  value: number;
  valueKind: ValueKind;
  n: number | null;
  budget: { limit: number; status: BudgetStatus } | null;
  baseline: { version: number; value: number } | null;
  regression: { status: RegressionStatus; worsePct: number; pValue: number | null; noiseFloorPct: number | null; reason: string } | null;
}

export interface PerfRunResult {
  id: string;
  duplicate: boolean;
  project: string;
  profile: string;
  branch: string | null;
  baseBranch: string;
  commit: string | null;
  testbed: string;
  at: string;
  status: RunStatus;
  files: { file: string; format: string; metrics: number; warnings: string[] }[];
  metrics: PerfMetricVerdict[];
  warnings: string[];
}

/**
 * The run's results in one statement with their metric and the baseline each was judged against
 * (a Prisma include of 1,000 results with their metrics cost more in the client than the query).
 */
const RESULTS_SQL = `SELECT m."name", m."measure", m."unit", m."direction", r."value", r."valueKind", r."n", r."budget", r."budgetStatus",
  r."regression", r."worsePct", r."pValue", r."noiseFloorPct", r."reason", b."version" AS "baselineVersion", b."value" AS "baselineValue"
FROM "perf_results" r
JOIN "perf_metrics" m ON m."id" = r."metricId"
LEFT JOIN "perf_baselines" b ON b."id" = r."baselineId"
WHERE r."runId" = $1
ORDER BY r."id"`;

interface ResultRow {
  name: string; measure: string; unit: string; direction: string; value: number; valueKind: string; n: number | null; budget: number | null; budgetStatus: string | null;
  regression: string | null; worsePct: number | null; pValue: number | null; noiseFloorPct: number | null; reason: string | null; baselineVersion: number | null; baselineValue: number | null;
}

export async function runResultDto(db: Db, runId: string, duplicate: boolean): Promise<PerfRunResult> {
  const run = await db.perfRun.findUniqueOrThrow({ where: { id: runId }, include: { project: { select: { key: true } }, testbed: { select: { label: true } } } });
  const results = await db.$queryRawUnsafe<ResultRow[]>(RESULTS_SQL, runId);
  const files = run.files as PerfRunResult['files'];
  return {
    id: run.id, duplicate, project: run.project.key, profile: run.profile, branch: run.branch, baseBranch: run.baseBranch, commit: run.commit,
    testbed: run.testbed.label, at: run.at.toISOString(), status: run.status as RunStatus, files,
    warnings: files.flatMap((f) => f.warnings.map((w) => `${f.file}: ${w}`)),
    metrics: results.map((r) => ({
      name: r.name, measure: r.measure, unit: r.unit, direction: r.direction, value: r.value, valueKind: r.valueKind as ValueKind, n: r.n,
      budget: r.budget === null ? null : { limit: r.budget, status: r.budgetStatus as BudgetStatus },
      baseline: r.baselineVersion === null || r.baselineValue === null ? null : { version: r.baselineVersion, value: r.baselineValue },
      regression: r.regression === null ? null : { status: r.regression as RegressionStatus, worsePct: r.worsePct!, pValue: r.pValue, noiseFloorPct: r.noiseFloorPct, reason: r.reason ?? '' },
    })),
  };
}
