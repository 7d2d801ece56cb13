// The flaky leaderboard against a real database: runs impacted and time lost by test, exactly,
// and the same answer as the straightforward full-scan query it replaced (kept here as the
// reference), on data with retries, re-runs on one commit, failures without a pass, variants,
// results outside the window, infrastructure uploads and commit-less uploads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults, type UploadMeta } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { flakyLeaderboard } from '@/lib/services/flaky/queries';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
let projectId = '';
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const NOW = Date.parse('2026-07-01T00:00:00Z');
const DAY = 86_400_000;
let seq = 0;
const send = (at: number, meta: UploadMeta, cases: CaseSpec[]) =>
  ingestResults(h.db, ci, { project: 'lb', meta: { runId: String(++seq), ...meta }, files: [{ name: `j${seq}.xml`, chunks: chunksOf(bytes(junitXml(cases))) }] }, { now: new Date(at) });
const filler = Array.from({ length: 20 }, (_, i) => ({ name: `ok${i}` }));

/** The query before the partial-index rewrite: one grouped pass over every result in the window. */
async function reference(days: number, now: Date) {
  const since = new Date(now.getTime() - days * DAY);
  const rows = await h.db.$queryRaw<{ name: string; flaky: bigint; failed: bigint; lost: bigint | null }[]>`
    WITH g AS (
      SELECT "testId", "commit", bool_or("outcome" IN ('passed', 'flaky')) AS passed,
             COUNT(*) FILTER (WHERE "outcome" = 'flaky') AS flaky, COALESCE(SUM("retryMs") FILTER (WHERE "outcome" = 'flaky'), 0) AS retry,
             COUNT(*) FILTER (WHERE "outcome" IN ('failed', 'error')) AS failed, COALESCE(SUM(COALESCE("durationMs", 0)) FILTER (WHERE "outcome" IN ('failed', 'error')), 0) AS faildur
        FROM "test_results" WHERE "projectId" = ${projectId} AND "at" > ${since} AND "at" <= ${now} AND NOT "infra" AND NOT "synthetic"
       GROUP BY "testId", "commit", COALESCE("variant", '')
    ), impact AS (
      SELECT "testId", SUM(flaky) AS flaky, SUM(CASE WHEN passed AND "commit" IS NOT NULL THEN failed ELSE 0 END) AS failed,
             SUM(retry + CASE WHEN passed AND "commit" IS NOT NULL THEN faildur ELSE 0 END) AS lost FROM g GROUP BY "testId"
    )
    SELECT t."name", i.flaky, i.failed, i.lost FROM impact i JOIN "tests" t ON t."id" = i."testId" WHERE i.flaky + i.failed > 0
     ORDER BY (i.flaky + i.failed) DESC, i.lost DESC, t."name"`;
  return rows.map((r) => ({ name: r.name, flakyResults: Number(r.flaky), failedResults: Number(r.failed), timeLostMs: Number(r.lost ?? 0) }));
}

beforeAll(async () => {
  h = await createTestDb();
  projectId = (await createProject(h.db, cli, { key: 'lb', name: 'lb' }, new Date(NOW - 90 * DAY))).id;
  const t = (d: number) => NOW - d * DAY;
  // retry: flaky twice in the window (and once 40 days ago, outside it)
  await send(t(40), { commit: 'c0' }, [...filler, { name: 'retry', attempts: ['fail', 'pass'], time: 3 }]);
  await send(t(5), { commit: 'c1' }, [...filler, { name: 'retry', attempts: ['fail', 'pass'], time: 2 }]);
  await send(t(4), { commit: 'c2' }, [...filler, { name: 'retry', attempts: ['fail', 'fail', 'pass'], time: 4 }]);
  // rerun: failed on c3, passed on a re-run of c3 → one run impacted, its duration lost
  await send(t(3), { commit: 'c3' }, [...filler, { name: 'rerun', attempts: ['fail'], time: 7 }, { name: 'broken', attempts: ['fail'] }, { name: 'browser', attempts: ['fail'] }]);
  await send(t(3) + 3_600_000, { commit: 'c3' }, [...filler, { name: 'rerun', time: 1 }, { name: 'broken', attempts: ['fail'] }]);
  // browser: failed on chromium, passed on firefox, same commit: not a re-run of the same variant
  await send(t(3) + 7_200_000, { commit: 'c3', variant: 'firefox' }, [{ name: 'browser' }]);
  // nocommit: failed then passed, but without a commit nothing ties them
  await send(t(2), {}, [...filler, { name: 'nocommit', attempts: ['fail'] }]);
  await send(t(2) + 1000, {}, [...filler, { name: 'nocommit' }]);
  // infra: an upload where almost everything failed is out of the statistics
  await send(t(1), { commit: 'c4' }, [...filler.map((f) => ({ ...f, attempts: ['fail' as const] })), { name: 'infraonly', attempts: ['fail', 'pass'] }]);
});
afterAll(async () => {
  await h?.close();
});

describe('flaky leaderboard', () => {
  it('counts retries and re-runs on one commit and variant, with the time lost', async () => {
    const rows = await flakyLeaderboard(h.db, projectId, 30, new Date(NOW));
    expect(rows.map((r) => ({ name: r.name, flakyResults: r.flakyResults, failedResults: r.failedResults, runsImpacted: r.runsImpacted, timeLostMs: r.timeLostMs }))).toEqual([
      { name: 'retry', flakyResults: 2, failedResults: 0, runsImpacted: 2, timeLostMs: expect.any(Number) },
      { name: 'rerun', flakyResults: 0, failedResults: 1, runsImpacted: 1, timeLostMs: 7000 },
    ]);
  });
  it('agrees with the full-scan query it replaced, for several windows', async () => {
    for (const days of [1, 3, 5, 30, 60]) {
      const rows = await flakyLeaderboard(h.db, projectId, days, new Date(NOW), 100);
      expect(rows.map((r) => ({ name: r.name, flakyResults: r.flakyResults, failedResults: r.failedResults, timeLostMs: r.timeLostMs })), `${days} days`).toEqual(await reference(days, new Date(NOW)));
    }
    expect((await flakyLeaderboard(h.db, projectId, 60, new Date(NOW), 100)).find((r) => r.name === 'retry')!.flakyResults).toBe(3);
  });
});
