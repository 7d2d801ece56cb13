/**
 * Reads of stored soak runs for the API and the pages, within what the actor may see: the list
 * with a verdict per criterion, and one run with its samples downsampled for charts (at most
 * `points` time buckets, each with the mean and the min/max of RSS) and the fitted growth line with
 * its interval.
 */
import { Prisma } from '@/lib/db/generated/client';
import type { Db } from '@/lib/db/client';
import { CRITERIA, type CriterionId, type CriterionStatus, type LeakVerdictKind } from '@/lib/engine/soak';
import { ServiceError } from '../errors';
import { mayUseProject, requireProject, type ProjectScope } from '../flaky/projects';
import { soakRunDto, type SoakRunResult } from './dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_CHART_POINTS = 400;
export const MAX_CHART_POINTS = 2_000;

export interface SoakRunListItem {
  id: string;
  project: string;
  name: string;
  status: 'pass' | 'fail' | 'unknown';
  leakVerdict: LeakVerdictKind;
  /** The verdict's sentence (lib/engine/soak/leak.ts). */
  leakReason: string;
  slopeMbPerHour: number | null;
  lowerMbPerHour: number | null;
  upperMbPerHour: number | null;
  startedAt: string;
  endedAt: string | null;
  receivedAt: string;
  durationHours: number | null;
  sampleCount: number;
  branch: string | null;
  /** Judged with the run's own thresholds: `target` (`< 10`), `threshold`, `detail`. */
  criteria: { id: CriterionId; status: CriterionStatus; value: number | null; unit: string; target: string; threshold: number; detail: string }[];
}

export async function listSoakRuns(db: Db, scope: ProjectScope, opts: { project?: string; limit?: number; before?: Date } = {}): Promise<SoakRunListItem[]> {
  const take = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const where: Prisma.SoakRunWhereInput = {};
  if (opts.project) where.projectId = (await requireProject(db, scope, opts.project)).id;
  if (opts.before) where.startedAt = { lt: opts.before };
  // A token limited to some projects lists only theirs (and never learns of the others).
  if (scope !== 'all' && scope.type === 'token' && scope.projects?.length) where.project = { key: { in: scope.projects } };
  const rows = await db.soakRun.findMany({
    where, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take,
    include: { project: { select: { key: true } }, criteria: { select: { criterion: true, status: true, value: true, unit: true, target: true, threshold: true, detail: true } } },
  });
  return rows.filter((r) => mayUseProject(scope, r.project.key)).map((r) => ({
    id: r.id, project: r.project.key, name: r.name, status: r.status as SoakRunListItem['status'], leakVerdict: r.leakVerdict as LeakVerdictKind, leakReason: r.leakReason,
    slopeMbPerHour: r.slopeMbPerHour, lowerMbPerHour: r.slopeLower, upperMbPerHour: r.slopeUpper,
    startedAt: r.startedAt.toISOString(), endedAt: r.endedAt?.toISOString() ?? null, receivedAt: r.receivedAt.toISOString(), durationHours: r.durationHours, sampleCount: r.sampleCount, branch: r.branch,
    criteria: CRITERIA.flatMap((id) => r.criteria.filter((c) => c.criterion === id)).map((c) => ({ id: c.criterion as CriterionId, status: c.status as CriterionStatus, value: c.value, unit: c.unit, target: c.target, threshold: c.threshold, detail: c.detail })),
  }));
}

export interface SoakChartPoint {
  /** Bucket start, epoch ms. */
  t: number;
  rssMb: number | null;
  rssMinMb: number | null;
  rssMaxMb: number | null;
  cpuPct: number | null;
  openFds: number | null;
  threads: number | null;
  diskMb: number | null;
  zombies: number | null;
  reconnects: number | null;
}

export interface SoakFitLine {
  /** Points of the fitted line and of the interval's slopes, pivoting on the middle of the fit window. */
  points: { t: number; mb: number; lowerMb: number; upperMb: number }[];
}

export interface SoakRunDetail extends SoakRunResult {
  series: { bucketMs: number; points: SoakChartPoint[] };
  fitLine: SoakFitLine | null;
}

/** One run; not_found both for an unknown id and for a project the actor may not see. */
export async function getSoakRun(db: Db, scope: ProjectScope, id: string, opts: { points?: number } = {}): Promise<SoakRunDetail> {
  const run = UUID.test(id) ? await db.soakRun.findUnique({ where: { id }, select: { id: true, project: { select: { key: true } } } }) : null;
  if (!run || !mayUseProject(scope, run.project.key)) throw new ServiceError('not_found', `No soak run "${id}".`);
  const dto = await soakRunDto(db, run.id, false);
  const points = Math.min(Math.max(Math.trunc(opts.points ?? DEFAULT_CHART_POINTS), 10), MAX_CHART_POINTS);
  return { ...dto, series: await chartSeries(db, run.id, dto, points), fitLine: fitLine(dto) };
}

async function chartSeries(db: Db, runId: string, run: SoakRunResult, points: number): Promise<SoakRunDetail['series']> {
  if (!run.sampleCount) return { bucketMs: 0, points: [] };
  const from = new Date(run.startedAt).getTime();
  const to = run.endedAt ? new Date(run.endedAt).getTime() : from;
  const bucketMs = Math.max(1, Math.ceil((to - from + 1) / points));
  const rows = await db.$queryRaw<{ b: number; rss: number | null; rmin: number | null; rmax: number | null; cpu: number | null; fds: number | null; thr: number | null; disk: number | null; zom: number | null; rec: number | null }[]>(Prisma.sql`
    SELECT floor((extract(epoch FROM "t") * 1000 - ${from}) / ${bucketMs})::int AS b,
           avg("rssMb") AS rss, min("rssMb") AS rmin, max("rssMb") AS rmax, avg("cpuPct") AS cpu,
           max("openFds")::float8 AS fds, max("threads")::float8 AS thr, max("diskMb") AS disk, max("zombies")::float8 AS zom, max("reconnects")::float8 AS rec
    FROM "soak_samples" WHERE "runId" = ${runId}
    GROUP BY 1 ORDER BY 1`);
  return {
    bucketMs,
    points: rows.map((r) => ({ t: from + Number(r.b) * bucketMs, rssMb: r.rss, rssMinMb: r.rmin, rssMaxMb: r.rmax, cpuPct: r.cpu, openFds: r.fds, threads: r.thr, diskMb: r.disk, zombies: r.zom, reconnects: r.rec })),
  };
}

export function fitLine(run: Pick<SoakRunResult, 'leak'>): SoakFitLine | null {
  const l = run.leak;
  if (l.slopeMbPerHour === null || l.lowerMbPerHour === null || l.upperMbPerHour === null || l.interceptMb === null || !l.fitFrom || !l.fitTo) return null;
  const t0 = new Date(l.fitFrom).getTime();
  const t1 = new Date(l.fitTo).getTime();
  const mid = (t0 + t1) / 2;
  const yMid = l.interceptMb + (l.slopeMbPerHour * (mid - t0)) / 3_600_000;
  const at = (t: number) => {
    const h = (t - mid) / 3_600_000;
    return { t, mb: yMid + l.slopeMbPerHour! * h, lowerMb: yMid + (h >= 0 ? l.lowerMbPerHour! : l.upperMbPerHour!) * h, upperMb: yMid + (h >= 0 ? l.upperMbPerHour! : l.lowerMbPerHour!) * h };
  };
  return { points: [at(t0), at(mid), at(t1)] };
}
