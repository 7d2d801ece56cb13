/**
 * Ingest of test results (issue 9): `POST /api/v1/test-results`, `steward report junit`, the UI.
 *
 * All or nothing per request: every file is parsed first (streamed, see read-upload.ts); if one is
 * rejected, nothing is stored and the error names the file, line and column. Then, in one
 * transaction, each file becomes one upload row with its results. A file already stored for the
 * same project with the same bytes and run metadata is recognised (`duplicate: true`) and not
 * counted twice. Policy evaluation runs after the commit, on the tests in the upload only.
 *
 * Memory stays bounded whatever the file's size: parsed cases wait in a `CaseSpool` (on disk past
 * the first 20,000) and are stored in batches of 1,000 as they are read back; counts, the
 * infrastructure guard and the failing list are tallied on the way. The raw file's compressed copy
 * is stored in 1 MiB pieces and never read back (no upload row is returned with its `raw`), and
 * the upload's tests are evaluated 500 at a time.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { forgetQueryHistory } from '@/lib/db/query-history';
import { isInfraUpload } from '@/lib/engine/flaky';
import { addCounts, zeroCounts, type OutcomeCounts } from '@/lib/engine/flaky/counts';
import { normaliseRoot } from '@/lib/engine/flaky/junit';
import type { ParsedCase, ParseFailure, ParseWarning, ReportHeader } from '@/lib/engine/flaky/types';
import { safeString } from '@/lib/validation';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { candidateTests, evaluateTests, type EvaluationSummary } from './evaluate';
import { addDailyStats, uploadContribution } from './daily-stats';
import { analyzeFlakyTables } from './housekeeping';
import { projectPolicy, requireProject } from './projects';
import type { CaseSpool } from './case-spool';
import { spoolUpload, type RawCopy } from './read-upload';
import { markInfra, storeCases, storeRawPieces } from './store-results';
import { bumpResultsVersion } from './leaderboard-cache';

export const uploadMetaSchema = z.object({
  commit: safeString(200).nullish(),
  branch: safeString(300).nullish(),
  runId: safeString(200).nullish(),
  runUrl: z.string().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL').nullish(),
  job: safeString(300).nullish(),
  attempt: z.coerce.number().int().min(1).max(1000).default(1),
  variant: safeString(200).nullish(),
  /**
   * The checkout directory the tests ran in (the CI workspace): absolute test file paths under it
   * are stored relative, so a test keeps one identity across runners with different paths.
   */
  root: safeString(1000)
    .refine((r) => normaliseRoot(r) !== null, 'must be an absolute directory (the CI checkout), not the file system root')
    .nullish(),
});
export type UploadMeta = z.input<typeof uploadMetaSchema>;

/**
 * Where the server spools big uploads: under the data directory, not the OS temp directory, which
 * is often a tmpfs (memory) — the spool exists to keep a 200 MB upload out of memory.
 */
export const uploadSpoolDir = (env: { dataDir: string }) => path.join(env.dataDir, 'tmp');

/** How long raw uploads are kept for re-parsing (STEWARD_RAW_UPLOAD_DAYS, 0 = not kept). */
export const DEFAULT_RAW_DAYS = 14;

export interface UploadFileInput {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
}

export type Counts = OutcomeCounts;

export interface StoredUpload {
  id: string;
  file: string;
  duplicate: boolean;
  format: string;
  producer: string;
  counts: Counts;
  infra: boolean;
  warnings: ParseWarning[];
}

export interface FailingTest {
  key: string;
  name: string;
  classname: string;
  /** Quarantined after this upload's evaluation: `steward test` ignores its failure. */
  quarantined: boolean;
  /** A build/infra error case: never ignored. */
  synthetic: boolean;
}

export interface IngestResult {
  project: string;
  uploads: StoredUpload[];
  totals: Counts;
  evaluation: EvaluationSummary;
  /** Failed or errored results in the request (first MAX_FAILING), with their quarantine state. */
  failing: FailingTest[];
  failingTotal: number;
}

const MAX_FAILING = 1000;

const ZERO = zeroCounts();

function rejected(errors: ParseFailure[]): ServiceError {
  const msg = errors.map((e) => `${e.file}${e.line !== null ? `:${e.line}${e.column !== null ? `:${e.column}` : ''}` : ''}: ${e.message}`).join('; ');
  return new ServiceError('invalid', `Rejected, nothing stored: ${msg}`, errors.map((e) => ({ field: e.file, message: `${e.line !== null ? `line ${e.line}${e.column !== null ? `, column ${e.column}` : ''}: ` : ''}${e.message}` })));
}

/** CI run id + job: re-runs of one job share it. */
export const runKeyOf = (runId: string | null, job: string | null) => (runId ? `${runId}${job ? `/${job}` : ''}` : null);

/** What makes an upload the same file for the same run (stored as `dedupeKey`; reparse.ts checks it). */
export function uploadDedupeKey(sha256: string, m: { commit?: string | null; branch?: string | null; runId?: string | null; job?: string | null; attempt: number; variant?: string | null }): string {
  return crypto.createHash('sha256').update(JSON.stringify([sha256, m.commit ?? null, m.branch ?? null, m.runId ?? null, m.job ?? null, m.attempt, m.variant ?? null])).digest('hex');
}

export async function ingestResults(
  db: Db,
  actor: Actor,
  input: { project: string; meta: UploadMeta; files: UploadFileInput[] },
  opts: {
    now?: Date;
    rawDays?: number;
    /** Where big uploads are spooled while being stored (default: the OS temp directory). */
    spoolDir?: string;
    spoolMemoryEntries?: number;
    /** Bytes per piece of the raw copy (tests; default RAW_PIECE_BYTES). */
    rawPieceBytes?: number;
    /** Tests evaluated per batch (tests; default that of evaluateTests). */
    evaluateBatch?: number;
  } = {},
): Promise<IngestResult> {
  const now = opts.now ?? new Date();
  const parsedMeta = uploadMetaSchema.safeParse(input.meta ?? {});
  if (!parsedMeta.success) throw invalid(zodIssues(parsedMeta.error.issues));
  const meta = parsedMeta.data;
  if (!input.files.length) throw new ServiceError('invalid', 'No results file in the request.', [{ field: 'files', message: 'at least one file is required' }]);
  if (input.files.length > 100) throw new ServiceError('invalid', 'At most 100 files per request.', [{ field: 'files', message: 'at most 100' }]);
  const project = await requireProject(db, actor, input.project);
  const policy = projectPolicy(project.policy);
  const rawDays = opts.rawDays ?? DEFAULT_RAW_DAYS;

  // 1. Parse every file before storing anything.
  const parsed: ParsedFile[] = [];
  const errors: ParseFailure[] = [];
  const spool = { dir: opts.spoolDir ?? os.tmpdir(), memoryEntries: opts.spoolMemoryEntries };
  try {
    for (const f of input.files) {
      const r = await spoolUpload(f.name, f.chunks, { keepRaw: rawDays > 0, spool, root: meta.root, rawPieceBytes: opts.rawPieceBytes });
      if (r.ok) {
        parsed.push({ name: f.name, header: r.header, spool: r.spool, sha256: r.sha256, rawGz: r.rawGz });
        // Only `parsed` holds the raw copy, and lets go of it once it is stored: left on `r`, the
        // 16 MB copy of a 211 MB file stayed alive through the whole store (array buffers 55 MiB
        // instead of 39 in a probe of the server), `r` being kept by this suspended frame.
        r.rawGz = null;
      } else errors.push(r.error);
    }
    if (errors.length) throw rejected(errors);
    return await storeAndEvaluate(db, actor, { project, policy, meta, parsed, now, rawDays, evaluateBatch: opts.evaluateBatch });
  } finally {
    await Promise.all(parsed.map((p) => p.spool.dispose()));
  }
}

interface ParsedFile {
  name: string;
  header: ReportHeader;
  spool: CaseSpool;
  sha256: string;
  rawGz: RawCopy | null;
}

/** The columns of a stored upload that a duplicate's answer needs (not its raw copy). */
const DUPLICATE_SELECT = { id: true, format: true, producer: true, infra: true, tests: true, passed: true, failed: true, errors: true, skipped: true, flaky: true, attempts: true } as const;

/** The failed or errored results of a request, by identity (the first MAX_FAILING kept). */
class FailingTally {
  readonly kept = new Map<string, { name: string; classname: string; synthetic: boolean }>();
  overflow = false;

  add(c: ParsedCase): void {
    if (c.outcome !== 'failed' && c.outcome !== 'error') return;
    if (this.kept.has(c.identity.key)) return;
    if (this.kept.size >= MAX_FAILING) this.overflow = true;
    else this.kept.set(c.identity.key, { name: c.identity.name, classname: c.identity.classname, synthetic: c.synthetic });
  }
}

/**
 * Creates the upload row with the file's raw copy: one piece goes with the row, more are joined by
 * the database (storeRawPieces). The row is not read back (it would bring the copy with it: as hex
 * from the driver, decoded, re-encoded — ~150 MB at once for a 16 MB copy). Afterwards neither
 * `p` nor Prisma's debug history (lib/db/query-history.ts) holds the copy while the results are
 * written; nor does this frame, which ends here.
 */
async function createUpload(tx: Prisma.TransactionClient, p: ParsedFile, id: string, data: Omit<Prisma.TestUploadUncheckedCreateInput, 'id' | 'raw'>): Promise<void> {
  const pieces = p.rawGz?.pieces ?? null;
  p.rawGz = null;
  const inRow = pieces && pieces.length <= 1 ? (pieces[0] ?? Buffer.alloc(0)) : null;
  await tx.testUpload.create({ data: { ...data, id, raw: inRow ? new Uint8Array(inRow.buffer as ArrayBuffer, inRow.byteOffset, inRow.byteLength) : null }, select: { id: true } });
  if (pieces && !inRow) await storeRawPieces(tx, id, pieces);
  forgetQueryHistory();
}

const COUNT_FAILING = `SELECT COUNT(DISTINCT t."key") AS n FROM "test_results" r JOIN "tests" t ON t."id" = r."testId"
  WHERE r."uploadId" = ANY($1::text[]) AND r."outcome" IN ('failed', 'error')`;

async function storeAndEvaluate(
  db: Db,
  actor: Actor,
  input: {
    project: Awaited<ReturnType<typeof requireProject>>;
    policy: ReturnType<typeof projectPolicy>;
    meta: z.output<typeof uploadMetaSchema>;
    parsed: ParsedFile[];
    now: Date;
    rawDays: number;
    evaluateBatch?: number;
  },
): Promise<IngestResult> {
  const { project, policy, meta, parsed, now, rawDays } = input;
  // 2. Store each file as one upload, in one transaction.
  const runKey = runKeyOf(meta.runId ?? null, meta.job ?? null);
  const uploads: StoredUpload[] = [];
  const failing = new FailingTally();
  await db.$transaction(
    async (tx) => {
      for (const p of parsed) {
        const dedupeKey = uploadDedupeKey(p.sha256, meta);
        const existing = await tx.testUpload.findUnique({ where: { projectId_dedupeKey: { projectId: project.id, dedupeKey } }, select: DUPLICATE_SELECT });
        if (existing) {
          // Its failures still decide `steward test`'s verdict; its counts are those stored.
          p.rawGz = null; // stored already
          for await (const c of p.spool.cases()) failing.add(c);
          const counts = { tests: existing.tests, passed: existing.passed, failed: existing.failed, errors: existing.errors, skipped: existing.skipped, flaky: existing.flaky, attempts: existing.attempts };
          uploads.push({ id: existing.id, file: p.name, duplicate: true, format: existing.format, producer: existing.producer, counts, infra: existing.infra, warnings: p.header.warnings });
          continue;
        }
        const id = crypto.randomUUID();
        await createUpload(tx, p, id, {
          projectId: project.id, fileName: p.name.slice(0, 500), format: p.header.format, producer: p.header.producer, dedupeKey,
          commit: meta.commit ?? null, branch: meta.branch ?? null, runId: meta.runId ?? null, runUrl: meta.runUrl ?? null, job: meta.job ?? null,
          attempt: meta.attempt, variant: meta.variant ?? null, root: meta.root ? normaliseRoot(meta.root) : null, startedAt: p.header.startedAt ?? now, receivedAt: now, uploadedBy: actor.label,
          ...zeroCounts(), infra: false, warnings: JSON.parse(JSON.stringify(p.header.warnings.slice(0, 100))),
          rawExpiresAt: p.rawGz ? new Date(now.getTime() + rawDays * 86_400_000) : null,
        });
        const ctx = { projectId: project.id, uploadId: id, at: now, commit: meta.commit ?? null, branch: meta.branch ?? null, variant: meta.variant ?? null, runKey, infra: false };
        const stored = await storeCases(tx, ctx, p.spool.cases(), (c) => failing.add(c));
        const counts = stored.counts;
        // The guard needs every outcome: decided after storing, marked on the rows when it holds.
        const infra = isInfraUpload(stored.upload, policy);
        if (infra) await markInfra(tx, id);
        await tx.testUpload.update({ where: { id }, data: { ...counts, infra }, select: { id: true } }); // not the raw copy back
        await addDailyStats(tx, project.id, now, uploadContribution(counts, stored.retryMs, infra));
        uploads.push({ id, file: p.name, duplicate: false, format: p.header.format, producer: p.header.producer, counts, infra, warnings: p.header.warnings });
      }
      const fresh = uploads.filter((u) => !u.duplicate);
      if (fresh.length) {
        const t = fresh.reduce((a, u) => addCounts(a, u.counts), ZERO);
        await recordAudit(tx, actor, {
          at: now, action: 'tests.ingest', targetType: 'project', targetId: project.id,
          summary: `Stored ${fresh.length} results file(s) for ${project.key}: ${t.tests} tests, ${t.failed + t.errors} failed, ${t.flaky} flaky${fresh.some((u) => u.infra) ? ' (infrastructure failure)' : ''}`,
          after: { uploads: fresh.map((u) => u.id), commit: meta.commit ?? null, branch: meta.branch ?? null, runId: meta.runId ?? null },
        });
        await bumpResultsVersion(tx, project.id); // last: its row lock is held only until the commit
      }
    },
    // Ten minutes, plus half a millisecond per case: a 2-million-case file is stored in ~5 minutes
    // on an idle 2-core machine, and ran past a flat ten minutes at load average 10.
    { timeout: 600_000 + Math.ceil(parsed.reduce((n, p) => n + p.spool.entries, 0) / 2), maxWait: 15_000 },
  );

  const fresh = uploads.filter((u) => !u.duplicate).map((u) => u.id);
  // A first big upload can multiply a table's size before autovacuum notices: refresh the planner's
  // statistics so the evaluation and the pages do not plan for near-empty tables.
  const storedResults = uploads.filter((u) => !u.duplicate).reduce((n, u) => n + u.counts.passed + u.counts.failed + u.counts.errors + u.counts.skipped + u.counts.flaky, 0);
  if (storedResults >= 20_000) await analyzeFlakyTables(db);
  const evaluation = await evaluateTests(db, project.id, await candidateTests(db, project.id, fresh, policy.windowDays, now), now, { batch: input.evaluateBatch });
  const keys = [...failing.kept.keys()];
  const states = keys.length ? await db.testCase.findMany({ where: { projectId: project.id, key: { in: keys } }, select: { key: true, status: true } }) : [];
  const status = new Map(states.map((s) => [s.key, s.status]));
  const failingList = keys.map((key) => ({ key, ...failing.kept.get(key)!, quarantined: status.get(key) === 'quarantined' }));
  // Past MAX_FAILING, the distinct count comes from what is stored (every upload of the request).
  const failingTotal = failing.overflow ? Number((await db.$queryRawUnsafe<{ n: bigint }[]>(COUNT_FAILING, uploads.map((u) => u.id)))[0]?.n ?? 0) : keys.length;
  return { project: project.key, uploads, totals: uploads.reduce((a, u) => addCounts(a, u.counts), ZERO), evaluation, failing: failingList, failingTotal };
}
