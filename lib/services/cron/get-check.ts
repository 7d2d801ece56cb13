/**
 * One check for its page: the summary, settings, the next five expected times, the newest 100
 * pings (bodies as text), the runs paired from them, the newest 50 flips and the notifications
 * those flips raised. Viewers and `read` tokens may read.
 */
import type { Db } from '@/lib/db/client';
import { nextTimes } from '@/lib/engine/cron';
import type { CheckState, PingKind } from '@/lib/engine/cron/types';
import type { Actor } from '../actor';
import { ServiceError } from '../errors';
import { requireRole } from './authz';
import type { CheckDetail, PingRow, RunRow } from './dto';
import { maintenanceOf, openStartsOf, scheduleOf } from './rows';
import { summaryOf } from './to-dto';

export const DETAIL_PINGS = 100;
const decoder = new TextDecoder('utf-8', { fatal: false });

export async function getCheck(db: Db, actor: Actor, id: string, now: Date): Promise<CheckDetail> {
  requireRole(actor, 'viewer', 'Reading checks');
  const r = await db.cronCheck.findUnique({ where: { id }, include: { pingKey: { select: { name: true } } } });
  if (!r) throw new ServiceError('not_found', 'No such check.');
  const [pingRows, flipRows] = await Promise.all([
    db.cronPing.findMany({ where: { checkId: id }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: DETAIL_PINGS }),
    db.cronFlip.findMany({ where: { checkId: id }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 50 }),
  ]);
  const eventIds = flipRows.flatMap((f) => (f.eventId ? [f.eventId] : []));
  const deliveries = eventIds.length
    ? await db.notificationDelivery.findMany({ where: { eventId: { in: eventIds } }, orderBy: { createdAt: 'desc' }, include: { channel: { select: { name: true } } } })
    : [];
  const pings: PingRow[] = pingRows.map((p) => ({
    id: p.id.toString(), at: p.at.toISOString(), kind: p.kind as PingKind, exitStatus: p.exitStatus, rid: p.rid, method: p.method, sourceAddress: p.sourceAddress, userAgent: p.userAgent,
    body: p.body ? decoder.decode(p.body) : null, bodyTruncated: p.bodyTruncated, durationSeconds: p.durationSeconds, tooFast: p.tooFast,
  }));
  const schedule = scheduleOf(r);
  let upcoming: string[] = [];
  try {
    upcoming = nextTimes(schedule, schedule.kind === 'period' ? r.lastFinishAt ?? now : now, 5).map((d) => d.toISOString());
  } catch {
    /* a stored schedule croner cannot run any more (a time zone removed from tzdata): no preview */
  }
  const durations = pingRows.filter((p) => p.durationSeconds !== null).slice(0, 20).map((p) => p.durationSeconds!).reverse();
  return {
    ...summaryOf(r, durations, now),
    createdAt: r.createdAt.toISOString(), maxRuntimeSeconds: r.maxRuntimeSeconds, minRuntimeSeconds: r.minRuntimeSeconds, failureThreshold: r.failureThreshold,
    consecutiveFailures: r.consecutiveFailures, maintenance: maintenanceOf(r.maintenance).map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
    nextTimes: upcoming, pings, runs: pairRuns(pings, new Set(Object.keys(openStartsOf(r.openStarts))), (r.maxRuntimeSeconds ?? schedule.graceSeconds) * 1000, now),
    flips: flipRows.map((f) => ({ id: f.id.toString(), at: f.at.toISOString(), from: f.from as CheckState, to: f.to as CheckState, reason: f.reason })),
    notifications: deliveries.map((d) => ({ id: d.id, kind: d.kind, channel: d.channel.name, status: d.status, at: (d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt).toISOString() })),
  };
}

/**
 * Runs from the ping log (newest first in, newest first out): a finish pairs with the start of
 * its rid, or without a rid with the newest unpaired start, as recordPing pairs them. A start
 * with no finish is "running" while it is still open on the check and within the maximum
 * runtime, else "timeout". A finish with no start (the job sends only finishes) is a run of
 * unknown duration.
 */
export function pairRuns(pings: readonly PingRow[], openRids: ReadonlySet<string>, maxRuntimeMs: number, now: Date): RunRow[] {
  const chrono = [...pings].reverse();
  const open = new Map<string, PingRow>();
  const runs: RunRow[] = [];
  const close = (start: PingRow | null, finish: PingRow | null, superseded = false) => {
    const outcome: RunRow['outcome'] = finish
      ? finish.kind === 'fail' || finish.tooFast ? 'fail' : 'success'
      : !superseded && openRids.has(start!.rid ?? '') && now.getTime() - Date.parse(start!.at) <= maxRuntimeMs ? 'running' : 'timeout';
    runs.push({ startedAt: start?.at ?? null, finishedAt: finish?.at ?? null, rid: start?.rid ?? finish?.rid ?? null, outcome, durationSeconds: finish?.durationSeconds ?? null, exitStatus: finish?.exitStatus ?? null });
  };
  for (const p of chrono) {
    if (p.kind === 'log') continue;
    if (p.kind === 'start') {
      const key = p.rid ?? '';
      const prev = open.get(key);
      if (prev) close(prev, null, true); // started again before finishing
      open.set(key, p);
      continue;
    }
    let key: string | undefined = p.rid ?? undefined;
    if (key === undefined) {
      let newest: PingRow | undefined;
      for (const [k, s] of open) if (!newest || s.at > newest.at) { newest = s; key = k; }
    }
    const start = key !== undefined ? open.get(key) ?? null : null;
    if (key !== undefined) open.delete(key);
    close(start, p);
  }
  for (const s of open.values()) close(s, null);
  return runs.sort((a, b) => ((b.finishedAt ?? b.startedAt ?? '') > (a.finishedAt ?? a.startedAt ?? '') ? 1 : -1));
}
