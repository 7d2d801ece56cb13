/**
 * Re-parse stored raw uploads with the current parser (issue 9: "keep the raw upload so it can be
 * re-parsed after a parser fix"). Admin only (the wrappers check the role; this checks the scope).
 *
 * One upload at a time, all or nothing: the raw copy is parsed first (a file the current parser
 * rejects changes nothing); then, in one transaction holding the upload row, its results are
 * replaced, its counts, format, producer, warnings and infrastructure flag rewritten, and its
 * day's aggregate corrected by taking the old contribution away and adding the new one. The
 * upload keeps its id, run metadata and raw copy. Afterwards the tests it named (before or after)
 * are evaluated again at `now`: the policy acts on the corrected results from here on; history
 * already written (a quarantine the old parse caused) stays on the timeline and is lifted the
 * usual way.
 *
 * Exactness of the day's aggregate: the counts taken away are the upload row's own (exactly what
 * ingest added); `retryMs` is taken away as the sum over the upload's stored results, which is
 * what ingest adds (uploads stored before ingest summed per result could differ by the rounding
 * of sub-millisecond durations, ≤ 0.5 ms per retried case). The new contribution is added in that
 * same per-result form, so re-parsing again is exact. The cases are spooled and stored in batches,
 * as ingest does, so re-parsing a big upload does not hold it in memory.
 * An upload whose results were partly pruned (older than the result retention) is refused: its
 * old contribution can no longer be known, and new rows would only be pruned again.
 */
import os from 'node:os';
import type { Db } from '@/lib/db/client';
import { isInfraUpload } from '@/lib/engine/flaky';
import type { OutcomeCounts } from '@/lib/engine/flaky/counts';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { addDailyStats, negate, uploadContribution } from './daily-stats';
import { evaluateTests, type EvaluationSummary } from './evaluate';
import { runKeyOf, uploadDedupeKey } from './ingest';
import { mayUseProject, projectPolicy, requireProject, type ProjectScope } from './projects';
import { chunksOf, spoolUpload } from './read-upload';
import { markInfra, storeCases } from './store-results';
import { bumpResultsVersion } from './leaderboard-cache';

export interface ReparseResult {
  uploadId: string;
  file: string;
  before: OutcomeCounts & { infra: boolean };
  after: OutcomeCounts & { infra: boolean };
  /** False when the current parser reads the file exactly as stored (the rows are rewritten anyway). */
  changed: boolean;
  evaluation: EvaluationSummary;
}

const COUNT_KEYS = ['tests', 'passed', 'failed', 'errors', 'skipped', 'flaky', 'attempts'] as const;
const countsOf = (u: OutcomeCounts & { infra: boolean }) => ({ ...Object.fromEntries(COUNT_KEYS.map((k) => [k, u[k]])), infra: u.infra }) as OutcomeCounts & { infra: boolean };

const notFound = () => new ServiceError('not_found', 'No such upload.', [{ field: 'upload', message: 'not found' }]);

export async function reparseUpload(db: Db, actor: Actor, uploadId: string, opts: { now?: Date; spoolDir?: string } = {}): Promise<ReparseResult> {
  const now = opts.now ?? new Date();
  const u = /^[0-9a-f-]{36}$/i.test(uploadId) ? await findUpload(db, uploadId) : null;
  if (!u || !mayUseProject(actor, u.project.key)) throw notFound();
  if (!u.raw) throw new ServiceError('conflict', `The raw copy of ${u.fileName} is no longer kept (raw uploads are kept for STEWARD_RAW_UPLOAD_DAYS), so it cannot be re-parsed.`, [{ field: 'upload', message: 'raw copy not kept' }]);

  // 1. Parse with the current parser, outside the transaction; a rejection changes nothing.
  const read = await spoolUpload(u.fileName, chunksOf(new Uint8Array(u.raw)), { keepRaw: false, spool: { dir: opts.spoolDir ?? os.tmpdir() }, root: u.root }).catch((e: unknown) => {
    // Copies kept before the fix in read-upload.ts hold only the gzip header.
    if (e instanceof ServiceError && e.details?.[0]?.message === 'bad gzip') throw new ServiceError('conflict', `The raw copy of ${u.fileName} is damaged (stored incomplete by an older version), so it cannot be re-parsed; nothing changed.`, [{ field: 'upload', message: 'raw copy damaged' }]);
    throw e;
  });
  if (!read.ok) {
    const e = read.error;
    throw new ServiceError('invalid', `The current parser rejects ${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}; nothing changed.`, [{ field: e.file, message: e.message }]);
  }
  try {
    return await replaceResults(db, actor, u, read, now);
  } finally {
    await read.spool.dispose();
  }
}

type StoredUpload = NonNullable<Awaited<ReturnType<typeof findUpload>>>;
const findUpload = (db: Db, id: string) => db.testUpload.findUnique({ where: { id }, include: { project: { select: { id: true, key: true, policy: true } } } });

async function replaceResults(db: Db, actor: Actor, u: StoredUpload, read: Extract<Awaited<ReturnType<typeof spoolUpload>>, { ok: true }>, now: Date): Promise<ReparseResult> {
  // The raw copy must be the bytes this upload was stored from.
  if (uploadDedupeKey(read.sha256, u) !== u.dedupeKey) throw new ServiceError('conflict', `The raw copy of ${u.fileName} does not match the upload it belongs to; nothing changed.`);
  const header = read.header;
  const policy = projectPolicy(u.project.policy);
  const projectId = u.project.id;

  // 2. Replace, in one transaction holding the upload row (two re-parses of it run one after the other).
  const { before, after, affected } = await db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<(OutcomeCounts & { infra: boolean; receivedAt: Date })[]>`
        SELECT "tests", "passed", "failed", "errors", "skipped", "flaky", "attempts", "infra", "receivedAt" FROM "test_uploads" WHERE "id" = ${u.id} FOR UPDATE`;
      if (!row) throw notFound();
      const old = await tx.$queryRaw<{ testId: string; n: bigint; retry: bigint }[]>`
        SELECT "testId", COUNT(*) AS n, COALESCE(SUM("retryMs"), 0) AS retry FROM "test_results" WHERE "uploadId" = ${u.id} GROUP BY "testId"`;
      const stored = old.reduce((n, r) => n + Number(r.n), 0);
      if (stored !== row.passed + row.failed + row.errors + row.skipped + row.flaky) {
        throw new ServiceError('conflict', `Some results of ${u.fileName} were already pruned (older than the result retention), so its statistics cannot be corrected exactly; nothing changed.`, [{ field: 'upload', message: 'results pruned' }]);
      }
      const oldRetry = old.reduce((n, r) => n + Number(r.retry), 0);
      await addDailyStats(tx, projectId, row.receivedAt, negate(uploadContribution(row, oldRetry, row.infra)));
      await tx.$executeRaw`DELETE FROM "test_results" WHERE "uploadId" = ${u.id}`;
      const ctx = { projectId, uploadId: u.id, at: row.receivedAt, commit: u.commit, branch: u.branch, variant: u.variant, runKey: runKeyOf(u.runId, u.job), infra: false };
      const fresh = await storeCases(tx, ctx, read.spool.cases());
      const counts = fresh.counts;
      const infra = isInfraUpload(fresh.upload, policy);
      if (infra) await markInfra(tx, u.id);
      await addDailyStats(tx, projectId, row.receivedAt, uploadContribution(counts, fresh.retryMs, infra));
      await tx.testUpload.update({
        where: { id: u.id },
        data: { format: header.format, producer: header.producer, ...counts, infra, warnings: JSON.parse(JSON.stringify(header.warnings.slice(0, 100))), startedAt: header.startedAt ?? u.startedAt },
      });
      const b = countsOf(row);
      const a = { ...counts, infra };
      await recordAudit(tx, actor, {
        at: now, action: 'tests.reparse', targetType: 'upload', targetId: u.id,
        summary: `Re-parsed ${u.fileName} (${u.project.key}): ${b.tests} → ${a.tests} tests, ${b.failed + b.errors} → ${a.failed + a.errors} failed, ${b.flaky} → ${a.flaky} flaky${a.infra !== b.infra ? `, infrastructure failure ${b.infra ? 'no longer' : 'now'}` : ''}`,
        before: b, after: a,
      });
      await bumpResultsVersion(tx, projectId); // last: its row lock is held only until the commit
      const stillNamed = await tx.$queryRaw<{ testId: string }[]>`SELECT DISTINCT "testId" FROM "test_results" WHERE "uploadId" = ${u.id}`;
      return { before: b, after: a, affected: [...new Set([...old.map((r) => r.testId), ...stillNamed.map((r) => r.testId)])] };
    },
    { timeout: 600_000, maxWait: 15_000 },
  );

  // 3. The policy looks at the corrected results.
  const evaluation = await evaluateTests(db, projectId, affected, now);
  return { uploadId: u.id, file: u.fileName, before, after, changed: JSON.stringify(before) !== JSON.stringify(after), evaluation };
}

/**
 * The uploads of a project whose raw copy is still kept, received at or after `since` (all kept
 * ones without it), oldest first: what `steward project reparse <key> --since` re-parses.
 */
export async function reparseCandidates(db: Db, scope: ProjectScope, projectKey: string, since?: Date): Promise<{ id: string; fileName: string; receivedAt: Date }[]> {
  const project = await requireProject(db, scope, projectKey);
  return db.testUpload.findMany({
    where: { projectId: project.id, raw: { not: null }, ...(since ? { receivedAt: { gte: since } } : {}) },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, fileName: true, receivedAt: true },
  });
}
