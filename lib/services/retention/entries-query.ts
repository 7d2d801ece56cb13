/**
 * A plan's entries for the plan page: one filtered page at a time, in natural path order
 * (ITER_SUMMARY_2 before ITER_SUMMARY_10), and the reasons the kept-files filter offers.
 *
 * Natural order has to come from the database so it holds across pages. ICU's numeric collation
 * (`und-u-kn-true`) would do it on PostgreSQL built with ICU, but embedded PGlite accepts that
 * collation and ignores `kn` (checked: it sorts ITER_SUMMARY_10 first). Computing a key in SQL
 * works everywhere but costs ~2 s per 66,000 rows (regexp per row, measured on PostgreSQL 15),
 * too slow for 100,000-entry plans on every page. So the key (lib/engine/natural-key.ts) is stored
 * in plan_entries."sortKey" when the entries are inserted, and the SQL version below only fills in
 * for rows stored without one (plans made before the column existed). Keys are compared bytewise
 * after folding case (COLLATE "C", the same on every locale and on PGlite); paths that differ only
 * in case put lowercase first, as Intl.Collator does. Punctuation keeps byte order ("a_1" after
 * "a1", where ICU puts it first).
 */
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { safeString } from '@/lib/validation';
import { invalid, zodIssues } from '../errors';

export { naturalKey } from '@/lib/engine/natural-key';

/** naturalKey() in SQL, for rows without a stored key: digit runs under 20 digits left-padded to 20. */
export const NATURAL_KEY_FALLBACK_SQL = `(SELECT string_agg(CASE WHEN t[1] ~ '^[0-9]' AND length(t[1]) < 20 THEN lpad(t[1], 20, '0') ELSE t[1] END, '' ORDER BY o)
  FROM regexp_matches("path", '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS m(t, o))`;
const ORDER_SQL = `lower(COALESCE("sortKey", ${NATURAL_KEY_FALLBACK_SQL})) COLLATE "C", "path" COLLATE "C" DESC, "seq"`;

export const entryQuerySchema = z.object({
  kind: z.enum(['delete', 'compress', 'keep', 'actions']).optional(),
  ruleId: safeString(100).optional(),
  /** A kept file's reason without its detail: "newest 100 of rule iter-summary", "protected". */
  reason: safeString(300).optional(),
  status: z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'kept']).optional(),
  q: safeString(500).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type EntryQuery = z.output<typeof entryQuerySchema>;

export interface EntryRow {
  seq: number; kind: string; path: string; size: number; mtime: string; ruleId: string; reason: string; bytesFreed: number; status: string; outcome: string | null;
}

type Raw = { seq: number; kind: string; path: string; size: bigint; mtimeMs: bigint; ruleId: string; reason: string; bytesFreed: bigint; status: string; outcome: string | null };

/** Parses a query string (URLSearchParams) into an EntryQuery, or throws a field error. */
export function parseEntryQuery(params: URLSearchParams): EntryQuery {
  const parsed = entryQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  return parsed.data;
}

/** One page of a plan's entries, filtered by kind, rule, reason, status and a path substring. */
export async function listEntriesPage(db: Db, planId: string, q: EntryQuery): Promise<{ rows: EntryRow[]; total: number }> {
  const where = ['"planId" = $1'];
  const args: unknown[] = [planId];
  const add = (sql: (n: string) => string, v: unknown) => {
    args.push(v);
    where.push(sql(`$${args.length}`));
  };
  if (q.kind === 'actions') where.push(`"kind" IN ('delete', 'compress')`);
  else if (q.kind) add((n) => `"kind" = ${n}`, q.kind);
  if (q.ruleId) add((n) => `"ruleId" = ${n}`, q.ruleId);
  if (q.reason) add((n) => `split_part("reason", ' (', 1) = ${n}`, q.reason);
  if (q.status) add((n) => `"status" = ${n}`, q.status);
  // strpos, not LIKE: a "%" or "_" in the search is a literal character.
  if (q.q) add((n) => `strpos("path", ${n}) > 0`, q.q);
  const filter = where.join(' AND ');
  const [rows, count] = await Promise.all([
    db.$queryRawUnsafe<Raw[]>(
      `SELECT "seq", "kind", "path", "size", "mtimeMs", "ruleId", "reason", "bytesFreed", "status", "outcome" FROM "plan_entries"
       WHERE ${filter} ORDER BY ${ORDER_SQL} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      ...args,
    ),
    db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS "n" FROM "plan_entries" WHERE ${filter}`, ...args),
  ]);
  return {
    rows: rows.map((r) => ({ seq: r.seq, kind: r.kind, path: r.path, size: Number(r.size), mtime: new Date(Number(r.mtimeMs)).toISOString(), ruleId: r.ruleId, reason: r.reason, bytesFreed: Number(r.bytesFreed), status: r.status, outcome: r.outcome })),
    total: Number(count[0]?.n ?? 0),
  };
}

export interface ReasonGroup { kind: string; ruleId: string; reason: string; count: number; bytes: number; bytesFreed: number }

/** A plan's entries grouped by kind, rule and reason prefix ("older than TTL 7d"), largest first within a kind. */
export async function planReasonGroups(db: Db, planId: string): Promise<ReasonGroup[]> {
  const rows = await db.$queryRawUnsafe<{ kind: string; ruleId: string; reason: string; n: bigint; bytes: bigint | null; freed: bigint | null }[]>(
    `SELECT "kind", "ruleId", split_part("reason", ' (', 1) AS "reason", count(*) AS "n", sum("size")::bigint AS "bytes", sum("bytesFreed")::bigint AS "freed"
     FROM "plan_entries" WHERE "planId" = $1 GROUP BY 1, 2, 3
     ORDER BY CASE "kind" WHEN 'delete' THEN 0 WHEN 'compress' THEN 1 ELSE 2 END, count(*) DESC, 3`,
    planId,
  );
  return rows.map((r) => ({ kind: r.kind, ruleId: r.ruleId, reason: r.reason, count: Number(r.n), bytes: Number(r.bytes ?? 0), bytesFreed: Number(r.freed ?? 0) }));
}
