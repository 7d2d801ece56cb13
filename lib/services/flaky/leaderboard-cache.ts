/**
 * The project page's leaderboard, kept instead of recomputed on every view (issue 9: with a year
 * of results the query takes ~0.5 s; the page's target is p95 < 300 ms).
 *
 * Exact by construction, not "fresh enough": every writer of a project's results (ingest, re-parse,
 * the result pruning) bumps the project's results version as the last statement of its
 * transaction (`bumpResultsVersion`). A reader takes the version first, then computes; it stores
 * what it computed under that version, and a stored leaderboard is served only while its version
 * is still the current one. A computation that overlapped a write is therefore stored under the
 * older version and never served after the write commits.
 *
 * The window is day-aligned ("since 00:00 UTC 30 days ago", up to every result stored), so the
 * answer changes only when results change or a day passes — never with the second the page is
 * viewed. An upload through the server asks for its project's leaderboard to be recomputed as soon
 * as it has answered (`refreshLeaderboard`, one computation per project at a time in a process); a
 * view that finds the stored one stale while that runs waits for it instead of computing the same
 * thing beside it. The `flaky-leaderboards` job recomputes whatever is still stale each minute
 * (uploads on another instance, a new day).
 */
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { leaderboardBetween, type LeaderRow } from './queries';

const DAY = 86_400_000;
export const LEADERBOARD_DAYS = 30;
export const LEADERBOARD_LIMIT = 25;

type Tx = Pick<Prisma.TransactionClient, '$executeRaw'>;

/** The start of the page's window: 00:00 UTC of the day `days` days before `now`. */
export function leaderboardSince(now: Date, days = LEADERBOARD_DAYS): Date {
  return new Date(Math.floor((now.getTime() - days * DAY) / DAY) * DAY);
}

/** Call inside the transaction that changes a project's results, as its last statement. */
export async function bumpResultsVersion(tx: Tx, projectId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "test_results_versions" ("projectId", "version") VALUES (${projectId}, 1)
    ON CONFLICT ("projectId") DO UPDATE SET "version" = "test_results_versions"."version" + 1`;
}

/** After a prune that may have touched every project. */
export async function bumpAllResultsVersions(db: Pick<Db, '$executeRaw'>): Promise<void> {
  await db.$executeRaw`UPDATE "test_results_versions" SET "version" = "version" + 1`;
}

async function currentVersion(db: Db, projectId: string): Promise<bigint> {
  const [row] = await db.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "test_results_versions" WHERE "projectId" = ${projectId}`;
  return row?.version ?? 0n;
}

export interface CachedLeaderboard {
  since: Date;
  rows: LeaderRow[];
  /** Whether this view was served from the stored leaderboard (for the bench and the tests). */
  hit: boolean;
}

async function storedRows(db: Db, projectId: string, since: Date, version: bigint): Promise<LeaderRow[] | null> {
  const [stored] = await db.$queryRaw<{ rows: LeaderRow[] }[]>`
    SELECT "rows" FROM "flaky_leaderboards"
     WHERE "projectId" = ${projectId} AND "days" = ${LEADERBOARD_DAYS} AND "since" = ${since} AND "version" = ${version}`;
  return stored?.rows ?? null;
}

/**
 * The page's leaderboard: the stored one when it is current, else — after the refresh this
 * process is running for the project, if any — computed now and stored.
 */
export async function cachedLeaderboard(db: Db, projectId: string, now: Date): Promise<CachedLeaderboard> {
  const since = leaderboardSince(now);
  let version = await currentVersion(db, projectId);
  let rows = await storedRows(db, projectId, since, version);
  if (rows) return { since, rows, hit: true };
  const running = refreshes(db).get(projectId);
  if (running) {
    await running.done.catch(() => undefined); // its failure is logged where it was started
    version = await currentVersion(db, projectId);
    rows = await storedRows(db, projectId, since, version);
    if (rows) return { since, rows, hit: true };
  }
  return { since, rows: await computeAndStore(db, projectId, since, version, now), hit: false };
}

interface Refresh {
  done: Promise<number>;
  /** Asked for again while running: run once more when this pass ends. */
  again: boolean;
}

// Per database handle and project, on globalThis: the upload route and the page are bundled apart
// but share the process.
const g = globalThis as unknown as { __stewardLeaderboardRefreshes?: WeakMap<Db, Map<string, Refresh>> };
function refreshes(db: Db): Map<string, Refresh> {
  const all = (g.__stewardLeaderboardRefreshes ??= new WeakMap());
  let m = all.get(db);
  if (!m) all.set(db, (m = new Map()));
  return m;
}

/**
 * Recomputes a project's leaderboard now if the stored one is stale; resolves with the number of
 * computations once the leaderboard is current for what had been committed when it was last called.
 * In one process at most one runs per project: a call while one runs makes it run once more
 * afterwards (a burst of shard uploads costs two computations, not one per upload).
 */
export function refreshLeaderboard(db: Db, projectId: string, clock: () => Date = () => new Date()): Promise<number> {
  const map = refreshes(db);
  const running = map.get(projectId);
  if (running) {
    running.again = true;
    return running.done;
  }
  const entry: Refresh = { done: Promise.resolve(0), again: false };
  entry.done = (async () => {
    let computed = 0;
    try {
      do {
        entry.again = false;
        const now = clock();
        const since = leaderboardSince(now);
        const version = await currentVersion(db, projectId);
        if (!(await storedRows(db, projectId, since, version))) {
          await computeAndStore(db, projectId, since, version, now);
          computed++;
        }
      } while (entry.again);
      return computed;
    } finally {
      map.delete(projectId);
    }
  })();
  map.set(projectId, entry);
  return entry.done;
}

async function computeAndStore(db: Db, projectId: string, since: Date, version: bigint, now: Date): Promise<LeaderRow[]> {
  const rows = await leaderboardBetween(db, projectId, since, null, LEADERBOARD_LIMIT);
  // A newer version or window already stored by someone else is never overwritten by an older one.
  await db.$executeRaw`
    INSERT INTO "flaky_leaderboards" ("projectId", "days", "since", "version", "computedAt", "rows")
    VALUES (${projectId}, ${LEADERBOARD_DAYS}, ${since}, ${version}, ${now}, ${JSON.stringify(rows)}::jsonb)
    ON CONFLICT ("projectId", "days") DO UPDATE SET "since" = EXCLUDED."since", "version" = EXCLUDED."version", "computedAt" = EXCLUDED."computedAt", "rows" = EXCLUDED."rows"
     WHERE ("flaky_leaderboards"."since", "flaky_leaderboards"."version") <= (EXCLUDED."since", EXCLUDED."version")`;
  return rows;
}

/** The job: recompute every project's leaderboard whose stored one is stale. Returns how many. */
export async function refreshStaleLeaderboards(db: Db, now: Date, signal?: AbortSignal): Promise<number> {
  const since = leaderboardSince(now);
  const stale = await db.$queryRaw<{ id: string; version: bigint }[]>`
    SELECT p."id", COALESCE(v."version", 0) AS version
      FROM "projects" p
      LEFT JOIN "test_results_versions" v ON v."projectId" = p."id"
      LEFT JOIN "flaky_leaderboards" l ON l."projectId" = p."id" AND l."days" = ${LEADERBOARD_DAYS}
     WHERE l."projectId" IS NULL OR l."since" <> ${since} OR l."version" <> COALESCE(v."version", 0)`;
  let n = 0;
  for (const p of stale) {
    if (signal?.aborted) break;
    await computeAndStore(db, p.id, since, p.version, now);
    n++;
  }
  return n;
}

/**
 * After an ingest that stored something (not only duplicates): start its project's refresh and
 * never fail the caller (it runs after the answer was sent; the job retries within a minute).
 */
export async function refreshAfterUpload(db: Db, result: { project: string; uploads: { duplicate: boolean }[] }): Promise<void> {
  if (result.uploads.every((u) => u.duplicate)) return;
  try {
    const project = await db.project.findUnique({ where: { key: result.project }, select: { id: true } });
    if (project) await refreshLeaderboard(db, project.id);
  } catch (e) {
    console.error(`[flaky leaderboard] refreshing ${result.project} after an upload failed (the job will):`, e instanceof Error ? e.message : e);
  }
}
