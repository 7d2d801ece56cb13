/**
 * Bulk writes of one upload's tests and results: one INSERT … SELECT FROM unnest(arrays) per batch
 * (as plan-entries.ts does), inside the caller's transaction. Tests are found or created on
 * (projectId, key), so two uploads naming a new test at once both get the one row.
 */
import crypto from 'node:crypto';
import type { Prisma } from '@/lib/db/generated/client';
import { forgetQueryHistory } from '@/lib/db/query-history';
import type { UploadCounts } from '@/lib/engine/flaky';
import { zeroCounts, type OutcomeCounts } from '@/lib/engine/flaky/counts';
import type { ParsedCase } from '@/lib/engine/flaky/types';

const BATCH = 5000;
/**
 * Cases per batch when storing a stream. Prisma keeps its last 100 queries' parameters (its debug
 * history, kept even with debugging off): at 5,000 a batch that held ~150 MB of test keys and
 * ids. Each batch now clears that history (forgetQueryHistory), and 1,000 keeps a batch's own
 * arrays small.
 */
const STREAM_BATCH = 1000;
const MESSAGE_MAX = 1000;

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/**
 * One probe of the (projectId, key) unique index per key, whatever the planner's statistics say.
 * As `"key" = ANY($2)` the planner, with statistics from before a big first upload (the table was
 * near-empty when last analysed, and a transaction's own rows are not in them), scanned every test
 * of the project through the (projectId, status) index and filtered the keys: the cost of a batch
 * grew with the rows inserted before it (26 ms per 1,000 keys at 150,000 tests, against 1.8 ms),
 * and a 500,000-case upload spent 17 s of its last 100 batches there. The LIMIT keeps the lateral
 * subquery from being flattened into a hash join over the same scan.
 */
const SELECT_TESTS = `SELECT t."id", t."key" FROM unnest($2::text[]) AS k("key")
CROSS JOIN LATERAL (SELECT "id", "key" FROM "tests" WHERE "projectId" = $1 AND "key" = k."key" LIMIT 1) t`;

const INSERT_TESTS = `INSERT INTO "tests" ("id", "projectId", "key", "suite", "classname", "name", "file", "firstSeenAt", "lastSeenAt")
SELECT u.id, $1, u.key, u.suite, u.classname, u.name, u.file, $2, $2
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(id, key, suite, classname, name, file)
ON CONFLICT ("projectId", "key") DO NOTHING
RETURNING "id", "key"`;

/**
 * `lastSeenAt` moves at most once an hour per test: "tests tracked" needs no finer grain, and
 * rewriting every test row on every upload would double the write volume (and, inside one long
 * transaction such as the demo's, grow dead row versions that slow each later upload).
 */
const TOUCH_TESTS = `UPDATE "tests" SET "lastSeenAt" = $2 WHERE "id" = ANY($1::text[]) AND "lastSeenAt" < $2::timestamptz - interval '1 hour'`;

const INSERT_RESULTS = `INSERT INTO "test_results" ("projectId", "uploadId", "at", "commit", "branch", "runKey", "infra",
  "testId", "outcome", "attempts", "failedAttempts", "durationMs", "retryMs", "message", "synthetic", "variant")
SELECT $1, $2, $3, $4, $5, $6, $7, * FROM unnest($8::text[], $9::text[], $10::int[], $11::int[], $12::int[], $13::int[], $14::text[], $15::boolean[], $16::text[])`;

export interface ResultContext {
  projectId: string;
  uploadId: string;
  at: Date;
  commit: string | null;
  branch: string | null;
  /** The upload's variant; a case's own (a Playwright project) takes precedence. */
  variant: string | null;
  runKey: string | null;
  infra: boolean;
}

const clampInt = (ms: number | null) => (ms === null ? null : Math.min(Math.max(Math.round(ms), 0), 2_147_483_647));

/** Time spent on the attempts before the last one that failed (what retries cost). */
export function retryMsOf(c: ParsedCase): number {
  let ms = 0;
  for (const a of c.attempts.slice(0, -1)) if (a.outcome === 'failed' || a.outcome === 'error') ms += a.durationMs ?? 0;
  return clampInt(ms) ?? 0;
}

function firstMessage(c: ParsedCase): string | null {
  const a = c.attempts.find((x) => (x.outcome === 'failed' || x.outcome === 'error') && (x.message || x.type));
  const m = a ? (a.message ?? a.type) : null;
  return m ? m.slice(0, MESSAGE_MAX) : null;
}

/**
 * Finds or creates the tests the cases name; returns key → test id. Existing tests are read
 * first (most uploads name known tests), new ones inserted with ON CONFLICT DO NOTHING; a key that
 * another upload inserted in between is read back.
 */
export async function upsertTests(tx: Tx, projectId: string, now: Date, cases: Iterable<ParsedCase>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const wanted = new Map<string, ParsedCase['identity']>();
  for (const { identity } of cases) if (!wanted.has(identity.key)) wanted.set(identity.key, identity);
  const keys = [...wanted.keys()];
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    const found = await tx.$queryRawUnsafe<{ id: string; key: string }[]>(SELECT_TESTS, projectId, batch);
    for (const r of found) ids.set(r.key, r.id);
    if (found.length) await tx.$executeRawUnsafe(TOUCH_TESTS, found.map((r) => r.id), now);
    const missing = batch.filter((k) => !ids.has(k)).map((k) => wanted.get(k)!);
    if (!missing.length) continue;
    const inserted = await tx.$queryRawUnsafe<{ id: string; key: string }[]>(
      INSERT_TESTS, projectId, now, missing.map(() => crypto.randomUUID()), missing.map((t) => t.key), missing.map((t) => t.suite),
      missing.map((t) => t.classname), missing.map((t) => t.name), missing.map((t) => t.file),
    );
    for (const r of inserted) ids.set(r.key, r.id);
    const raced = missing.filter((t) => !ids.has(t.key)).map((t) => t.key);
    if (raced.length) for (const r of await tx.$queryRawUnsafe<{ id: string; key: string }[]>(SELECT_TESTS, projectId, raced)) ids.set(r.key, r.id);
  }
  return ids;
}

/** Inserts one result per case. `ids` maps identity keys to test ids (from upsertTests). */
export async function insertResults(tx: Tx, ctx: ResultContext, cases: Iterable<ParsedCase>, ids: Map<string, string>): Promise<number> {
  let n = 0;
  let cols = { test: [] as string[], outcome: [] as string[], attempts: [] as number[], failed: [] as number[], duration: [] as (number | null)[], retry: [] as number[], message: [] as (string | null)[], synthetic: [] as boolean[], variant: [] as (string | null)[] };
  const flush = async () => {
    if (!cols.test.length) return;
    const c = cols;
    cols = { test: [], outcome: [], attempts: [], failed: [], duration: [], retry: [], message: [], synthetic: [], variant: [] };
    await tx.$executeRawUnsafe(INSERT_RESULTS, ctx.projectId, ctx.uploadId, ctx.at, ctx.commit, ctx.branch, ctx.runKey, ctx.infra, c.test, c.outcome, c.attempts, c.failed, c.duration, c.retry, c.message, c.synthetic, c.variant);
    forgetQueryHistory();
  };
  for (const c of cases) {
    const id = ids.get(c.identity.key);
    if (!id) throw new Error(`test ${c.identity.key} was not upserted`);
    cols.test.push(id);
    cols.outcome.push(c.outcome);
    cols.attempts.push(c.attempts.length);
    cols.failed.push(c.attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'error').length);
    cols.duration.push(clampInt(c.durationMs));
    cols.retry.push(retryMsOf(c));
    cols.message.push(firstMessage(c));
    cols.synthetic.push(c.synthetic);
    cols.variant.push(c.variant ?? ctx.variant);
    n++;
    if (cols.test.length >= BATCH) await flush();
  }
  await flush();
  return n;
}

/** What `storeCases` stored, counted as it went. */
export interface StoredCases {
  /** As `countReport` counts a report: `tests` = distinct identities. */
  counts: OutcomeCounts;
  /** For the infrastructure-failure guard (`isInfraUpload`). */
  upload: UploadCounts;
  /** Sum of the results' `retryMs` (the day's "time lost to retries"). */
  retryMs: number;
}

/**
 * Stores a stream of results in batches (find or create their tests, insert the results), so an
 * upload of millions of cases never sits in memory. Inside the caller's transaction: a failure
 * part-way rolls back every batch. Rows are stored with `ctx.infra`; when the guard can only be
 * decided at the end, store them as not infra and call `markInfra`.
 */
export async function storeCases(tx: Tx, ctx: ResultContext, cases: AsyncIterable<ParsedCase>, onCase?: (c: ParsedCase) => void): Promise<StoredCases> {
  const counts = zeroCounts();
  const upload: UploadCounts = { passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0, synthetic: 0 };
  let retryMs = 0;
  let variants = false;
  let batch: ParsedCase[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const b = batch;
    batch = [];
    await insertResults(tx, ctx, b, await upsertTests(tx, ctx.projectId, ctx.at, b));
  };
  for await (const c of cases) {
    counts[c.outcome === 'error' ? 'errors' : c.outcome]++;
    counts.attempts += c.attempts.length;
    if (c.synthetic) upload.synthetic++;
    else upload[c.outcome]++;
    retryMs += retryMsOf(c);
    if (c.variant !== undefined && c.variant !== null) variants = true;
    onCase?.(c);
    batch.push(c);
    if (batch.length >= STREAM_BATCH) await flush();
  }
  await flush();
  const results = counts.passed + counts.failed + counts.errors + counts.skipped + counts.flaky;
  // Without per-case variants every result is a different test; with them, count the tests.
  counts.tests = variants ? Number((await tx.$queryRawUnsafe<{ n: bigint }[]>(COUNT_TESTS, ctx.uploadId))[0]?.n ?? 0) : results;
  return { counts, upload, retryMs };
}

const COUNT_TESTS = `SELECT COUNT(DISTINCT "testId") AS n FROM "test_results" WHERE "uploadId" = $1`;

/** Marks every result of an upload as from an infrastructure failure (decided after storing). */
export async function markInfra(tx: Tx, uploadId: string): Promise<void> {
  await tx.$executeRawUnsafe(`UPDATE "test_results" SET "infra" = true WHERE "uploadId" = $1`, uploadId);
}

const RAW_TABLE = `CREATE TEMP TABLE IF NOT EXISTS "steward_raw_pieces" ("uploadId" text NOT NULL, "n" int NOT NULL, "piece" bytea NOT NULL) ON COMMIT DROP`;
const RAW_JOIN = `UPDATE "test_uploads" SET "raw" = (SELECT string_agg("piece", ''::bytea ORDER BY "n") FROM "steward_raw_pieces" WHERE "uploadId" = $1) WHERE "id" = $1`;

/**
 * Stores an upload's raw copy given in pieces (read-upload.ts), one piece per statement, joined by
 * the database: a parameter is copied several times on its way to the driver (base64 in the
 * client's JSON, decoded, the driver's message), so the 16 MB copy of a 211 MB file sent whole
 * cost ~60 MB, where a 1 MiB piece costs a few. The pieces wait in a temporary table dropped at
 * the commit (a piece appended with `raw || $2` instead would rewrite the whole value each time).
 * Inside the caller's transaction, on the upload row it created.
 */
export async function storeRawPieces(tx: Tx, uploadId: string, pieces: readonly Uint8Array[]): Promise<void> {
  await tx.$executeRawUnsafe(RAW_TABLE);
  for (let n = 0; n < pieces.length; n++) {
    await tx.$executeRawUnsafe(`INSERT INTO "steward_raw_pieces" ("uploadId", "n", "piece") VALUES ($1, $2, $3)`, uploadId, n, pieces[n]);
    forgetQueryHistory();
  }
  await tx.$executeRawUnsafe(RAW_JOIN, uploadId);
  await tx.$executeRawUnsafe(`DELETE FROM "steward_raw_pieces" WHERE "uploadId" = $1`, uploadId);
}
