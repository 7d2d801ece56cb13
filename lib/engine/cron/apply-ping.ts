/**
 * The pure transition of a check's stored facts on one new ping. The service stores the ping,
 * calls this, writes the returned history and then evaluateCheck's answer, in one transaction.
 * Pings are applied in arrival order; pairing overlapping runs by `?rid=` is the service's job
 * (it passes the matching start as `openStartAt`).
 */
import type { CheckConfig, CheckHistory, PingKind } from './types';

export interface PingFact {
  kind: PingKind;
  /** From `/ping/<uuid>/<0-255>`; null for the plain, /start, /fail and /log forms. */
  exitStatus: number | null;
  at: Date;
}

export interface PingOutcome {
  history: CheckHistory;
  /** A success that came sooner than minRuntimeSeconds after its start (counted as a failure). */
  tooFast: boolean;
  /** Did this ping finish a run as a failure (fail, a non-zero exit status, or too fast)? */
  failed: boolean;
  /** Seconds from the open start to this finish (millisecond precision), null without a start. */
  durationSeconds: number | null;
}

/**
 * - log: changes nothing.
 * - start: opens a run at `at` (replacing an older open start: Healthchecks does the same).
 * - success / fail: a finish. A failure is kind 'fail' or an exit status other than 0 (so
 *   `/ping/<uuid>/0` is a success and `/1`…`/255` are failures). A success whose duration is
 *   below minRuntimeSeconds is a failure with tooFast; exactly minRuntime is fine; without an
 *   open start there is no duration and no too-fast verdict. Sets lastFinishAt/lastFinishFailed,
 *   counts consecutiveFailures (+1 on a failure, 0 on a success) and closes the open start. A
 *   start later than the finish (clock skew between two servers) gives no duration.
 */
export function applyPing(config: CheckConfig, history: CheckHistory, ping: PingFact): PingOutcome {
  if (ping.kind === 'log') return { history, tooFast: false, failed: false, durationSeconds: null };
  if (ping.kind === 'start') return { history: { ...history, openStartAt: ping.at }, tooFast: false, failed: false, durationSeconds: null };
  const start = history.openStartAt;
  const durationMs = start && start.getTime() <= ping.at.getTime() ? ping.at.getTime() - start.getTime() : null;
  const reportedFailure = ping.kind === 'fail' || (ping.exitStatus !== null && ping.exitStatus !== 0);
  const min = config.minRuntimeSeconds;
  const tooFast = !reportedFailure && min !== null && min > 0 && durationMs !== null && durationMs < min * 1000;
  const failed = reportedFailure || tooFast;
  return {
    history: {
      ...history,
      lastFinishAt: ping.at,
      lastFinishFailed: failed,
      openStartAt: null,
      consecutiveFailures: failed ? Math.max(0, history.consecutiveFailures) + 1 : 0,
    },
    tooFast,
    failed,
    durationSeconds: durationMs === null ? null : durationMs / 1000,
  };
}
