/**
 * How soak figures read on the pages. Values are the stored ones (the run's criteria, its leak
 * fit); only rounding happens here, the same as the engine's own sentences (lib/engine/soak/leak.ts:
 * one decimal below 100, none above) so the page, the CLI's table and the API agree.
 */
import type { BadgeTone } from '@/components/ui/badge';
import { f1 } from '@/lib/engine/soak/leak';
import type { CriterionResult, CriterionStatus, LeakVerdictKind } from '@/lib/engine/soak';

/** A stored criterion (soak_criteria), as the pages read it: the engine's result, its id as stored. */
export type CriterionView = Omit<CriterionResult, 'id'> & { id: string };

/** The engine's rounding (lib/engine/soak/leak.ts), so the page, the CLI's table and the API agree. */
export { f1 };

export const STATUS_TONE: Record<CriterionStatus, BadgeTone> = { pass: 'green', fail: 'red', unknown: 'neutral' };
export const STATUS_LABEL: Record<CriterionStatus, string> = { pass: 'pass', fail: 'fail', unknown: 'unknown' };
export const LEAK_TONE: Record<LeakVerdictKind, BadgeTone> = { leak: 'red', 'no-leak': 'green', inconclusive: 'amber' };
export const LEAK_LABEL: Record<LeakVerdictKind, string> = { leak: 'leak', 'no-leak': 'no leak', inconclusive: 'inconclusive' };

/** The criteria's names, as the engine labels them (lib/engine/soak/criteria.ts). */
export const CRITERION_LABEL: Record<string, string> = {
  duration: 'Duration', memory_growth: 'Memory growth', avg_cpu: 'CPU usage (avg)', disk: 'Disk usage (peak)', ws_reconnects: 'WebSocket reconnections',
  orphan_orders: 'Orphan orders', zombies: 'Zombie processes (peak)', crashes: 'Crashes', security: 'Security issues (CRITICAL/HIGH)',
};
export const criterionLabel = (id: string) => CRITERION_LABEL[id] ?? id;

/** Short names for the list's chips. */
export const CRITERION_SHORT: Record<string, string> = {
  duration: 'duration', memory_growth: 'growth', avg_cpu: 'CPU avg', disk: 'disk', ws_reconnects: 'reconnects',
  orphan_orders: 'orphan orders', zombies: 'zombies', crashes: 'crashes', security: 'critical/high',
};

const SYMBOL: Record<string, string> = { '>=': '≥', '<=': '≤', '<': '<' };
/** The side of the threshold the value is on, in the target's own terms: "< 10" or "≥ 10". */
function relation(value: number, threshold: number, cmp: string): string {
  if (cmp === '<') return value < threshold ? '<' : '≥';
  if (cmp === '<=') return value <= threshold ? '≤' : '>';
  return value >= threshold ? '≥' : '<';
}

/** A duration in hours as "24 h", "23 h 59 min" (minutes rounded down: 23.999 h never reads as 24). */
export function formatHours(h: number): string {
  const whole = Math.floor(h);
  const min = Math.floor((h - whole) * 60);
  return min ? `${whole} h ${min} min` : `${whole} h`;
}

/** More decimals when the rounded value would read as the threshold it is not equal to. */
function distinct(value: number, threshold: number | null, fmt: (v: number, digits: number) => string, digits: number): string {
  let d = digits;
  while (threshold !== null && value !== threshold && d < digits + 3 && fmt(value, d) === fmt(threshold, d)) d++;
  return fmt(value, d);
}

const dec = (v: number) => (Math.abs(v) >= 100 ? 0 : 1);

/** A measured value in its unit: "14.2 MB/h", "23 h 59 min", "2.26 GB", "0". */
export function formatMeasured(value: number, unit: string, threshold: number | null = null): string {
  if (unit === 'h') return formatHours(value);
  if (unit === 'MB' && value >= 1024) return `${distinct(value / 1024, threshold === null ? null : threshold / 1024, (v, d) => v.toFixed(d), 2)} GB`;
  const suffix = unit === 'MB/h' ? ' MB/h' : unit === 'MB' ? ' MB' : unit === '%' ? ' %' : unit === 'per hour' ? '/h' : '';
  if (!suffix && Number.isInteger(value)) return String(value);
  return `${distinct(value, threshold, (v, d) => v.toFixed(d), dec(value))}${suffix}`;
}

function formatThreshold(threshold: number, unit: string): string {
  if (unit === 'MB') return threshold >= 1024 ? `${Number((threshold / 1024).toFixed(2))} GB` : `${threshold} MB`;
  if (unit === 'h') return `${threshold} h`;
  return String(threshold);
}

/**
 * "growth 14.2 MB/h (≥ 10)": the measured value and how it stands to the threshold (the relation
 * that is true of the numbers), or "growth — (target < 10)" when nothing measured it. The status
 * badge beside it carries the verdict, which for memory growth is the leak verdict (a sawtooth can
 * trend above the threshold and still pass).
 */
export function criterionText(c: CriterionView): string {
  const name = CRITERION_SHORT[c.id] ?? c.label;
  const cmp = c.target.split(' ')[0] ?? '';
  if (!cmp || !Number.isFinite(c.threshold)) return c.value === null ? `${name} —` : `${name} ${formatMeasured(c.value, c.unit)}`;
  const thr = formatThreshold(c.threshold, c.unit);
  if (c.value === null) return `${name} — (target ${SYMBOL[cmp] ?? cmp} ${thr})`;
  return `${name} ${formatMeasured(c.value, c.unit, c.threshold)} (${relation(c.value, c.threshold, cmp)} ${thr})`;
}

/** A rate as a percentage with one decimal, as `steward chaos report` prints it (cli/soak/format.ts). */
export function pct(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)} %`;
}

/** Milliseconds as seconds with one decimal, as the CLI prints them; whole targets without ("30 s"). */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** A criterion's measured value exactly as `steward soak report` prints it: "14.23 MB/h", "24 h", "1005 MB". */
export function cliValue(value: number, unit: string): string {
  const n = Number.isInteger(value) ? String(value) : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
  return `${n} ${unit}`;
}
