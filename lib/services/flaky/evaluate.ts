/**
 * Re-evaluates the flake state of some tests (those in an upload, or all of a project's
 * quarantined ones from the daily job) and performs what the engine decides.
 *
 * Every state change is a compare-and-set on the test's `version`: two instances evaluating the
 * same test at once both read version v; one UPDATE … WHERE version = v wins, the other changes
 * nothing and writes no event, so a test is never quarantined twice or ticketed twice.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { brokenState, decideQuarantine, flakeEvents, greenStreak, type FlakyPolicy, type ResultRow } from '@/lib/engine/flaky';
import type { ResultOutcome } from '@/lib/engine/flaky/types';
import { systemActor } from '../actor';
import { recordAudit } from '../audit';
import { ownersFor } from '@/lib/engine/flaky/codeowners';
import { projectPolicy } from './projects';

export interface EvaluationSummary {
  evaluated: number;
  quarantined: string[];
  unquarantined: string[];
  eligible: string[];
  broken: string[];
  recovered: string[];
}

const CHUNK = 500;
/** Results read back per test: enough for the windows the policy looks at. */
const PER_TEST = 400;
const HISTORY_DAYS = 90;

interface TestRow {
  id: string;
  key: string;
  name: string;
  classname: string;
  file: string | null;
  status: string;
  quarantinedAt: Date | null;
  quarantineExpires: Date | null;
  releasedAt: Date | null;
  quarantinedBy: string | null;
  pinned: string | null;
  broken: boolean;
  brokenSince: Date | null;
  greenStreak: number;
  eligibleAt: Date | null;
  lastFlakeAt: Date | null;
  version: number;
}

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

const policyActor = systemActor('flaky-policy');

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
 * window cannot flake, quarantine, break or recover by this upload, so it is skipped: on a green
 * run of 10,000 tests that is nearly all of them.
 */
export async function candidateTests(db: Db, projectId: string, uploadIds: string[], windowDays: number, now: Date): Promise<string[]> {
  if (!uploadIds.length) return [];
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const rows = await db.$queryRaw<{ testId: string }[]>`
    SELECT DISTINCT r."testId" FROM "test_results" r JOIN "tests" t ON t."id" = r."testId"
     WHERE r."uploadId" = ANY(${uploadIds}::text[])
       AND (t."status" = 'quarantined' OR t."broken" OR r."outcome" <> 'passed'
            OR (r."commit" IS NOT NULL AND EXISTS (
                  SELECT 1 FROM "test_results" o
                   WHERE o."testId" = r."testId" AND o."commit" = r."commit" AND o."variant" IS NOT DISTINCT FROM r."variant"
                     AND o."outcome" IN ('failed', 'error') AND o."at" > ${since} AND o."uploadId" <> r."uploadId")))`;
  return rows.map((r) => r.testId);
}

/** Evaluates the given tests of a project at `now`; returns what changed (test ids). */
export async function evaluateTests(db: Db, projectId: string, testIds: string[], now: Date): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { evaluated: 0, quarantined: [], unquarantined: [], eligible: [], broken: [], recovered: [] };
  if (!testIds.length) return summary;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { key: true, policy: true, codeowners: true } });
  const policy = projectPolicy(project.policy);
  for (let i = 0; i < testIds.length; i += CHUNK) {
    const ids = testIds.slice(i, i + CHUNK);
    const tests = await db.$queryRaw<TestRow[]>`
      SELECT "id", "key", "name", "classname", "file", "status", "quarantinedAt", "quarantineExpires", "releasedAt", "quarantinedBy", "pinned", "broken", "brokenSince",
             "greenStreak", "eligibleAt", "lastFlakeAt", "version" FROM "tests" WHERE "id" = ANY(${ids}::text[])`;
    const rows = await loadRows(db, ids, now);
    for (const t of tests) {
      summary.evaluated++;
      await evaluateOne(db, project, policy, t, rows.get(t.id) ?? [], now, summary);
    }
  }
  return summary;
}

async function evaluateOne(db: Db, project: { key: string; codeowners: string | null }, policy: FlakyPolicy, t: TestRow, rows: ResultRow[], now: Date, summary: EvaluationSummary): Promise<void> {
  const broken = brokenState(rows, policy);
  const quarantined = t.status === 'quarantined';
  const decision = decideQuarantine({
    state: {
      status: quarantined ? 'quarantined' : 'active',
      // Quarantined: since when. Active: when last released, so old flakes are not counted twice.
      since: (quarantined ? t.quarantinedAt : t.releasedAt)?.getTime() ?? null,
      pinned: t.pinned === 'never' ? 'never' : null,
      manual: quarantined && t.quarantinedBy !== 'policy' ? { expiresAt: t.quarantineExpires?.getTime() ?? null } : null,
    },
    rows,
    now: now.getTime(),
    policy,
  });
  const flakes = flakeEvents(rows).get(t.id) ?? [];
  const lastFlakeMs = flakes.reduce<number | null>((m, f) => (m === null || f.at > m ? f.at : m), t.lastFlakeAt?.getTime() ?? null);

  const data: Record<string, unknown> = {};
  const events: { kind: string; reason: string; before: unknown; after: unknown }[] = [];
  if (broken.broken !== t.broken) {
    data.broken = broken.broken;
    data.brokenSince = broken.since !== null ? new Date(broken.since) : null;
    events.push(broken.broken
      ? { kind: 'broken', reason: `Failed on the last ${policy.brokenAfterRuns} runs of a branch: listed as broken, never auto-quarantined.`, before: { broken: false }, after: { broken: true } }
      : { kind: 'recovered', reason: 'Passed again after failing consistently.', before: { broken: true }, after: { broken: false } });
  }
  if (lastFlakeMs !== (t.lastFlakeAt?.getTime() ?? null)) data.lastFlakeAt = lastFlakeMs === null ? null : new Date(lastFlakeMs);
  let ticket = false;
  if (decision.action === 'quarantine' && !quarantined) {
    Object.assign(data, { status: 'quarantined', quarantinedAt: now, quarantineReason: decision.reason, quarantinedBy: 'policy', quarantineExpires: null, greenStreak: 0, eligibleAt: null });
    events.push({ kind: 'quarantined', reason: decision.reason, before: { status: 'active' }, after: { status: 'quarantined', flakes: decision.flakes.length } });
    ticket = true;
  } else if (decision.action === 'unquarantine' && quarantined) {
    Object.assign(data, { status: 'active', quarantinedAt: null, quarantineReason: null, quarantinedBy: null, quarantineExpires: null, releasedAt: now, greenStreak: 0, eligibleAt: null });
    events.push({ kind: 'unquarantined', reason: decision.reason, before: { status: 'quarantined', greenStreak: t.greenStreak }, after: { status: 'active', cause: decision.cause } });
  } else if (quarantined) {
    const streak = greenStreak(rows, t.quarantinedAt?.getTime() ?? null, policy).streak;
    if (streak !== t.greenStreak) data.greenStreak = streak;
    if (decision.action === 'eligible' && !t.eligibleAt) {
      data.eligibleAt = now;
      events.push({ kind: 'eligible', reason: decision.reason, before: { greenStreak: t.greenStreak }, after: { greenStreak: streak } });
    } else if (decision.action !== 'eligible' && t.eligibleAt) data.eligibleAt = null;
  }
  if (!Object.keys(data).length) return;

  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.testCase.updateMany({ where: { id: t.id, version: t.version }, data: { ...data, version: { increment: 1 } } });
    if (count !== 1) return false; // another instance changed it first: its evaluation stands
    for (const e of events) {
      await tx.testEvent.create({ data: { testId: t.id, at: now, kind: e.kind, actorType: 'system', actorLabel: policyActor.label, reason: e.reason, before: e.before as object, after: e.after as object } });
      if (e.kind === 'quarantined' || e.kind === 'unquarantined') {
        await recordAudit(tx, policyActor, { at: now, action: e.kind === 'quarantined' ? 'test.quarantine' : 'test.unquarantine', targetType: 'test', targetId: t.id, summary: `${e.kind === 'quarantined' ? 'Quarantined' : 'Unquarantined'} ${t.name} (${project.key}): ${e.reason}`, before: e.before, after: e.after });
      }
    }
    if (ticket) {
      const owner = ownersFor(project.codeowners, t)[0] ?? null;
      await tx.ticket.create({ data: { id: crypto.randomUUID(), testId: t.id, status: 'open', owner, notes: '', links: [], createdAt: now, updatedAt: now } });
      await tx.testEvent.create({ data: { testId: t.id, at: now, kind: 'ticket', actorType: 'system', actorLabel: policyActor.label, reason: `Investigation ticket opened${owner ? ` for ${owner}` : ''}.`, after: { status: 'open', owner } } });
    }
    return true;
  });
  if (!changed) return;
  for (const e of events) {
    if (e.kind === 'quarantined') summary.quarantined.push(t.id);
    else if (e.kind === 'unquarantined') summary.unquarantined.push(t.id);
    else if (e.kind === 'eligible') summary.eligible.push(t.id);
    else if (e.kind === 'broken') summary.broken.push(t.id);
    else if (e.kind === 'recovered') summary.recovered.push(t.id);
  }
}
