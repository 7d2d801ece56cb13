/**
 * How perf figures read on the pages: the same rounding as `steward perf check` (cli/perf/summary.ts),
 * except that sizes are shown in decimal kB / MB / GB (the stored unit is bytes).
 */
import type { BadgeTone } from '@/components/ui/badge';

export { shortSha } from '@/components/flaky/format';

export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 'ms') {
    const a = Math.abs(v);
    if (a !== 0 && a < 0.001) return `${(v * 1e6).toPrecision(3)} ns`;
    if (a !== 0 && a < 1) return `${(v * 1e3).toPrecision(3)} µs`;
    if (a >= 1000) return `${(v / 1000).toPrecision(3)} s`;
    return `${v.toPrecision(3)} ms`;
  }
  if (unit === 'B' || unit === 'B/s') {
    const [div, prefix] = ([[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const).find(([d]) => Math.abs(v) >= d) ?? [1, ''];
    return `${Number((v / div).toPrecision(4))} ${prefix}${unit}`;
  }
  return `${Number(v.toPrecision(4))} ${unit}`;
}

/** A change in the bad direction (`worsePct`, as stored) as words: "12.3 % worse", "8.0 % better". */
export function formatChange(worsePct: number | null | undefined): string {
  if (worsePct === null || worsePct === undefined || !Number.isFinite(worsePct)) return '—';
  if (Math.abs(worsePct) < 0.05) return '±0.0 %';
  return `${Math.abs(worsePct).toFixed(1)} % ${worsePct > 0 ? 'worse' : 'better'}`;
}

export const VALUE_KIND: Record<string, string> = { p95: 'p95 of samples', 'p95-reported': 'p95 (reported)', mean: 'mean', median: 'median', value: 'value' };

export const REGRESSION_TONE: Record<string, BadgeTone> = { improved: 'green', ok: 'green', 'within-noise': 'neutral', warn: 'amber', suspect: 'amber', fail: 'red' };
export const BUDGET_TONE: Record<string, BadgeTone> = { pass: 'green', 'pre-existing': 'amber', fail: 'red' };
export const REGRESSION_STATE_TONE: Record<string, BadgeTone> = { open: 'red', acknowledged: 'amber', fixed: 'green' };

/** Chart and sparkline colour of a run by its stored verdict (budget failure first, as the gate). */
export function verdictColour(regression: string | null, budgetStatus?: string | null): string {
  if (budgetStatus === 'fail' || regression === 'fail') return '#dc2626';
  if (regression === 'warn' || regression === 'suspect' || budgetStatus === 'pre-existing') return '#d97706';
  if (regression === 'improved') return '#059669';
  return '#0284c7';
}

/** The one word the status column leads with, from the stored verdict (as the CLI's table). */
export function verdictLabel(regression: string | null, budgetStatus: string | null): { label: string; tone: BadgeTone } {
  if (budgetStatus === 'fail') return { label: 'over budget', tone: 'red' };
  if (regression === 'fail') return { label: 'regression', tone: 'red' };
  if (budgetStatus === 'pre-existing') return { label: 'over budget (pre-existing)', tone: 'amber' };
  if (regression) return { label: regression, tone: REGRESSION_TONE[regression] ?? 'neutral' };
  if (budgetStatus === 'pass') return { label: 'within budget', tone: 'green' };
  return { label: 'no baseline', tone: 'neutral' };
}
