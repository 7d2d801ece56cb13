/**
 * Reads for the Flaky tests pages. Every figure comes from stored rows: the daily aggregates
 * (test_daily_stats, kept after raw results are pruned) for rates and trends, the tests table for
 * state, test_results for per-test history. Lists page on the server.
 */
import type { Db } from '@/lib/db/client';
import { TARGETS } from '@/lib/engine/flaky';

const DAY = 86_400_000;

export interface WindowStats {
  days: number;
  results: number;
  flaky: number;
  failed: number;
  /** flaky / results, or null below `minResults`. */
  flakeRate: number | null;
  retryMs: number;
  infraUploads: number;
}

export interface ProjectOverview {
  windows: WindowStats[];
  tracked: number;
  quarantined: number;
  quarantinedShare: number | null;
  broken: number;
  eligible: number;
  newFlakyThisWeek: number;
  targets: { flakeRate: number; quarantinedShare: number };
}

const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

export async function projectOverview(db: Db, projectId: string, now: Date, minResults = 5): Promise<ProjectOverview> {
  const windows: WindowStats[] = [];
  for (const days of [7, 30]) {
    const since = new Date(startOfDay(now).getTime() - (days - 1) * DAY);
    const [row] = await db.$queryRaw<{ results: bigint | null; flaky: bigint | null; failed: bigint | null; retry: bigint | null; infra: bigint | null }[]>`
      SELECT SUM("results") AS results, SUM("flaky") AS flaky, SUM("failed" + "errors") AS failed, SUM("retryMs") AS retry, SUM("infra") AS infra
        FROM "test_daily_stats" WHERE "projectId" = ${projectId} AND "day" >= ${since}::date AND "day" <= ${now}::date`;
    const results = Number(row?.results ?? 0);
    const flaky = Number(row?.flaky ?? 0);
    windows.push({ days, results, flaky, failed: Number(row?.failed ?? 0), flakeRate: results >= minResults ? flaky / results : null, retryMs: Number(row?.retry ?? 0), infraUploads: Number(row?.infra ?? 0) });
  }
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const monthAgo = new Date(now.getTime() - 30 * DAY);
  const [c] = await db.$queryRaw<{ tracked: bigint; quarantined: bigint; broken: bigint; eligible: bigint }[]>`
    SELECT COUNT(*) FILTER (WHERE "lastSeenAt" > ${monthAgo}) AS tracked,
           COUNT(*) FILTER (WHERE "status" = 'quarantined') AS quarantined,
           COUNT(*) FILTER (WHERE "broken") AS broken,
           COUNT(*) FILTER (WHERE "status" = 'quarantined' AND "eligibleAt" IS NOT NULL) AS eligible
      FROM "tests" WHERE "projectId" = ${projectId}`;
  // New flaky this week: a first flake inside the last 7 days (no flaky result before it).
  const [n] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*) AS n FROM "tests" t
     WHERE t."projectId" = ${projectId} AND t."lastFlakeAt" > ${weekAgo}
       AND NOT EXISTS (SELECT 1 FROM "test_events" e WHERE e."testId" = t."id" AND e."kind" = 'quarantined' AND e."at" <= ${weekAgo})
       AND NOT EXISTS (SELECT 1 FROM "test_results" r WHERE r."testId" = t."id" AND r."outcome" = 'flaky' AND NOT r."infra" AND r."at" <= ${weekAgo})`;
  const tracked = Number(c?.tracked ?? 0);
  const quarantined = Number(c?.quarantined ?? 0);
  return {
    windows, tracked, quarantined, quarantinedShare: tracked ? quarantined / tracked : null, broken: Number(c?.broken ?? 0), eligible: Number(c?.eligible ?? 0),
    newFlakyThisWeek: Number(n?.n ?? 0), targets: { ...TARGETS },
  };
}

export interface TrendPoint {
  day: string;
  results: number;
  flaky: number;
  failed: number;
  flakeRate: number | null;
}

/** One point per UTC day with results, oldest first, over `days` days ending today. */
export async function flakeTrend(db: Db, projectId: string, days: number, now: Date): Promise<TrendPoint[]> {
  const since = new Date(startOfDay(now).getTime() - (days - 1) * DAY);
  const rows = await db.$queryRaw<{ day: Date; results: number; flaky: number; failed: number }[]>`
    SELECT "day", "results", "flaky", "failed" + "errors" AS failed FROM "test_daily_stats"
     WHERE "projectId" = ${projectId} AND "day" >= ${since}::date AND "day" <= ${now}::date ORDER BY "day"`;
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), results: r.results, flaky: r.flaky, failed: Number(r.failed), flakeRate: r.results ? r.flaky / r.results : null }));
}

export interface QuarantineRow {
  id: string;
  name: string;
  classname: string;
  file: string | null;
  since: string | null;
  reason: string | null;
  by: string | null;
  expires: string | null;
  greenStreak: number;
  eligible: boolean;
  ticket: { id: string; status: string; owner: string | null } | null;
}

export const QUARANTINE_SORTS = ['since', 'name', 'progress'] as const;
export type QuarantineSort = (typeof QUARANTINE_SORTS)[number];

export async function quarantinePage(db: Db, projectId: string, opts: { page: number; pageSize: number; sort: QuarantineSort; eligibleOnly: boolean; q?: string }): Promise<{ rows: QuarantineRow[]; total: number }> {
  const where = {
    projectId, status: 'quarantined',
    ...(opts.eligibleOnly ? { eligibleAt: { not: null } } : {}),
    ...(opts.q ? { OR: [{ name: { contains: opts.q, mode: 'insensitive' as const } }, { classname: { contains: opts.q, mode: 'insensitive' as const } }] } : {}),
  };
  const orderBy =
    opts.sort === 'name' ? [{ name: 'asc' as const }, { id: 'asc' as const }]
      : opts.sort === 'progress' ? [{ greenStreak: 'desc' as const }, { quarantinedAt: 'asc' as const }, { id: 'asc' as const }]
        : [{ quarantinedAt: 'asc' as const }, { id: 'asc' as const }];
  const [total, rows] = await Promise.all([
    db.testCase.count({ where }),
    db.testCase.findMany({ where, orderBy, skip: (opts.page - 1) * opts.pageSize, take: opts.pageSize, include: { tickets: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true, status: true, owner: true } } } }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, name: r.name, classname: r.classname, file: r.file, since: r.quarantinedAt?.toISOString() ?? null, reason: r.quarantineReason, by: r.quarantinedBy,
      expires: r.quarantineExpires?.toISOString() ?? null, greenStreak: r.greenStreak, eligible: r.eligibleAt !== null, ticket: r.tickets[0] ?? null,
    })),
  };
}

export interface LeaderRow {
  id: string;
  name: string;
  classname: string;
  status: string;
  flakyResults: number;
  failedResults: number;
  runsImpacted: number;
  timeLostMs: number;
  lastFlakeAt: string | null;
}

/**
 * Tests ranked by what their flakiness cost over `days`: runs impacted (results that were flaky,
 * or failed on a commit where the test also passed) and time lost (failed attempts before a pass,
 * plus whole failed results on such commits, i.e. re-runs).
 */
export async function flakyLeaderboard(db: Db, projectId: string, days: number, now: Date, limit = 25): Promise<LeaderRow[]> {
  return leaderboardBetween(db, projectId, new Date(now.getTime() - days * DAY), now, limit);
}

/**
 * The leaderboard over results with `since < at <= until` (`until` null: every result stored after
 * `since`, which is what the cached leaderboard of the project page reads; see leaderboard-cache.ts).
 */
export async function leaderboardBetween(db: Db, projectId: string, since: Date, until: Date | null, limit: number): Promise<LeaderRow[]> {
  const now = until ?? new Date(8.64e15); // the latest date PostgreSQL and JavaScript share
  // Only results that did not pass are scanned (a partial index holds them: a year of passing
  // results is never read), grouped by (test, commit, variant); a group counts as "passed" when it
  // has a flaky result or a passing result exists for it (one index probe per group), which makes
  // its failures re-runs.
  const rows = await db.$queryRaw<{ id: string; name: string; classname: string; status: string; flaky: bigint; failed: bigint; lost: bigint | null; lastFlakeAt: Date | null }[]>`
    WITH g AS (
      SELECT "testId", "commit", COALESCE("variant", '') AS v,
             COUNT(*) FILTER (WHERE "outcome" = 'flaky') AS flaky,
             COALESCE(SUM("retryMs") FILTER (WHERE "outcome" = 'flaky'), 0) AS retry,
             COUNT(*) FILTER (WHERE "outcome" IN ('failed', 'error')) AS failed,
             COALESCE(SUM(COALESCE("durationMs", 0)) FILTER (WHERE "outcome" IN ('failed', 'error')), 0) AS faildur
        FROM "test_results"
       WHERE "projectId" = ${projectId} AND "at" > ${since} AND "at" <= ${now} AND "outcome" IN ('flaky', 'failed', 'error') AND NOT "infra" AND NOT "synthetic"
       GROUP BY "testId", "commit", COALESCE("variant", '')
    ), j AS (
      -- LATERAL … LIMIT 1: one index probe per group, whatever the planner estimates (with an
      -- EXISTS it may hash the whole table's passing results instead).
      SELECT g.*, (g.flaky > 0 OR p.found IS NOT NULL) AS passed
        FROM g LEFT JOIN LATERAL (
               SELECT 1 AS found FROM "test_results" r
                WHERE g.flaky = 0 AND r."testId" = g."testId" AND r."commit" = g."commit" AND COALESCE(r."variant", '') = g.v AND r."outcome" = 'passed'
                  AND r."at" > ${since} AND r."at" <= ${now} AND NOT r."infra" AND NOT r."synthetic"
                LIMIT 1) p ON true
    ), impact AS (
      SELECT "testId", SUM(flaky) AS flaky,
             SUM(CASE WHEN passed AND "commit" IS NOT NULL THEN failed ELSE 0 END) AS failed,
             SUM(retry + CASE WHEN passed AND "commit" IS NOT NULL THEN faildur ELSE 0 END) AS lost
        FROM j GROUP BY "testId"
    )
    SELECT t."id", t."name", t."classname", t."status", i.flaky, i.failed, i.lost, t."lastFlakeAt"
      FROM impact i JOIN "tests" t ON t."id" = i."testId"
     WHERE i.flaky + i.failed > 0
     ORDER BY (i.flaky + i.failed) DESC, i.lost DESC, t."name"
     LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id, name: r.name, classname: r.classname, status: r.status, flakyResults: Number(r.flaky), failedResults: Number(r.failed),
    runsImpacted: Number(r.flaky) + Number(r.failed), timeLostMs: Number(r.lost ?? 0), lastFlakeAt: r.lastFlakeAt?.toISOString() ?? null,
  }));
}

export async function brokenTests(db: Db, projectId: string, limit = 50) {
  const rows = await db.testCase.findMany({ where: { projectId, broken: true }, orderBy: [{ brokenSince: 'asc' }, { id: 'asc' }], take: limit, select: { id: true, name: true, classname: true, brokenSince: true, status: true } });
  return rows.map((r) => ({ ...r, brokenSince: r.brokenSince?.toISOString() ?? null }));
}

/** Tests that recovered from broken, or were unquarantined, in the last `days`. */
export async function recentlyRecovered(db: Db, projectId: string, days: number, now: Date, limit = 20) {
  const rows = await db.testEvent.findMany({
    where: { kind: { in: ['recovered', 'unquarantined'] }, at: { gt: new Date(now.getTime() - days * DAY), lte: now }, test: { projectId } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { at: true, kind: true, reason: true, actorLabel: true, test: { select: { id: true, name: true, classname: true } } },
  });
  return rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, reason: r.reason, by: r.actorLabel, test: r.test }));
}

export async function uploadsPage(db: Db, projectId: string, opts: { page: number; pageSize: number }) {
  const where = { projectId };
  const [total, rows] = await Promise.all([
    db.testUpload.count({ where }),
    db.testUpload.findMany({ where, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], skip: (opts.page - 1) * opts.pageSize, take: opts.pageSize, omit: { raw: true } }),
  ]);
  return {
    total,
    rows: rows.map((u) => ({
      id: u.id, fileName: u.fileName, format: u.format, producer: u.producer, commit: u.commit, branch: u.branch, runId: u.runId, runUrl: u.runUrl, job: u.job, attempt: u.attempt,
      variant: u.variant, receivedAt: u.receivedAt.toISOString(), uploadedBy: u.uploadedBy, tests: u.tests, passed: u.passed, failed: u.failed, errors: u.errors, skipped: u.skipped,
      flaky: u.flaky, attempts: u.attempts, infra: u.infra, warnings: (u.warnings as { line: number | null; message: string }[]) ?? [],
      /** The raw file is still kept (until then an admin can re-parse it). */
      rawKept: u.rawExpiresAt !== null,
    })),
  };
}
