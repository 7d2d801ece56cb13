/**
 * A stored check as the engine reads it: the row's columns → CheckConfig, CheckHistory, Schedule;
 * and the engine's evaluation of it at `now`. Nothing here touches the database.
 */
import type { CronCheck } from '@/lib/db/generated/client';
import { evaluateCheck } from '@/lib/engine/cron';
import type { CheckConfig, CheckEvaluation, CheckHistory, CheckState, CheckType, MaintenanceWindow, Schedule } from '@/lib/engine/cron/types';

export type CheckRow = CronCheck;

export function scheduleOf(r: Pick<CheckRow, 'scheduleKind' | 'periodSeconds' | 'graceSeconds' | 'cronExpression' | 'timezone'>): Schedule {
  if (r.scheduleKind === 'cron') return { kind: 'cron', expression: r.cronExpression ?? '', timezone: r.timezone ?? 'UTC', graceSeconds: r.graceSeconds };
  return { kind: 'period', periodSeconds: r.periodSeconds ?? 86_400, graceSeconds: r.graceSeconds };
}

/** The schedule's columns (the check constraint wants the other kind's columns null). */
export function scheduleColumns(s: Schedule) {
  return s.kind === 'cron'
    ? { scheduleKind: 'cron', periodSeconds: null, graceSeconds: s.graceSeconds, cronExpression: s.expression, timezone: s.timezone }
    : { scheduleKind: 'period', periodSeconds: s.periodSeconds, graceSeconds: s.graceSeconds, cronExpression: null, timezone: null };
}

export function maintenanceOf(v: unknown): MaintenanceWindow[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((w: { start?: unknown; end?: unknown }) => {
    const start = new Date(String(w?.start)), end = new Date(String(w?.end));
    return Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) ? [] : [{ start, end }];
  });
}

export function configOf(r: CheckRow): CheckConfig {
  return {
    type: r.type as CheckType, schedule: scheduleOf(r), maxRuntimeSeconds: r.maxRuntimeSeconds, minRuntimeSeconds: r.minRuntimeSeconds,
    failureThreshold: r.failureThreshold, paused: r.paused, maintenance: maintenanceOf(r.maintenance), createdAt: r.createdAt, maxAgeSeconds: r.maxAgeSeconds,
  };
}

export function historyOf(r: CheckRow): CheckHistory {
  return {
    lastFinishAt: r.lastFinishAt, lastFinishFailed: r.lastFinishFailed, openStartAt: r.openStartAt, consecutiveFailures: r.consecutiveFailures,
    artifactMtime: r.artifactMtime, observedAt: r.observedAt,
  };
}

export function evaluateRow(r: CheckRow, now: Date): CheckEvaluation {
  return evaluateCheck(configOf(r), historyOf(r), now);
}

export const stateOf = (v: string): CheckState => v as CheckState;

/** Open starts by run id ("" for a start without one): { rid: epoch ms }. */
export type OpenStarts = Record<string, number>;
export const MAX_OPEN_STARTS = 100;

export function openStartsOf(v: unknown): OpenStarts {
  const out: OpenStarts = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, t] of Object.entries(v as Record<string, unknown>)) if (typeof t === 'number' && Number.isFinite(t)) out[k] = t;
  }
  return out;
}

/** The newest open start (its rid and time), or null. */
export function latestStart(m: OpenStarts): { rid: string; t: number } | null {
  let best: { rid: string; t: number } | null = null;
  for (const [rid, t] of Object.entries(m)) if (!best || t > best.t) best = { rid, t };
  return best;
}

/** Keeps the newest MAX_OPEN_STARTS (a job that never sends its finish must not grow the row). */
export function capOpenStarts(m: OpenStarts): OpenStarts {
  const entries = Object.entries(m);
  if (entries.length <= MAX_OPEN_STARTS) return m;
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_OPEN_STARTS));
}
