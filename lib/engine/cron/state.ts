/**
 * A check's state as a pure function of its configuration, its stored facts and `now`
 * (Healthchecks' model, with start tolerance, max runtime, failure thresholds and windows).
 *
 * Boundaries: every time-driven change has a deadline and happens strictly after it. A ping
 * check whose run finished at F expects the next at E = nextExpected(schedule, F): up while
 * now <= E, late while E < now <= E + grace, down after. An open start S (a start not followed by
 * a finish) is 'started' while now <= S + (maxRuntime ?? grace), then down; it is never late. A
 * failed finish reaching failureThreshold consecutive failures is down at once (at F), and stays
 * down through new starts until a success. Maintenance windows move deadlines (windows.ts); a
 * failure reported inside a window counts from the window's end.
 *
 * nextChangeAt is the first instant after now at which the *state* differs with no new ping:
 * deadline + 1 ms (the first millisecond of the new state), so the alert loop's
 * `WHERE next_change_at <= now` finds exactly the checks whose stored state is stale. It is found
 * by evaluating the few candidate instants, so it cannot drift from the state function.
 */
import { DEFAULT_FUTURE_TOLERANCE_SECONDS, evaluateFreshness } from './freshness';
import { nextExpected, ScheduleError } from './schedule';
import { exactSeconds, utcMinute, zoneMinute, zoneMinuteAfter } from './time-text';
import type { CheckConfig, CheckEvaluation, CheckHistory, CheckState } from './types';
import { deferDeadline, mergeWindows, spanAt, type Span } from './windows';

export { applyPing, type PingFact, type PingOutcome } from './apply-ping';

type At = Omit<CheckEvaluation, 'nextChangeAt'>;
interface Timeline {
  /** The state alone (cheap: comparisons only), used to search for nextChangeAt. */
  state(t: number): CheckState;
  /** The full answer; its state is always `state(t)`, as it branches on it. */
  at(t: number): At;
  /** Every instant at which the state may change (deadline + 1 ms, or an inclusive boundary). */
  candidates: number[];
}

const d = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * The state, a one-sentence reason (minute precision; in the cron schedule's zone, else UTC), the
 * deadlines and nextChangeAt.
 * Never throws for a stored check: a schedule that cannot be evaluated is 'down' with the
 * reason, so a broken row is seen instead of silently never alerting.
 */
export function evaluateCheck(config: CheckConfig, history: CheckHistory, now: Date): CheckEvaluation {
  if (config.paused) return { state: 'paused', reason: 'paused: no alerts until it is resumed', expectedAt: null, lateAt: null, downAt: null, nextChangeAt: null };
  const spans = mergeWindows(config.maintenance ?? []);
  let tl: Timeline;
  try {
    tl = config.type === 'freshness' ? freshnessTimeline(config, history, spans) : pingTimeline(config, history, spans);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    return { state: 'down', reason: `the schedule cannot be evaluated: ${e.message}`, expectedAt: null, lateAt: null, downAt: null, nextChangeAt: null };
  }
  const t = now.getTime();
  const here = tl.at(t);
  const next = tl.candidates.filter((c) => c > t).sort((a, b) => a - b).find((c) => tl.state(c) !== here.state) ?? null;
  return { ...here, reason: here.reason + maintenanceNote(t, spans, here, sentenceZone(config)), nextChangeAt: d(next) };
}

/** The zone a check's sentences are written in: its cron schedule's, else UTC. */
const sentenceZone = (config: CheckConfig): string => (config.type !== 'freshness' && config.schedule.kind === 'cron' ? config.schedule.timezone : 'UTC');

/** "; in maintenance until …" while now is inside a window, so a held state explains itself. */
function maintenanceNote(t: number, spans: readonly Span[], here: At, zone: string): string {
  const w = spanAt(t, spans);
  if (!w || here.state === 'new') return '';
  return `; in maintenance until ${zoneMinute(new Date(w.end), zone)}`;
}

/** A deadline for "down at once at F": down while now >= F, or after the window F falls in. */
function atOnce(f: number, spans: readonly Span[]): number {
  return spanAt(f, spans)?.end ?? f - 1;
}

function pingTimeline(config: CheckConfig, h: CheckHistory, spans: Span[]): Timeline {
  const grace = config.schedule.graceSeconds * 1000;
  const zone = sentenceZone(config);
  const minute = (x: Date) => zoneMinute(x, zone);
  const minuteAfter = (x: Date, ref: Date) => zoneMinuteAfter(x, ref, zone);
  const F = h.lastFinishAt?.getTime() ?? null;
  const S = h.openStartAt?.getTime() ?? null;
  const open = S !== null && (F === null || S >= F);
  const threshold = Math.max(1, Math.floor(config.failureThreshold) || 1);
  const failures = h.lastFinishFailed ? Math.max(1, h.consecutiveFailures) : 0;
  const E = F === null ? null : nextExpected(config.schedule, new Date(F)).getTime();
  const L = E === null ? null : deferDeadline(E, spans);
  const D = E === null ? null : deferDeadline(E + grace, spans);
  // An unusable max runtime (never stored: the column is an integer) falls back to the grace.
  const maxRuntime = typeof config.maxRuntimeSeconds === 'number' && Number.isFinite(config.maxRuntimeSeconds) && config.maxRuntimeSeconds >= 0 ? config.maxRuntimeSeconds : null;
  const limit = maxRuntime ?? config.schedule.graceSeconds;
  if (!Number.isFinite(limit) || limit < 0) throw new ScheduleError(`grace ${limit} is not a number of seconds >= 0`);
  const R = open ? deferDeadline(S + limit * 1000, spans) : null;
  const failDeadline = F !== null && failures >= threshold ? atOnce(F, spans) : null;
  const candidates = [L, D, R, failDeadline].filter((x): x is number => x !== null).map((x) => x + 1);

  const baseState = (t: number): CheckState => {
    if (open) return t > R! ? 'down' : 'started';
    if (L === null || D === null) return 'new';
    return t <= L ? 'up' : t <= D ? 'late' : 'down';
  };
  const state = (t: number): CheckState => (failDeadline !== null && t > failDeadline ? 'down' : baseState(t));

  const base = (t: number): At => {
    const st = baseState(t);
    if (open) {
      const lim = maxRuntime === null ? `${exactSeconds(limit)}, the grace` : exactSeconds(limit);
      const started = minute(new Date(S));
      const reason = st === 'down' ? `running for longer than max runtime ${lim} (started ${started})` : `started ${started}; down if not finished by ${minuteAfter(new Date(R!), new Date(S))} (max runtime ${lim})`;
      return { state: st, reason, expectedAt: d(R), lateAt: null, downAt: d(R) };
    }
    if (F === null || E === null || L === null || D === null) return { state: st, reason: 'no ping yet', expectedAt: null, lateAt: null, downAt: null };
    const e = new Date(E);
    const last = minute(new Date(F));
    const dl = `${L !== E ? `late after ${minuteAfter(new Date(L), e)}, ` : ''}down after ${minuteAfter(new Date(D), e)}`;
    const failed = h.lastFinishFailed ? ` failed (${failures} of ${threshold} failures before down)` : '';
    const reason =
      st === 'up' ? `last ping ${last}${failed}; next expected ${minute(e)}, ${dl}`
      : st === 'late' ? `no ping since ${last}; expected ${minute(e)}, ${dl}`
      : `no ping since ${last}; expected ${minute(e)}, down since ${minuteAfter(new Date(D), e)}`;
    return { state: st, reason, expectedAt: e, lateAt: d(L), downAt: d(D) };
  };

  const at = (t: number): At => {
    const b = base(t);
    if (failDeadline === null) return b;
    const what = `${plural(failures, 'consecutive failure')}, the last at ${minute(new Date(F!))}${open ? `; a new run started ${minute(new Date(S))}` : ''}`;
    if (t > failDeadline) return { state: 'down', reason: what, expectedAt: d(E), lateAt: null, downAt: null };
    // Not down yet: F fell inside a window that is still on, or now is before F (clock skew).
    if (!spanAt(F!, spans)) return b;
    const downAt = b.downAt && b.downAt.getTime() < failDeadline ? b.downAt : new Date(failDeadline);
    return { ...b, reason: `${what}; down when maintenance ends`, downAt };
  };
  return { state, at, candidates };
}

function freshnessTimeline(config: CheckConfig, h: CheckHistory, spans: Span[]): Timeline {
  const observed = h.observedAt?.getTime() ?? null;
  const maxAge = config.maxAgeSeconds;
  const none = (st: 'new' | 'down', reason: string): Timeline => ({ state: () => st, at: () => ({ state: st, reason, expectedAt: null, lateAt: null, downAt: null }), candidates: [] });
  if (observed === null) return none('new', 'not observed yet');
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0) return none('down', 'no maximum age is set for the artifact');
  const mtime = h.artifactMtime && Number.isFinite(h.artifactMtime.getTime()) ? h.artifactMtime.getTime() : null;
  // A missing or future-dated artifact is an observation, down at once like a failed run.
  const observedBad = atOnce(observed, spans);
  const staleDeadline = mtime === null ? null : deferDeadline(mtime + maxAge * 1000, spans);
  const believable = mtime === null ? null : mtime - DEFAULT_FUTURE_TOLERANCE_SECONDS * 1000;
  // Missing, or future until `believable` (the same rule as evaluateFreshness).
  const badObservation = (t: number) => mtime === null || t < believable!;
  const state = (t: number): CheckState => (badObservation(t) ? (t > observedBad ? 'down' : 'up') : t > staleDeadline! ? 'down' : 'up');
  const at = (t: number): At => {
    const v = evaluateFreshness(mtime === null ? null : new Date(mtime), maxAge, new Date(t));
    const expectedAt = mtime === null ? null : new Date(mtime + maxAge * 1000);
    const reason = `${v.status === 'missing' ? 'artifact missing' : v.reason}; observed ${utcMinute(new Date(observed))}`;
    const st = state(t);
    // A bad observation held by a window: down after its end; once down no deadline is left.
    if (badObservation(t)) return { state: st, reason, expectedAt, lateAt: null, downAt: st === 'down' ? null : new Date(observedBad) };
    return { state: st, reason, expectedAt, lateAt: null, downAt: d(staleDeadline) };
  };
  const candidates = [observedBad + 1, ...(staleDeadline === null ? [] : [staleDeadline + 1]), ...(believable === null ? [] : [believable])];
  return { state, at, candidates };
}
