/** Stored checks → the DTOs of dto.ts, with the engine's live evaluation at `now`. */
import { describeSchedule, evaluateFreshness } from '@/lib/engine/cron';
import type { CheckType, FreshnessStatus, PingKind } from '@/lib/engine/cron/types';
import type { CheckSummary } from './dto';
import { evaluateRow, scheduleOf, type CheckRow } from './rows';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function summaryOf(r: CheckRow & { pingKey?: { name: string } | null }, recentDurations: number[], now: Date): CheckSummary {
  const ev = evaluateRow(r, now);
  const schedule = scheduleOf(r);
  let freshness: FreshnessStatus | null = null;
  if (r.type === 'freshness' && r.observedAt && r.maxAgeSeconds) freshness = evaluateFreshness(r.artifactMtime, r.maxAgeSeconds, now).status;
  return {
    id: r.id, uuid: r.uuid, name: r.name, slug: r.slug, pingKeyName: r.pingKey?.name ?? null, type: r.type as CheckType, tags: r.tags,
    schedule, scheduleText: describeSchedule(schedule), state: ev.state, reason: ev.reason,
    expectedAt: iso(ev.expectedAt), lateAt: iso(ev.lateAt), downAt: iso(ev.downAt),
    lastPingAt: iso(r.lastPingAt), lastPingKind: (r.lastPingKind as PingKind | null) ?? null, lastDurationSeconds: r.lastDurationSeconds,
    recentDurations, artifactPath: r.artifactPath, maxAgeSeconds: r.maxAgeSeconds, freshness, paused: r.paused,
    artifactRootId: r.artifactRootId, source: r.source, observedAt: iso(r.observedAt), nextChangeAt: iso(ev.nextChangeAt),
  };
}
