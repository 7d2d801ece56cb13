/**
 * One metric's page: its series on a testbed and branch (the judged value over time, min and
 * median where stored, each run's stored verdict), change points computed on read over the series
 * (`detectChangePoints`, the same engine the refresh rule uses), the budget of the profile, the
 * current baseline with the noise floor of its latest comparison, and every baseline version.
 */
import type { Db } from '@/lib/db/client';
import { detectChangePoints, type ChangePoint } from '@/lib/engine/perf';
import { ServiceError } from '../errors';

/** The chart shows the last runs of the series; change points are found over the same points. */
export const CHART_RUNS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MetricInfo {
  id: string; name: string; measure: string; unit: string; direction: string; kind: string;
  /** Testbeds with results of this metric, the most recently used first. */
  testbeds: { id: string; label: string; lastAt: string }[];
  branches: string[];
}

export async function getMetric(db: Db, projectId: string, metricId: string): Promise<MetricInfo> {
  const m = UUID.test(metricId) ? await db.perfMetric.findFirst({ where: { id: metricId, projectId }, select: { id: true, name: true, measure: true, unit: true, direction: true, kind: true } }) : null;
  if (!m) throw new ServiceError('not_found', `No metric "${metricId}".`);
  const [tb, br] = await Promise.all([
    db.perfResult.groupBy({ by: ['testbedId'], where: { metricId }, _max: { at: true }, orderBy: { _max: { at: 'desc' } } }),
    db.perfResult.groupBy({ by: ['branch'], where: { metricId, branch: { not: null } }, _max: { at: true }, orderBy: { _max: { at: 'desc' } }, take: 50 }),
  ]);
  const labels = await db.perfTestbed.findMany({ where: { id: { in: tb.map((t) => t.testbedId) } }, select: { id: true, label: true } });
  return {
    ...m,
    testbeds: tb.map((t) => ({ id: t.testbedId, label: labels.find((l) => l.id === t.testbedId)?.label ?? '?', lastAt: t._max.at!.toISOString() })),
    branches: br.map((b) => b.branch!),
  };
}

export interface SeriesPoint {
  runId: string; at: string; commit: string | null; profile: string;
  value: number; valueKind: string; min: number | null; median: number | null; n: number | null;
  budget: number | null; budgetStatus: string | null;
  regression: string | null; worsePct: number | null; noiseFloorPct: number | null;
  baselineVersion: number | null;
}

export interface BaselineVersion {
  id: string; version: number; value: number; note: string; createdBy: string; createdAt: string;
  firstCommit: string | null; lastCommit: string | null; runs: number; samples: number;
}

export interface SeriesDetail {
  points: SeriesPoint[];
  changePoints: (ChangePoint & { at: string; runId: string })[];
  versions: BaselineVersion[];
  head: { version: number; baselineVersion: number; value: number; updatedAt: string; updatedBy: string; noiseFloorPct: number | null } | null;
  /** The current budget of the latest run's profile for this metric. */
  budget: { profile: string; limit: number } | null;
}

export async function seriesDetail(db: Db, projectId: string, key: { metricId: string; testbedId: string; branch: string }, metric: { name: string; measure: string }): Promise<SeriesDetail> {
  const rows = (await db.perfResult.findMany({
    where: key, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: CHART_RUNS,
    select: { runId: true, at: true, profile: true, value: true, valueKind: true, min: true, median: true, n: true, budget: true, budgetStatus: true, regression: true, worsePct: true, noiseFloorPct: true, baselineId: true, run: { select: { commit: true } } },
  })).reverse();
  const [versions, head] = await Promise.all([
    db.perfBaseline.findMany({ where: key, orderBy: { version: 'desc' }, select: { id: true, version: true, value: true, note: true, createdBy: true, createdAt: true, firstCommit: true, lastCommit: true, history: true, samples: true } }),
    db.perfBaselineHead.findUnique({ where: { metricId_testbedId_branch: key }, select: { version: true, baselineId: true, updatedAt: true, updatedBy: true, baseline: { select: { version: true, value: true } } } }),
  ]);
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  const points: SeriesPoint[] = rows.map((r) => ({
    runId: r.runId, at: r.at.toISOString(), commit: r.run.commit, profile: r.profile, value: r.value, valueKind: r.valueKind, min: r.min, median: r.median, n: r.n,
    budget: r.budget, budgetStatus: r.budgetStatus, regression: r.regression, worsePct: r.worsePct, noiseFloorPct: r.noiseFloorPct,
    baselineVersion: r.baselineId ? versionOf.get(r.baselineId) ?? null : null,
  }));
  const cps = detectChangePoints(points.map((p) => p.value));
  const lastAgainstHead = head ? await db.perfResult.findFirst({ where: { ...key, baselineId: head.baselineId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], select: { noiseFloorPct: true } }) : null;
  const profile = points.at(-1)?.profile;
  const budget = profile ? await db.perfBudget.findUnique({ where: { projectId_metric_measure_profile: { projectId, metric: metric.name, measure: metric.measure, profile } }, select: { limit: true } }) : null;
  return {
    points,
    changePoints: cps.map((c) => ({ ...c, at: points[c.index]!.at, runId: points[c.index]!.runId })),
    versions: versions.map((v) => ({ id: v.id, version: v.version, value: v.value, note: v.note, createdBy: v.createdBy, createdAt: v.createdAt.toISOString(), firstCommit: v.firstCommit, lastCommit: v.lastCommit, runs: v.history.length, samples: v.samples.length })),
    head: head ? { version: head.version, baselineVersion: head.baseline.version, value: head.baseline.value, updatedAt: head.updatedAt.toISOString(), updatedBy: head.updatedBy, noiseFloorPct: lastAgainstHead?.noiseFloorPct ?? null } : null,
    budget: profile && budget ? { profile, limit: budget.limit } : null,
  };
}

export interface RunSamples {
  runId: string; at: string; commit: string | null; profile: string; value: number; valueKind: string;
  n: number | null; min: number | null; median: number | null; max: number | null; mean: number | null;
  samples: number[]; regression: string | null; budgetStatus: string | null;
}

/** Results of the series, newest first, a page at a time. */
export async function seriesRuns(db: Db, key: { metricId: string; testbedId: string; branch: string }, page: number, pageSize: number): Promise<{ rows: RunSamples[]; total: number }> {
  const [total, rows] = await Promise.all([
    db.perfResult.count({ where: key }),
    db.perfResult.findMany({ where: key, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize, select: RESULT_SELECT }),
  ]);
  return { rows: rows.map(toSamples).map((r) => ({ ...r, samples: [] })), total };
}

/** Two runs' results of this metric and testbed (any branch), with their raw samples, for the comparison. */
export async function compareRuns(db: Db, key: { metricId: string; testbedId: string }, runIds: string[]): Promise<RunSamples[]> {
  const ids = runIds.filter((id) => UUID.test(id));
  if (!ids.length) return [];
  const rows = await db.perfResult.findMany({ where: { ...key, runId: { in: ids } }, select: RESULT_SELECT });
  return ids.map((id) => rows.find((r) => r.runId === id)).filter((r): r is NonNullable<typeof r> => !!r).map(toSamples);
}

const RESULT_SELECT = { runId: true, at: true, profile: true, value: true, valueKind: true, n: true, min: true, median: true, max: true, mean: true, samples: true, regression: true, budgetStatus: true, run: { select: { commit: true } } } as const;

function toSamples(r: { runId: string; at: Date; profile: string; value: number; valueKind: string; n: number | null; min: number | null; median: number | null; max: number | null; mean: number | null; samples: number[]; regression: string | null; budgetStatus: string | null; run: { commit: string | null } }): RunSamples {
  return { runId: r.runId, at: r.at.toISOString(), commit: r.run.commit, profile: r.profile, value: r.value, valueKind: r.valueKind, n: r.n, min: r.min, median: r.median, max: r.max, mean: r.mean, samples: r.samples, regression: r.regression, budgetStatus: r.budgetStatus };
}
