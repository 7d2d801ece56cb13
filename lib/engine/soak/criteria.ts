/**
 * The soak runbook's success metrics, each judged per run: pass, fail, or unknown (nothing
 * measured it) with the measured value. Thresholds are configurable; the defaults are the seed's.
 * Comparisons are as the seed writes them: duration ≥ 24 h; memory growth < 10 MB/h (judged by the
 * leak verdict, leak.ts); CPU average < 80 %; disk < 5 GB (binary, 5,120 MB, the peak sample);
 * reconnections < 10 per hour; orphan orders, zombie processes (the peak sample), crashes and
 * CRITICAL/HIGH security findings at most 0.
 */
import { judgeLeak, type LeakOptions, type LeakVerdict } from './leak';
import type { SeverityCounts, SoakReportedSummary, SoakSample } from './types';

export interface SoakThresholds {
  minDurationHours: number;
  maxMemoryGrowthMbPerHour: number;
  maxAvgCpuPct: number;
  maxDiskMb: number;
  maxReconnectsPerHour: number;
  maxOrphanOrders: number;
  maxZombies: number;
  maxCrashes: number;
  maxCriticalHigh: number;
}

export const DEFAULT_THRESHOLDS: Readonly<SoakThresholds> = {
  minDurationHours: 24, maxMemoryGrowthMbPerHour: 10, maxAvgCpuPct: 80, maxDiskMb: 5 * 1024, maxReconnectsPerHour: 10,
  maxOrphanOrders: 0, maxZombies: 0, maxCrashes: 0, maxCriticalHigh: 0,
};

export const CRITERIA = ['duration', 'memory_growth', 'avg_cpu', 'disk', 'ws_reconnects', 'orphan_orders', 'zombies', 'crashes', 'security'] as const;
export type CriterionId = (typeof CRITERIA)[number];
export type CriterionStatus = 'pass' | 'fail' | 'unknown';

export interface CriterionResult {
  id: CriterionId;
  label: string;
  status: CriterionStatus;
  /** What was measured, in `unit`; null when unknown. */
  value: number | null;
  unit: string;
  /** `>= 24`, `< 10`, `<= 0`. */
  target: string;
  threshold: number;
  detail: string;
}

/** Counts the run's context gives (CLI flags, API fields), overriding the files' own. */
export interface SoakCounters {
  durationHours?: number | null;
  crashes?: number | null;
  orphanOrders?: number | null;
}

export interface SoakStats {
  startT: number | null;
  endT: number | null;
  durationHours: number | null;
  samples: number;
  rssStartMb: number | null;
  rssEndMb: number | null;
  rssMaxMb: number | null;
  avgCpuPct: number | null;
  maxCpuPct: number | null;
  maxDiskMb: number | null;
  maxOpenFds: number | null;
  maxThreads: number | null;
  reconnects: number | null;
  reconnectsPerHour: number | null;
  maxZombies: number | null;
  crashes: number | null;
  orphanOrders: number | null;
}

export interface SoakEvaluation {
  status: 'pass' | 'fail' | 'unknown';
  leak: LeakVerdict;
  criteria: CriterionResult[];
  stats: SoakStats;
}

const HOUR = 3_600_000;

/** Increments of a cumulative counter; a drop is a reset (the counter restarted from 0). */
export function counterIncrease(values: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < values.length; i++) total += values[i]! >= values[i - 1]! ? values[i]! - values[i - 1]! : values[i]!;
  return total;
}

function col(samples: readonly SoakSample[], k: keyof SoakSample): number[] {
  const out: number[] = [];
  for (const s of samples) if (s[k] !== null) out.push(s[k] as number);
  return out;
}
const max = (a: number[]) => (a.length ? a.reduce((m, v) => (v > m ? v : m), -Infinity) : null);
const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : null);

export function soakStats(samples: readonly SoakSample[], reported: SoakReportedSummary | null, counters: SoakCounters = {}): SoakStats {
  const startT = samples.length ? samples[0]!.t : null;
  const endT = samples.length ? samples[samples.length - 1]!.t : null;
  const spanH = startT !== null && endT !== null && samples.length > 1 ? (endT - startT) / HOUR : null;
  const durationHours = counters.durationHours ?? spanH ?? reported?.durationHours ?? null;
  const rss = col(samples, 'rssMb');
  const cpu = col(samples, 'cpuPct');
  const rc = col(samples, 'reconnects');
  const reconnects = rc.length > 1 ? counterIncrease(rc) : rc.length === 1 ? rc[0]! : reported?.reconnects ?? null;
  const zombies = col(samples, 'zombies');
  return {
    startT, endT, durationHours, samples: samples.length,
    rssStartMb: rss[0] ?? reported?.rssStartMb ?? null, rssEndMb: rss.length ? rss[rss.length - 1]! : reported?.rssEndMb ?? null, rssMaxMb: max(rss) ?? reported?.rssMaxMb ?? null,
    avgCpuPct: mean(cpu) ?? reported?.avgCpuPct ?? null, maxCpuPct: max(cpu),
    maxDiskMb: max(col(samples, 'diskMb')) ?? reported?.maxDiskMb ?? null,
    maxOpenFds: max(col(samples, 'openFds')), maxThreads: max(col(samples, 'threads')),
    reconnects, reconnectsPerHour: reconnects !== null && durationHours ? reconnects / durationHours : null,
    maxZombies: max(zombies) ?? reported?.zombies ?? null,
    crashes: counters.crashes ?? reported?.crashes ?? null,
    orphanOrders: counters.orphanOrders ?? reported?.orphanOrders ?? null,
  };
}

type Cmp = '>=' | '<' | '<=';
function judge(id: CriterionId, label: string, value: number | null, cmp: Cmp, threshold: number, unit: string, missing: string): CriterionResult {
  const target = `${cmp} ${threshold}`;
  if (value === null) return { id, label, status: 'unknown', value: null, unit, target, threshold, detail: missing };
  const ok = cmp === '>=' ? value >= threshold : cmp === '<' ? value < threshold : value <= threshold;
  return { id, label, status: ok ? 'pass' : 'fail', value, unit, target, threshold, detail: `${round(value)} ${unit}, target ${cmp === '<=' && threshold === 0 ? '0' : `${target} ${unit}`}` };
}
const round = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 2));

export function evaluateSoak(input: { samples: readonly SoakSample[]; reported: SoakReportedSummary | null; security: SeverityCounts | null; counters?: SoakCounters }, thresholds: Partial<SoakThresholds> = {}, leakOptions: Partial<LeakOptions> = {}): SoakEvaluation {
  const t: SoakThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const stats = soakStats(input.samples, input.reported, input.counters);
  const leak = judgeLeak(input.samples, { ...leakOptions, thresholdMbPerHour: t.maxMemoryGrowthMbPerHour }, input.reported);
  const growth = leak.fit?.slopeMbPerHour ?? input.reported?.memoryGrowthMbPerHour ?? null;
  const memory: CriterionResult = {
    id: 'memory_growth', label: 'Memory growth', unit: 'MB/h', target: `< ${t.maxMemoryGrowthMbPerHour}`, threshold: t.maxMemoryGrowthMbPerHour,
    value: growth,
    status: leak.verdict === 'leak' ? 'fail' : leak.verdict === 'no-leak' ? 'pass' : 'unknown',
    detail: leak.reason,
  };
  const sec = input.security;
  const criticalHigh = sec ? sec.critical + sec.high : null;
  const security = judge('security', 'Security issues (CRITICAL/HIGH)', criticalHigh, '<=', t.maxCriticalHigh, 'finding(s)', 'no audit report (npm audit, pip-audit or cargo audit JSON) was sent');
  if (sec && security.status === 'pass' && sec.unrated > 0) {
    security.status = 'unknown';
    security.detail = `0 rated CRITICAL/HIGH, but ${sec.unrated} finding(s) carry no severity (pip-audit and cargo audit often give none): check them`;
  } else if (sec) security.detail = `${sec.critical} critical, ${sec.high} high (${sec.medium} medium, ${sec.low} low${sec.unrated ? `, ${sec.unrated} unrated` : ''}), target 0 critical/high`;
  const criteria: CriterionResult[] = [
    judge('duration', 'Duration', stats.durationHours, '>=', t.minDurationHours, 'h', 'no samples with times and no duration given'),
    memory,
    judge('avg_cpu', 'CPU usage (avg)', stats.avgCpuPct, '<', t.maxAvgCpuPct, '%', 'no CPU samples'),
    judge('disk', 'Disk usage (peak)', stats.maxDiskMb, '<', t.maxDiskMb, 'MB', 'no disk samples'),
    judge('ws_reconnects', 'WebSocket reconnections', stats.reconnectsPerHour, '<', t.maxReconnectsPerHour, 'per hour', stats.reconnects !== null ? 'no duration to divide the reconnections by' : 'no reconnect counter in the samples'),
    judge('orphan_orders', 'Orphan orders', stats.orphanOrders, '<=', t.maxOrphanOrders, 'order(s)', 'not reported (send orphanOrders / --orphan-orders)'),
    judge('zombies', 'Zombie processes (peak)', stats.maxZombies, '<=', t.maxZombies, 'process(es)', 'no zombie counts in the samples'),
    judge('crashes', 'Crashes', stats.crashes, '<=', t.maxCrashes, 'crash(es)', 'not reported (send crashes / --crashes)'),
    security,
  ];
  const status = criteria.some((c) => c.status === 'fail') ? 'fail' : criteria.every((c) => c.status === 'pass') ? 'pass' : 'unknown';
  return { status, leak, criteria, stats };
}
