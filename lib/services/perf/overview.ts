/**
 * Per-project perf figures for /performance and `/metrics`, read from the stored verdicts:
 * metrics tracked, runs in the last 30 days, regressions by state, and budget breaches in each
 * series' latest run per profile (a series being one metric on one testbed, whatever the branch:
 * abandoned PR branches do not pile up old breaches).
 */
import type { Db } from '@/lib/db/client';
import { mayUseProject, type ProjectScope } from '../flaky/projects';

const DAY = 86_400_000;

export interface ProfileBreaches {
  profile: string;
  /** Series (metric × testbed) whose latest run in this profile is over its budget (fail or pre-existing). */
  breaches: number;
  /** Series with a latest run in this profile that had a budget. */
  budgeted: number;
  /** When the latest run of this profile ran. */
  lastRunAt: string;
}

export interface PerfProjectCard {
  key: string;
  name: string;
  metrics: number;
  testbeds: number;
  runs30d: number;
  lastRunAt: string | null;
  regressions: { open: number; acknowledged: number };
  profiles: ProfileBreaches[];
}

/** Breaches per profile in one project (or all projects), each series' latest result. */
export async function budgetBreaches(db: Db, projectId?: string): Promise<Map<string, ProfileBreaches[]>> {
  const rows = await db.$queryRawUnsafe<{ projectId: string; profile: string; breaches: number; budgeted: number; lastRunAt: Date }[]>(
    `SELECT "projectId", "profile",
            count(*) FILTER (WHERE "budgetStatus" IN ('fail', 'pre-existing'))::int AS "breaches",
            count(*) FILTER (WHERE "budgetStatus" IS NOT NULL)::int AS "budgeted",
            max("at") AS "lastRunAt"
     FROM (
       SELECT m."projectId", r."profile", r."budgetStatus", r."at",
              row_number() OVER (PARTITION BY r."metricId", r."testbedId", r."profile" ORDER BY r."at" DESC, r."id" DESC) AS rn
       FROM "perf_results" r JOIN "perf_metrics" m ON m."id" = r."metricId"
       ${projectId ? 'WHERE m."projectId" = $1' : ''}
     ) t
     WHERE rn = 1
     GROUP BY "projectId", "profile"
     ORDER BY "projectId", "profile"`,
    ...(projectId ? [projectId] : []),
  );
  const out = new Map<string, ProfileBreaches[]>();
  for (const r of rows) {
    const list = out.get(r.projectId) ?? [];
    list.push({ profile: r.profile, breaches: r.breaches, budgeted: r.budgeted, lastRunAt: new Date(r.lastRunAt).toISOString() });
    out.set(r.projectId, list);
  }
  return out;
}

/** Regressions by state, per project. */
export async function regressionCounts(db: Db): Promise<Map<string, { open: number; acknowledged: number }>> {
  const rows = await db.$queryRawUnsafe<{ projectId: string; open: number; acknowledged: number }[]>(
    `SELECT m."projectId", count(*) FILTER (WHERE g."status" = 'open')::int AS "open", count(*) FILTER (WHERE g."status" = 'acknowledged')::int AS "acknowledged"
     FROM "perf_regressions" g JOIN "perf_metrics" m ON m."id" = g."metricId"
     GROUP BY m."projectId"`,
  );
  return new Map(rows.map((r) => [r.projectId, { open: r.open, acknowledged: r.acknowledged }]));
}

/** Projects that have at least one perf run, by key, with their cards' figures. */
export async function listPerfProjects(db: Db, scope: ProjectScope, now: Date): Promise<PerfProjectCard[]> {
  const projects = (await db.project.findMany({ where: { perfRuns: { some: {} } }, orderBy: { key: 'asc' }, select: { id: true, key: true, name: true } })).filter((p) => mayUseProject(scope, p.key));
  if (!projects.length) return [];
  const ids = projects.map((p) => p.id);
  const since = new Date(now.getTime() - 30 * DAY);
  const [metrics, testbeds, runs, last, breaches, regressions] = await Promise.all([
    db.perfMetric.groupBy({ by: ['projectId'], where: { projectId: { in: ids }, results: { some: {} } }, _count: { _all: true } }),
    db.perfTestbed.groupBy({ by: ['projectId'], where: { projectId: { in: ids } }, _count: { _all: true } }),
    db.perfRun.groupBy({ by: ['projectId'], where: { projectId: { in: ids }, at: { gte: since, lte: now } }, _count: { _all: true } }),
    db.perfRun.groupBy({ by: ['projectId'], where: { projectId: { in: ids } }, _max: { at: true } }),
    budgetBreaches(db),
    regressionCounts(db),
  ]);
  const count = (rows: { projectId: string; _count: { _all: number } }[], id: string) => rows.find((r) => r.projectId === id)?._count._all ?? 0;
  return projects.map((p) => ({
    key: p.key,
    name: p.name,
    metrics: count(metrics, p.id),
    testbeds: count(testbeds, p.id),
    runs30d: count(runs, p.id),
    lastRunAt: last.find((r) => r.projectId === p.id)?._max.at?.toISOString() ?? null,
    regressions: regressions.get(p.id) ?? { open: 0, acknowledged: 0 },
    profiles: breaches.get(p.id) ?? [],
  }));
}
