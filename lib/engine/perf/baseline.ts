/**
 * When may a metric's baseline be refreshed? The seed's Monday rule — "only if the perf gate passes
 * on main, no regressions > 5–10 %, performance is stable" — made checkable, per metric:
 *
 * - the candidate run passed its gate (no budget failure) and is not itself a regression
 *   (`warn`, `suspect` or `fail` runs can never become the baseline), and neither is any run of
 *   the window, since the new baseline pools their samples;
 * - its change against the current baseline is within `maxRegressionPct` (5 %) in the bad direction;
 * - the last `window` runs on the baseline's branch and testbed show no change point and their
 *   spread (robust coefficient of variation) is under `maxCvPct`.
 *
 * Every unmet condition is returned as a reason, so the page can say why not.
 */
import { detectChangePoints } from './changepoint';
import type { RegressionStatus } from './regression';
import { quantile, robustSd } from './stats';

export interface RefreshRule {
  window: number;
  maxCvPct: number;
  maxRegressionPct: number;
}

export const DEFAULT_REFRESH_RULE: RefreshRule = { window: 5, maxCvPct: 10, maxRegressionPct: 5 };

export interface RefreshInput {
  /** The candidate run's gate (budgets) passed. */
  gatePassed: boolean;
  /** The candidate run against the current baseline; null when there is no baseline yet. */
  comparison: { status: RegressionStatus; worsePct: number } | null;
  /** Judged values of the recent runs (oldest first), the candidate last. */
  recent: readonly number[];
  /** Their comparison statuses, same order (null: no baseline then). The new baseline pools the window's runs, so none of them may be a regression. */
  recentStatuses?: readonly (RegressionStatus | null)[];
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
  /** Robust CV of the window, in %; null with fewer than `window` runs. */
  cvPct: number | null;
}

const REGRESSED: ReadonlySet<RegressionStatus> = new Set(['warn', 'suspect', 'fail']);

export function refreshReadiness(input: RefreshInput, rule: RefreshRule = DEFAULT_REFRESH_RULE): Readiness {
  const reasons: string[] = [];
  if (!input.gatePassed) reasons.push('the latest run did not pass its budgets');
  if (input.comparison && REGRESSED.has(input.comparison.status)) reasons.push(`the latest run is a regression (${input.comparison.status}); a regressed run never becomes the baseline`);
  else if (input.comparison && input.comparison.worsePct > rule.maxRegressionPct) reasons.push(`the latest run is ${input.comparison.worsePct.toFixed(1)} % worse than the baseline (limit ${rule.maxRegressionPct} %)`);
  let cvPct: number | null = null;
  if (input.recent.length < rule.window) {
    reasons.push(`only ${input.recent.length} of the ${rule.window} runs needed to judge stability`);
  } else {
    const window = input.recent.slice(-rule.window);
    const regressed = (input.recentStatuses ?? []).slice(-rule.window).filter((st): st is RegressionStatus => st !== null && REGRESSED.has(st));
    if (regressed.length && !reasons.some((r) => r.includes('is a regression'))) reasons.push(`${regressed.length} of the last ${rule.window} runs ${regressed.length === 1 ? 'is a regression' : 'are regressions'} (${[...new Set(regressed)].join(', ')}); the new baseline would include them`);
    const med = quantile(window, 0.5);
    cvPct = med === 0 ? 0 : (robustSd(window) / Math.abs(med)) * 100;
    if (cvPct > rule.maxCvPct) reasons.push(`the last ${rule.window} runs spread ${cvPct.toFixed(1)} % (limit ${rule.maxCvPct} %)`);
    // Change points need a longer view than the window: look at twice the window when there is one.
    // alpha 0.05, not 0.01: ten points cannot reach 1 %, and a false step here only delays a refresh.
    const view = input.recent.slice(-2 * rule.window);
    const cps = detectChangePoints(view, { minSize: Math.max(2, Math.floor(rule.window / 2)), alpha: 0.05 });
    const inWindow = cps.filter((c) => c.index >= view.length - rule.window);
    if (inWindow.length) reasons.push(`a step change of ${inWindow[0]!.stepPct.toFixed(1)} % within the last ${rule.window} runs`);
  }
  return { ready: reasons.length === 0, reasons, cvPct };
}
