/**
 * The checks list: down and late first, then by name, in keyset pages (`cursor` is the last row's
 * sort key, opaque to callers), with the count per state and every tag for the filters. Order,
 * filters and counts use the cached state the alert loop keeps (at most one pass behind); each
 * row's state, reason and deadlines shown are evaluated live at `now`.
 */
import { Prisma } from '@/lib/db/generated/client';
import type { Db } from '@/lib/db/client';
import { CHECK_STATES, type CheckState } from '@/lib/engine/cron/types';
import type { Actor } from '../actor';
import { invalid } from '../errors';
import { requireRole } from './authz';
import type { CheckSummary } from './dto';
import type { CheckRow } from './rows';
import { summaryOf } from './to-dto';

export interface ListChecksQuery {
  state?: CheckState;
  tag?: string;
  search?: string;
  limit?: number;
  cursor?: string | null;
}

export interface ListChecksResult {
  checks: CheckSummary[];
  counts: Record<CheckState, number>;
  tags: string[];
  nextCursor: string | null;
}

const RANK = Prisma.sql`(CASE c."state" WHEN 'down' THEN 0 WHEN 'late' THEN 1 ELSE 2 END)`;
type Cursor = [number, string, string];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && Number.isInteger(v[0]) && typeof v[1] === 'string' && typeof v[2] === 'string' && !v[1].includes('\u0000') && !v[2].includes('\u0000')) return v as Cursor;
  } catch {
    /* fall through */
  }
  throw invalid([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export async function listChecks(db: Db, actor: Actor, q: ListChecksQuery, now: Date): Promise<ListChecksResult> {
  requireRole(actor, 'viewer', 'Reading checks');
  if (q.state !== undefined && !CHECK_STATES.includes(q.state)) throw invalid([{ field: 'state', message: `must be one of ${CHECK_STATES.join(', ')}` }]);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), 200);
  const search = q.search?.trim().slice(0, 100).replaceAll('\u0000', '');
  const filters: Prisma.Sql[] = [];
  if (q.tag) filters.push(Prisma.sql`${q.tag} = ANY(c."tags")`);
  if (search) {
    const like = `%${likeEscape(search)}%`;
    filters.push(Prisma.sql`(c."name" ILIKE ${like} OR c."slug" ILIKE ${like} OR c."artifactPath" ILIKE ${like})`);
  }
  const page = [...filters];
  if (q.state) page.push(Prisma.sql`c."state" = ${q.state}`);
  if (q.cursor) {
    const [rank, name, id] = decodeCursor(q.cursor);
    page.push(Prisma.sql`(${RANK}, c."name", c."id") > (${rank}::int, ${name}, ${id})`);
  }
  const where = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty);
  const rows = await db.$queryRaw<(CheckRow & { pingKeyName: string | null; rank: number })[]>`
    SELECT c.*, k."name" AS "pingKeyName", ${RANK} AS "rank"
    FROM "cron_checks" c LEFT JOIN "cron_ping_keys" k ON k."id" = c."pingKeyId"
    ${where(page)}
    ORDER BY ${RANK}, c."name", c."id" LIMIT ${limit + 1}`;
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const [countRows, tagRows, durations] = await Promise.all([
    db.$queryRaw<{ state: string; n: number }[]>`SELECT c."state", count(*)::int AS n FROM "cron_checks" c ${where(filters)} GROUP BY c."state"`,
    db.$queryRaw<{ tag: string }[]>`SELECT DISTINCT unnest(c."tags") AS tag FROM "cron_checks" c ORDER BY tag LIMIT 500`,
    recentDurations(db, pageRows.map((r) => r.id)),
  ]);
  const counts = Object.fromEntries(CHECK_STATES.map((s) => [s, 0])) as Record<CheckState, number>;
  for (const c of countRows) if ((CHECK_STATES as readonly string[]).includes(c.state)) counts[c.state as CheckState] = Number(c.n);
  const last = pageRows[pageRows.length - 1];
  return {
    checks: pageRows.map((r) => summaryOf({ ...r, pingKey: r.pingKeyName === null ? null : { name: r.pingKeyName } }, durations.get(r.id) ?? [], now)),
    counts,
    tags: tagRows.map((t) => t.tag),
    nextCursor: more && last ? encodeCursor([Number(last.rank), last.name, last.id]) : null,
  };
}

/** Up to 20 newest run durations per check, oldest first (one indexed probe per check). */
export async function recentDurations(db: Db, ids: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!ids.length) return out;
  const rows = await db.$queryRaw<{ id: string; d: number }[]>`
    SELECT x.id, p."durationSeconds" AS d FROM unnest(${ids}::text[]) AS x(id)
    CROSS JOIN LATERAL (SELECT "durationSeconds", "at" FROM "cron_pings" WHERE "checkId" = x.id AND "durationSeconds" IS NOT NULL ORDER BY "at" DESC LIMIT 20) p
    ORDER BY x.id, p."at"`;
  for (const r of rows) {
    const list = out.get(r.id) ?? [];
    list.push(Number(r.d));
    out.set(r.id, list);
  }
  return out;
}
