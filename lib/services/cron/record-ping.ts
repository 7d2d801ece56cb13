/**
 * A ping (Healthchecks' protocol, `/ping/…` with any method): resolve the check by its uuid or by
 * <ping-key>/<slug> (creating it with `?create=1`), rate-limit, then in ONE transaction holding
 * the check's row lock: store the ping, apply it (engine applyPing), re-evaluate and store the
 * history, the cached state and the next deadline with a compare-and-set, and for down → up the
 * flip and its `cron.up` outbox rows. Answers as Healthchecks does: 200 "OK", 201 "Created",
 * 404 "not found", 400 for a malformed path or rid, 429 "rate limited"; 409 for a freshness check.
 *
 * Run ids (`?rid=<uuid>`) pair the starts and finishes of overlapping runs: a finish with a rid
 * takes its duration from the start with the same rid; without one, from the newest start. As in
 * Healthchecks, only the newest start makes the check "started": a finish closes it when it has
 * that start's rid (or none). A paused check is resumed by a ping (Healthchecks does so unless
 * "manual resume" is set; Steward has no such setting).
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { applyPing, parsePingPath, parseRid } from '@/lib/engine/cron';
import type { PingKind, PingTarget } from '@/lib/engine/cron/types';
import { decide, lockCheck, writeEvaluation } from './flips';
import { pingLimiter } from './ping-limiter';
import { configOf, capOpenStarts, historyOf, latestStart, openStartsOf, type CheckRow } from './rows';
import { cronSettings } from './settings';
import { SLUG_RE } from './input';

export interface PingRequest {
  /** The path after /ping/, one element per segment. */
  path: string[];
  rid: string | null;
  create: boolean;
  method: string;
  /** Up to the body limit (the route truncates). */
  body: Uint8Array | null;
  bodyTruncated: boolean;
  sourceAddress: string | null;
  userAgent: string | null;
}

export interface PingResult {
  status: 200 | 201 | 400 | 404 | 409 | 429;
  text: string;
  /** With 429: seconds until the window reopens. */
  retryAfterSeconds?: number;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('base64url').slice(0, 32);

/** A created check's name: the slug, or "<slug> (<key name>)" when another check holds it. */
async function createBySlug(db: Db, key: { id: string; name: string }, slug: string, now: Date): Promise<CheckRow | null> {
  for (const name of [slug, `${slug} (${key.name})`.slice(0, 100)]) {
    try {
      return await db.cronCheck.create({
        data: {
          id: crypto.randomUUID(), uuid: crypto.randomUUID(), name, slug, pingKeyId: key.id, type: 'ping',
          // Healthchecks' defaults for a check made by a ping: period 1 day, grace 1 hour.
          scheduleKind: 'period', periodSeconds: 86_400, graceSeconds: 3_600, reason: 'new: created by a ping', createdAt: now, updatedAt: now,
        },
      });
    } catch (e) {
      if ((e as { code?: string }).code !== 'P2002') throw e;
      // Another request created the same slug meanwhile: that check is the one.
      const same = await db.cronCheck.findUnique({ where: { pingKeyId_slug: { pingKeyId: key.id, slug } } });
      if (same) return same;
    }
  }
  return null;
}

/** A slug target's check (created with ?create=1), or the answer to give. */
async function resolveSlug(db: Db, target: Extract<PingTarget, { by: 'slug' }>, create: boolean, now: Date): Promise<{ id: string; created: boolean } | PingResult> {
  const key = await db.cronPingKey.findUnique({ where: { key: target.pingKey }, select: { id: true, name: true } });
  if (!key) return { status: 404, text: 'not found' };
  const slug = target.slug.toLowerCase();
  const check = await db.cronCheck.findUnique({ where: { pingKeyId_slug: { pingKeyId: key.id, slug } }, select: { id: true } });
  if (check) return { id: check.id, created: false };
  if (!create) return { status: 404, text: 'not found' };
  if (!SLUG_RE.test(slug)) return { status: 400, text: 'invalid slug' };
  const made = await createBySlug(db, key, slug, now);
  return made ? { id: made.id, created: true } : { status: 409, text: 'slug name taken' };
}

async function limited(db: Db, key: string, max: number, now: Date): Promise<PingResult | null> {
  if (max <= 0) return null;
  // Decided in-process while far from the limit, by the shared row near it (./ping-limiter.ts).
  const r = await pingLimiter(db).hit(key, { max, windowMs: cronSettings().windowMs }, now);
  return r.ok ? null : { status: 429, text: 'rate limited', retryAfterSeconds: r.retryAfterSeconds };
}

export async function recordPing(db: Db, p: PingRequest, now: Date): Promise<PingResult> {
  const settings = cronSettings();
  const parsed = parsePingPath(p.path);
  if ('error' in parsed) return { status: 400, text: parsed.error };
  const rid = parseRid(p.rid);
  if (typeof rid === 'object' && rid !== null) return { status: 400, text: rid.error };
  // Both buckets at once (at most one round trip of latency, none while far from the limits). The
  // check's bucket is its URL's target, so a check pinged by uuid and by slug has two; a refused
  // ping stores nothing.
  const t = parsed.target;
  const targetKey = t.by === 'uuid' ? t.uuid : `${t.pingKey}/${t.slug.toLowerCase()}`;
  const refused = (await Promise.all([
    p.sourceAddress ? limited(db, `ping:source:${p.sourceAddress}`, settings.ratePerSource, now) : null,
    limited(db, `ping:check:${sha(targetKey)}`, settings.ratePerCheck, now),
  ])).find((r) => r !== null);
  if (refused) return refused;
  let created = false;
  let checkId: string | null = null;
  if (t.by === 'slug') {
    const found = await resolveSlug(db, t, p.create, now);
    if ('status' in found) return found;
    ({ id: checkId, created } = found);
  }

  const outcome = (await fastPing(db, t.by === 'uuid' ? { uuid: t.uuid } : { id: checkId! }, parsed.kind, parsed.exitStatus, rid ?? null, p, now))
    ?? (await lockedPing(db, t.by === 'uuid' ? { uuid: t.uuid } : { id: checkId! }, parsed.kind, parsed.exitStatus, rid ?? null, p, now));
  if ('status' in outcome) return outcome;
  // Every 100th ping: keep only the newest N (one indexed range delete, outside the ping's lock).
  if (outcome.pingCount % 100 === 0) await prunePings(db, outcome.id, settings.pingsKept);
  return created ? { status: 201, text: 'Created' } : { status: 200, text: 'OK' };
}

type CheckRef = { uuid: string } | { id: string };
type PingOutcomeRow = PingResult | { pingCount: number; id: string };

/** The ping row's own columns (untrusted strings cut to size, control characters dropped). */
function pingColumns(p: PingRequest, kind: PingKind, exitStatus: number | null, rid: string | null) {
  return {
    kind, exitStatus, rid, method: p.method.slice(0, 16), sourceAddress: p.sourceAddress?.slice(0, 100) ?? null,
    userAgent: p.userAgent?.replace(/\p{Cc}/gu, '').slice(0, 500) ?? null, body: p.body && p.body.byteLength ? Buffer.from(p.body) : null, bodyTruncated: p.bodyTruncated,
  };
}

function pingChanges(row: CheckRow, patch: Applied, kind: PingKind, now: Date): Partial<CheckRow> {
  return {
    ...patch.columns, lastPingAt: now, lastPingKind: kind, pingCount: (row.pingCount + 1) % 1_000_000_000,
    ...(patch.durationSeconds !== null ? { lastDurationSeconds: patch.durationSeconds } : {}),
  };
}

/**
 * The rows this process wrote last, by the URL's target (`u:<uuid>` or `i:<id>`), so that the
 * next ping of a check can skip reading it: the write is a compare-and-set on the row's version,
 * which every writer of cron_checks bumps (record-ping, flips.ts writeEvaluation, the alert
 * pass), so a row changed or deleted since is never written over: the statement answers with the
 * row as it is instead, and the ping is applied to that. Bounded in size and age; per database
 * handle; on globalThis because each route is bundled separately but shares the process.
 */
const ROW_CACHE_MAX = 50_000;
const ROW_CACHE_TTL_MS = 10 * 60_000;
type CachedRows = Map<string, { row: CheckRow; at: number }>;
const cacheGlobal = globalThis as unknown as { __stewardPingRows?: WeakMap<Db, CachedRows> };

function rowCache(db: Db): CachedRows {
  const all = (cacheGlobal.__stewardPingRows ??= new WeakMap());
  let c = all.get(db);
  if (!c) {
    c = new Map();
    all.set(db, c);
  }
  return c;
}

function remember(cache: CachedRows, key: string, row: CheckRow): void {
  cache.delete(key); // re-inserted last: the oldest entry is the first one
  cache.set(key, { row, at: Date.now() });
  if (cache.size > ROW_CACHE_MAX) cache.delete(cache.keys().next().value!);
}

/** For tests: forget the rows this process wrote (as another instance would not know them). */
export function forgetPingRows(db: Db): void {
  rowCache(db).clear();
}

/**
 * The common case in one statement and no transaction: take the check's row (as this process
 * last wrote it, or read it), apply the ping in memory, then `UPDATE … WHERE version = <read>` and
 * INSERT the ping in one CTE (both or neither). When the ping changes nothing but the ping's own
 * facts — no flip, no notification, the check not paused — that is all a ping is. A lost
 * compare-and-set (an alert pass, another instance or another ping wrote the row meanwhile)
 * answers with the row as the statement saw it, and the ping is applied to that once more.
 * Anything else (a flip and its outbox rows, a paused check, a second lost race) returns null and
 * takes the locked path. (Prisma's interactive transaction and model queries were most of a
 * ping's CPU, then the round trips themselves: bench/cron-scale.ts.)
 */
async function fastPing(db: Db, at: CheckRef, kind: PingKind, exitStatus: number | null, rid: string | null, p: PingRequest, now: Date): Promise<PingOutcomeRow | null> {
  const cache = rowCache(db);
  const key = 'uuid' in at ? `u:${at.uuid.toLowerCase()}` : `i:${at.id}`;
  const cached = cache.get(key);
  let row: CheckRow | undefined;
  if (cached && Date.now() - cached.at < ROW_CACHE_TTL_MS) row = cached.row;
  else {
    cache.delete(key);
    const rows = 'uuid' in at
      ? await db.$queryRaw<CheckRow[]>`SELECT * FROM "cron_checks" WHERE "uuid" = ${at.uuid.toLowerCase()}`
      : await db.$queryRaw<CheckRow[]>`SELECT * FROM "cron_checks" WHERE "id" = ${at.id}`;
    row = rows[0];
    if (!row) return { status: 404, text: 'not found' };
  }
  const c = pingColumns(p, kind, exitStatus, rid);
  for (let attempt = 0; ; attempt++) {
    if (row.type !== 'ping') return { status: 409, text: 'not a ping check' };
    if (row.paused) break;
    const patch = applyToRow(row, kind, exitStatus, rid, now);
    const after: CheckRow = { ...row, ...pingChanges(row, patch, kind, now) };
    const d = decide(after, now);
    if (d.flip || d.announce) break;
    const openStarts = JSON.stringify(after.openStarts ?? {});
    const reason = d.ev.reason.slice(0, 2000);
    // One row always: "written" 1 (the check's columns null), or 0 with the row as it is (all
    // null if it is gone).
    const [answer] = await db.$queryRaw<(Partial<CheckRow> & { written: number })[]>`
      WITH u AS (
        UPDATE "cron_checks" SET
          "lastFinishAt" = ${after.lastFinishAt}, "lastFinishFailed" = ${after.lastFinishFailed}, "openStartAt" = ${after.openStartAt},
          "consecutiveFailures" = ${after.consecutiveFailures}, "openStarts" = ${openStarts}::jsonb,
          "lastPingAt" = ${now}, "lastPingKind" = ${kind}, "pingCount" = ${after.pingCount}, "lastDurationSeconds" = ${after.lastDurationSeconds},
          "state" = ${d.to}, "reason" = ${reason}, "nextChangeAt" = ${d.nextChangeAt}, "downSince" = ${d.downSince},
          "updatedAt" = ${now}, "version" = ${row.version + 1}
        WHERE "id" = ${row.id} AND "version" = ${row.version}
        RETURNING "id"),
      i AS (
        INSERT INTO "cron_pings" ("checkId", "at", "kind", "exitStatus", "rid", "method", "sourceAddress", "userAgent", "body", "bodyTruncated", "durationSeconds", "tooFast")
        SELECT u."id", ${now}, ${c.kind}, ${c.exitStatus}, ${c.rid}, ${c.method}, ${c.sourceAddress}, ${c.userAgent}, ${c.body}, ${c.bodyTruncated}, ${patch.durationSeconds}, ${patch.tooFast} FROM u
        RETURNING "id")
      SELECT (SELECT count(*) FROM i)::int AS "written", c.* FROM (SELECT 1) AS one
        LEFT JOIN "cron_checks" c ON c."id" = ${row.id} AND NOT EXISTS (SELECT 1 FROM u)`;
    if (answer && Number(answer.written) === 1) {
      remember(cache, key, {
        ...after, openStarts: JSON.parse(openStarts) as CheckRow['openStarts'], state: d.to, reason, nextChangeAt: d.nextChangeAt, downSince: d.downSince, updatedAt: now, version: row.version + 1,
      });
      return { pingCount: row.pingCount + 1, id: row.id };
    }
    cache.delete(key);
    const { written: _w, ...current } = answer ?? { written: 0 };
    // Gone, or no longer this uuid's, or lost twice: the locked path decides.
    if (attempt > 0 || !current.id || ('uuid' in at && current.uuid !== at.uuid.toLowerCase())) return null;
    row = current as CheckRow;
  }
  cache.delete(key);
  return null;
}

/** Under the check's row lock: the path for flips, notifications, resuming a paused check and lost races. */
async function lockedPing(db: Db, at: CheckRef, kind: PingKind, exitStatus: number | null, rid: string | null, p: PingRequest, now: Date): Promise<PingOutcomeRow> {
  return db.$transaction(async (tx): Promise<PingOutcomeRow> => {
    // By uuid the lock is the lookup: one query fewer on the hot path.
    const row = 'uuid' in at ? await lockByUuid(tx, at.uuid) : await lockCheck(tx, at.id);
    if (!row) return { status: 404, text: 'not found' }; // unknown, or deleted meanwhile
    if (row.type !== 'ping') return { status: 409, text: 'not a ping check' };
    // A ping resumes a paused check (from scratch, as resuming by hand does: lib/services/cron/checks.ts).
    const reset: Partial<CheckRow> = row.paused ? { paused: false, lastFinishAt: null, lastFinishFailed: false, openStartAt: null, consecutiveFailures: 0, openStarts: {} } : {};
    const base: CheckRow = { ...row, ...reset };
    const patch = applyToRow(base, kind, exitStatus, rid, now);
    await tx.cronPing.create({
      data: {
        ...pingColumns(p, kind, exitStatus, rid), checkId: row.id, at: now, durationSeconds: patch.durationSeconds, tooFast: patch.tooFast,
      },
    });
    const changes: Partial<CheckRow> = { ...reset, ...pingChanges(row, patch, kind, now) };
    await writeEvaluation(tx, base, changes, now);
    return { pingCount: row.pingCount + 1, id: row.id };
  });
}

interface Applied {
  columns: Partial<CheckRow>;
  durationSeconds: number | null;
  tooFast: boolean;
}

/** The engine's applyPing, with the open start paired by rid. */
function applyToRow(row: CheckRow, kind: PingKind, exitStatus: number | null, rid: string | null, at: Date): Applied {
  const config = configOf(row);
  const history = historyOf(row);
  const starts = openStartsOf(row.openStarts);
  const latest = latestStart(starts);
  const key = rid ?? '';
  if (kind === 'start') {
    const r = applyPing(config, history, { kind, exitStatus, at });
    return { columns: { ...historyColumns(r.history), openStarts: capOpenStarts({ ...starts, [key]: at.getTime() }) }, durationSeconds: null, tooFast: false };
  }
  if (kind === 'log') {
    const r = applyPing(config, history, { kind, exitStatus, at });
    return { columns: historyColumns(r.history), durationSeconds: null, tooFast: false };
  }
  // A finish: its start is the one with its rid; without a rid, the newest start.
  const pairedAt = rid !== null ? starts[rid] : latest?.t;
  const closesLatest = rid === null || (latest !== null && latest.rid === rid);
  const r = applyPing(config, { ...history, openStartAt: pairedAt === undefined ? null : new Date(pairedAt) }, { kind, exitStatus, at });
  const rest = { ...starts };
  if (rid !== null) delete rest[rid];
  else if (latest) delete rest[latest.rid];
  const openStartAt = closesLatest ? null : history.openStartAt;
  return {
    columns: { ...historyColumns(r.history), openStartAt, openStarts: rest },
    durationSeconds: pairedAt === undefined ? null : r.durationSeconds,
    tooFast: r.tooFast,
  };
}

async function lockByUuid(tx: Prisma.TransactionClient, uuid: string): Promise<CheckRow | null> {
  const rows = await tx.$queryRaw<CheckRow[]>`SELECT * FROM "cron_checks" WHERE "uuid" = ${uuid.toLowerCase()} FOR UPDATE`;
  return rows[0] ?? null;
}

function historyColumns(h: ReturnType<typeof historyOf>): Partial<CheckRow> {
  return { lastFinishAt: h.lastFinishAt, lastFinishFailed: h.lastFinishFailed, openStartAt: h.openStartAt, consecutiveFailures: h.consecutiveFailures };
}

export async function prunePings(db: Db, checkId: string, keep: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "cron_pings" WHERE "checkId" = ${checkId} AND "at" < (
      SELECT "at" FROM "cron_pings" WHERE "checkId" = ${checkId} ORDER BY "at" DESC OFFSET ${keep - 1} LIMIT 1)`;
}
