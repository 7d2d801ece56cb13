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

export async function runResultDto(db: Db, runId: string, duplicate: boolean): Promise<PerfRunResult> {
  const run = await db.perfRun.findUniqueOrThrow({
    where: { id: runId },
    include: { project: { select: { key: true } }, testbed: { select: { label: true } }, results: { orderBy: { id: 'asc' }, omit: { samples: true }, include: { metric: { select: { name: true, measure: true, unit: true, direction: true } } } } },
  });
  const baselineIds = [...new Set(run.results.map((r) => r.baselineId).filter((x): x is string => x !== null))];
  const baselines = baselineIds.length ? await db.perfBaseline.findMany({ where: { id: { in: baselineIds } }, select: { id: true, version: true, value: true } }) : [];
  const baselineOf = new Map(baselines.map((b) => [b.id, b]));
  const files = run.files as PerfRunResult['files'];
  return {
    id: run.id, duplicate, project: run.project.key, profile: run.profile, branch: run.branch, baseBranch: run.baseBranch, commit: run.commit,
    testbed: run.testbed.label, at: run.at.toISOString(), status: run.status as RunStatus, files,
    warnings: files.flatMap((f) => f.warnings.map((w) => `${f.file}: ${w}`)),
    metrics: run.results.map((r) => {
      const b = r.baselineId ? baselineOf.get(r.baselineId) : undefined;
      return {
        name: r.metric.name, measure: r.metric.measure, unit: r.metric.unit, direction: r.metric.direction, value: r.value, valueKind: r.valueKind as ValueKind, n: r.n,
        budget: r.budget === null ? null : { limit: r.budget, status: r.budgetStatus as BudgetStatus },
        baseline: b ? { version: b.version, value: b.value } : null,
        regression: r.regression === null ? null : { status: r.regression as RegressionStatus, worsePct: r.worsePct!, pValue: r.pValue, noiseFloorPct: r.noiseFloorPct, reason: r.reason ?? '' },
      };
    }),
  };
}
