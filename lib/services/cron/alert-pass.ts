/**
 * The alert loop (jobs/cron.ts, every 10 s): checks whose stored deadline has passed are
 * re-evaluated with the engine and their new state and next deadline written; a flip is recorded,
 * and a flip to down enqueues `cron.down`, in the same transaction.
 *
 * Safe with any number of instances at once: each batch is
 *   SELECT … WHERE NOT paused AND nextChangeAt <= now ORDER BY nextChangeAt LIMIT n FOR UPDATE SKIP LOCKED
 * so two passes take disjoint rows (one skips what the other holds), and a row another pass has
 * just committed no longer matches (PostgreSQL re-checks the WHERE on the new row version before
 * locking it). The write is one UPDATE … FROM unnest(…) with a compare-and-set on `version`, so a
 * row changed by anything else since it was read is left for the next pass rather than
 * overwritten. "What is overdue" reads the partial index cron_checks_due_idx.
 */
import type { Db } from '@/lib/db/client';
import { enqueueCronEvents } from '../notifications/cron-events';
import { decide, flipEvent } from './flips';
import type { CheckRow } from './rows';

export const DEFAULT_BATCH = 500;
/** Per call: at most this many batches (a backlog is finished by the next passes). */
const MAX_BATCHES = 20;

const UPDATE = `UPDATE "cron_checks" c SET "state" = u.state, "reason" = u.reason, "nextChangeAt" = u.next, "downSince" = u.down, "version" = c."version" + 1, "updatedAt" = $1
  FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[]) AS u(id, version, state, reason, next, down)
  WHERE c."id" = u.id AND c."version" = u.version RETURNING c."id"`;

export async function runAlertPass(db: Db, now: Date, opts: { limit?: number; signal?: AbortSignal } = {}): Promise<{ flipped: number; evaluated: number; announced: number }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_BATCH), 1), 5000);
  const total = { flipped: 0, evaluated: 0, announced: 0 };
  for (let batch = 0; batch < MAX_BATCHES && !opts.signal?.aborted; batch++) {
    const r = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<CheckRow[]>`
        SELECT * FROM "cron_checks" WHERE NOT "paused" AND "nextChangeAt" <= ${now}
        ORDER BY "nextChangeAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (!rows.length) return { taken: 0, flipped: 0, announced: 0 };
      const decided = rows.map((row) => ({ row, d: decide(row, now) }));
      const updated = await tx.$queryRawUnsafe<{ id: string }[]>(
        UPDATE, now,
        decided.map((x) => x.row.id), decided.map((x) => x.row.version), decided.map((x) => x.d.to), decided.map((x) => x.d.ev.reason.slice(0, 2000)),
        decided.map((x) => x.d.nextChangeAt?.toISOString() ?? null), decided.map((x) => x.d.downSince?.toISOString() ?? null),
      );
      const done = new Set(updated.map((u) => u.id));
      const flips = [];
      const events = [];
      for (const { row, d } of decided) {
        if (!done.has(row.id) || !d.flip) continue;
        const ev = flipEvent(row, d, now);
        if (ev) events.push(ev);
        flips.push({ checkId: row.id, at: now, from: d.from, to: d.to, reason: d.ev.reason.slice(0, 2000), eventId: ev?.eventId ?? null });
      }
      if (flips.length) await tx.cronFlip.createMany({ data: flips });
      if (events.length) await enqueueCronEvents(tx, events, now);
      return { taken: rows.length, flipped: flips.length, announced: events.length };
    }, { timeout: 60_000, maxWait: 15_000 });
    total.flipped += r.flipped;
    total.announced += r.announced;
    total.evaluated += r.taken;
    if (r.taken < limit) break;
  }
  return total;
}
