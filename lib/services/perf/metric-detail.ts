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

interface ChartRow {
  runId: string; at: Date; profile: string; value: number; valueKind: string; min: number | null; median: number | null; n: number | null;
  budget: number | null; budgetStatus: string | null; regression: string | null; worsePct: number | null; noiseFloorPct: number | null; baselineId: string | null; commit: string | null;
}

export async function seriesDetail(db: Db, projectId: string, key: { metricId: string; testbedId: string; branch: string }, metric: { name: string; measure: string }): Promise<SeriesDetail> {
  const [newestFirst, versions, head] = await Promise.all([
    // The chart's rows with their run's commit in one statement (as a Prisma relation select, the
    // 300 rows cost several times the query in the client).
    db.$queryRaw<ChartRow[]>`
      SELECT r."runId", r."at", r."profile", r."value", r."valueKind", r."min", r."median", r."n", r."budget", r."budgetStatus", r."regression", r."worsePct", r."noiseFloorPct", r."baselineId", x."commit"
      FROM "perf_results" r JOIN "perf_runs" x ON x."id" = r."runId"
      WHERE r."metricId" = ${key.metricId} AND r."testbedId" = ${key.testbedId} AND r."branch" = ${key.branch}
      ORDER BY r."at" DESC, r."id" DESC
      LIMIT ${CHART_RUNS}`,
    // How many runs and samples each version holds, counted in SQL: two years of weekly refreshes
    // are 100 versions of up to 10,000 samples, which the page only counts.
    db.$queryRaw<{ id: string; version: number; value: number; note: string; createdBy: string; createdAt: Date; firstCommit: string | null; lastCommit: string | null; runs: number; samples: number }[]>`
      SELECT "id", "version", "value", "note", "createdBy", "createdAt", "firstCommit", "lastCommit", cardinality("history") AS "runs", cardinality("samples") AS "samples"
      FROM "perf_baselines" WHERE "metricId" = ${key.metricId} AND "testbedId" = ${key.testbedId} AND "branch" = ${key.branch}
      ORDER BY "version" DESC`,
    db.perfBaselineHead.findUnique({ where: { metricId_testbedId_branch: key }, select: { version: true, baselineId: true, updatedAt: true, updatedBy: true, baseline: { select: { version: true, value: true } } } }),
  ]);
  const rows = newestFirst.reverse();
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  const points: SeriesPoint[] = rows.map((r) => ({
    runId: r.runId, at: r.at.toISOString(), commit: r.commit, profile: r.profile, value: r.value, valueKind: r.valueKind, min: r.min, median: r.median, n: r.n,
    budget: r.budget, budgetStatus: r.budgetStatus, regression: r.regression, worsePct: r.worsePct, noiseFloorPct: r.noiseFloorPct,
    baselineVersion: r.baselineId ? versionOf.get(r.baselineId) ?? null : null,
  }));
  const cps = detectChangePoints(points.map((p) => p.value));
  // The newest result judged against the head: among the chart's rows (the newest of the series) when
  // one of them was, else further back (a head rolled back to a version last used long ago).
  const inChart = head ? rows.findLast((r) => r.baselineId === head.baselineId) : undefined;
  const lastAgainstHead = !head ? null : inChart ?? await db.perfResult.findFirst({ where: { ...key, baselineId: head.baselineId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], select: { noiseFloorPct: true } });
  const profile = points.at(-1)?.profile;
  const budget = profile ? await db.perfBudget.findUnique({ where: { projectId_metric_measure_profile: { projectId, metric: metric.name, measure: metric.measure, profile } }, select: { limit: true } }) : null;
  return {
    points,
    changePoints: cps.map((c) => ({ ...c, at: points[c.index]!.at, runId: points[c.index]!.runId })),
    versions: versions.map((v) => ({ id: v.id, version: v.version, value: v.value, note: v.note, createdBy: v.createdBy, createdAt: v.createdAt.toISOString(), firstCommit: v.firstCommit, lastCommit: v.lastCommit, runs: v.runs, samples: v.samples })),
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
    // The table shows no samples: they are not read.
    db.perfResult.findMany({ where: key, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize, select: { ...RESULT_SELECT, samples: false } }),
  ]);
  return { rows: rows.map((r) => toSamples({ ...r, samples: [] })), total };
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
