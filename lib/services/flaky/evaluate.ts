/**
 * Re-evaluates the flake state of some tests (those in an upload, or all of a project's
 * quarantined ones from the daily job) and performs what the engine decides.
 *
 * Every state change is a compare-and-set on the test's `version`: two instances evaluating the
 * same test at once both read version v; one UPDATE … WHERE version = v wins, the other changes
 * nothing and writes no event, so a test is never quarantined twice or ticketed twice.
 */
import type { Db } from '@/lib/db/client';
import type { ResultRow } from '@/lib/engine/flaky';
import type { ResultOutcome } from '@/lib/engine/flaky/types';
import { applyChange, planChange, type TestRow } from './evaluate-change';
import { projectPolicy } from './projects';

export interface EvaluationSummary {
  evaluated: number;
  quarantined: string[];
  unquarantined: string[];
  eligible: string[];
  broken: string[];
  recovered: string[];
}

/** Tests read and evaluated per batch (their rows, their results, one quiet UPDATE). */
export const EVALUATE_BATCH = 500;
/** Results read back per test: enough for the windows the policy looks at. */
const PER_TEST = 400;
const HISTORY_DAYS = 90;


interface DbResult {
  testId: string;
  uploadId: string;
  at: Date;
  commit: string | null;
  branch: string | null;
  variant: string | null;
  runKey: string | null;
  outcome: string;
  failedAttempts: number;
  attempts: number;
  retryMs: number;
  infra: boolean;
  synthetic: boolean;
}

async function loadRows(db: Db, ids: string[], now: Date): Promise<Map<string, ResultRow[]>> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const rows = await db.$queryRaw<DbResult[]>`
    SELECT "testId", "uploadId", "at", "commit", "branch", "variant", "runKey", "outcome", "failedAttempts", "attempts", "retryMs", "infra", "synthetic"
      FROM (SELECT r.*, row_number() OVER (PARTITION BY r."testId" ORDER BY r."at" DESC, r."id" DESC) AS rn
              FROM "test_results" r WHERE r."testId" = ANY(${ids}::text[]) AND r."at" > ${since} AND r."at" <= ${now}) x
     WHERE rn <= ${PER_TEST}
     ORDER BY "testId", "at", "uploadId"`;
  const byTest = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const list = byTest.get(r.testId) ?? [];
    list.push({
      testId: r.testId, uploadId: r.uploadId, commit: r.commit, branch: r.branch, variant: r.variant, runKey: r.runKey,
      at: r.at.getTime(), outcome: r.outcome as ResultOutcome, failedAttempts: r.failedAttempts, passedAttempts: r.attempts - r.failedAttempts,
      retryMs: r.retryMs, infra: r.infra, synthetic: r.synthetic,
    });
    byTest.set(r.testId, list);
  }
  return byTest;
}

/**
 * The tests of some uploads whose state can change, of all those the uploads name. A test that
 * only passed, is active, not broken and had no failure on the same commit and variant within the
 * window cannot flake, quarantine, break or recover by this upload (nor can one that was skipped),
 * so it is not evaluated: on a green run of 10,000 tests that is nearly all of them.
 *
 * Read as one comma-separated value, not a row per test: the 105,000 candidates of a 2.1-million
 * case upload came back as as many row objects, copied on their way through the driver and the
 * client (+33 MiB at once); as one string they are 3.8 MB. Test ids never contain a comma
 * (UUIDs).
 */
export async function candidateTests(db: Db, projectId: string, uploadIds: string[], windowDays: number, now: Date): Promise<string[]> {
  if (!uploadIds.length) return [];
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const rows = await db.$queryRaw<{ ids: string | null }[]>`
    SELECT string_agg(DISTINCT r."testId", ',') AS "ids" FROM "test_results" r JOIN "tests" t ON t."id" = r."testId"
     WHERE r."uploadId" = ANY(${uploadIds}::text[])
       AND (t."status" = 'quarantined' OR t."broken" OR r."outcome" NOT IN ('passed', 'skipped')
            OR (r."commit" IS NOT NULL AND EXISTS (
                  SELECT 1 FROM "test_results" o
                   WHERE o."testId" = r."testId" AND o."commit" = r."commit" AND o."variant" IS NOT DISTINCT FROM r."variant"
                     AND o."outcome" IN ('failed', 'error') AND o."at" > ${since} AND o."uploadId" <> r."uploadId")))`;
  const ids = rows[0]?.ids;
  return ids ? ids.split(',') : [];
}

/**
 * Evaluates the given tests of a project at `now`, `batch` at a time (default EVALUATE_BATCH);
 * returns what changed (test ids). Each test is decided on its own row and results, so the batch
 * size changes the number of queries, never the outcome.
 */
export async function evaluateTests(db: Db, projectId: string, testIds: readonly string[], now: Date, opts: { batch?: number } = {}): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { evaluated: 0, quarantined: [], unquarantined: [], eligible: [], broken: [], recovered: [] };
  if (!testIds.length) return summary;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { key: true, policy: true, codeowners: true } });
  const policy = projectPolicy(project.policy);
  const batch = Math.max(1, Math.floor(opts.batch ?? EVALUATE_BATCH));
  for (let i = 0; i < testIds.length; i += batch) {
    const ids = testIds.slice(i, i + batch);
    const tests = await db.$queryRaw<TestRow[]>`
      SELECT "id", "key", "name", "classname", "file", "status", "quarantinedAt", "quarantineExpires", "releasedAt", "quarantinedBy", "pinned", "broken", "brokenSince",
             "greenStreak", "eligibleAt", "lastFlakeAt", "version" FROM "tests" WHERE "id" = ANY(${ids}::text[])`;
    const rows = await loadRows(db, ids, now);
    const quiet: QuietUpdate[] = [];
    for (const t of tests) {
      summary.evaluated++;
      const change = planChange(policy, t, rows.get(t.id) ?? [], now);
      if (!change) continue;
      if (change.events.length) await applyChange(db, project, t, change, now, summary);
      else quiet.push({ id: t.id, version: t.version, lastFlakeAt: change.lastFlakeAt, greenStreak: change.greenStreak, eligibleAt: change.eligibleAt });
    }
    await applyQuiet(db, quiet);
  }
  return summary;
}

interface QuietUpdate {
  id: string;
  version: number;
  lastFlakeAt: Date | null;
  greenStreak: number;
  eligibleAt: Date | null;
}

/**
 * Changes that write no event (a new last-flake time, a green streak that moved, eligibility
 * lost) for a whole chunk in one UPDATE … FROM unnest, each row still compare-and-set on its
 * version: most evaluations after a big upload are these.
 */
async function applyQuiet(db: Db, rows: QuietUpdate[]): Promise<void> {
  if (!rows.length) return;
  await db.$executeRawUnsafe(
    `UPDATE "tests" t SET "lastFlakeAt" = u.lf, "greenStreak" = u.gs, "eligibleAt" = u.el, "version" = t."version" + 1
       FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::timestamptz[]) AS u(id, v, lf, gs, el)
      WHERE t."id" = u.id AND t."version" = u.v`,
    rows.map((r) => r.id), rows.map((r) => r.version), rows.map((r) => r.lastFlakeAt), rows.map((r) => r.greenStreak), rows.map((r) => r.eligibleAt),
  );
}

