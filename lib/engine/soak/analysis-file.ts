/**
 * The seed's `resources.analysis.json` (soak runbook §1): the producer's own verdict and figures.
 * Steward keeps them as "reported" and re-fits the trend itself whenever samples come too.
 *
 *   { "memory_leak_detected": true, "memory_growth_mb_per_hour": 50.5,
 *     "memory_stats": { "rss_start_mb": 150, "rss_end_mb": 1200, "rss_max_mb": 1250 } }
 *
 * Optional extras read when present: duration_hours / duration_s, cpu_avg_pct, disk_max_mb,
 * ws_reconnects, zombies, crashes, orphan_orders.
 */
import { SoakParseError, shown } from './errors';
import type { SoakReportedSummary } from './types';

export function isAnalysisShape(v: unknown): boolean {
  return Boolean(v && typeof v === 'object' && !Array.isArray(v) && ('memory_leak_detected' in v || 'memory_growth_mb_per_hour' in v || 'memory_stats' in v));
}

function num(file: string, obj: Record<string, unknown>, key: string, path: string, opts: { integer?: boolean; signed?: boolean } = {}): number | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SoakParseError(file, path, `${shown(v)} is not a number`);
  if (!opts.signed && v < 0) throw new SoakParseError(file, path, `${v} is negative`);
  if (Math.abs(v) > 1e12) throw new SoakParseError(file, path, `${v} is too large`);
  if (opts.integer && !Number.isInteger(v)) throw new SoakParseError(file, path, `${v} is not a whole number`);
  return v;
}

export function parseAnalysisJson(file: string, value: unknown): SoakReportedSummary {
  const o = value as Record<string, unknown>;
  const leak = o.memory_leak_detected;
  if (leak !== undefined && leak !== null && typeof leak !== 'boolean') throw new SoakParseError(file, 'memory_leak_detected', `${shown(leak)} is not true or false`);
  const statsRaw = o.memory_stats ?? {};
  if (!statsRaw || typeof statsRaw !== 'object' || Array.isArray(statsRaw)) throw new SoakParseError(file, 'memory_stats', 'must be an object');
  const stats = statsRaw as Record<string, unknown>;
  const durationS = num(file, o, 'duration_s', 'duration_s');
  return {
    memoryLeakDetected: typeof leak === 'boolean' ? leak : null,
    // Growth may be negative (memory released over the run).
    memoryGrowthMbPerHour: num(file, o, 'memory_growth_mb_per_hour', 'memory_growth_mb_per_hour', { signed: true }),
    rssStartMb: num(file, stats, 'rss_start_mb', 'memory_stats.rss_start_mb'),
    rssEndMb: num(file, stats, 'rss_end_mb', 'memory_stats.rss_end_mb'),
    rssMaxMb: num(file, stats, 'rss_max_mb', 'memory_stats.rss_max_mb'),
    durationHours: num(file, o, 'duration_hours', 'duration_hours') ?? (durationS === null ? null : durationS / 3600),
    avgCpuPct: num(file, o, 'cpu_avg_pct', 'cpu_avg_pct'),
    maxDiskMb: num(file, o, 'disk_max_mb', 'disk_max_mb'),
    reconnects: num(file, o, 'ws_reconnects', 'ws_reconnects', { integer: true }),
    zombies: num(file, o, 'zombies', 'zombies', { integer: true }),
    crashes: num(file, o, 'crashes', 'crashes', { integer: true }),
    orphanOrders: num(file, o, 'orphan_orders', 'orphan_orders', { integer: true }),
  };
}
