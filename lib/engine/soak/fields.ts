/**
 * Column / key names of resource samples and their units. A producer writes `rss_mb`, `rss_kb`,
 * `rss_bytes` or psutil's `rss` (bytes); each is normalised to MB (binary: 1 MB = 1024² bytes).
 * Times: ISO 8601 strings, epoch seconds or milliseconds, or seconds since the start.
 */
import { SoakParseError, shown } from './errors';
import type { SampleMetric, SoakSample } from './types';

const KB = 1 / 1024;
const B = 1 / (1024 * 1024);
const GB = 1024;

/** key (lowercase) → metric and the factor to its canonical unit. */
export const FIELD_ALIASES: Readonly<Record<string, { metric: SampleMetric; factor: number }>> = {
  rss_mb: { metric: 'rssMb', factor: 1 }, rss_mib: { metric: 'rssMb', factor: 1 }, memory_mb: { metric: 'rssMb', factor: 1 }, mem_mb: { metric: 'rssMb', factor: 1 },
  rss_kb: { metric: 'rssMb', factor: KB }, rss_bytes: { metric: 'rssMb', factor: B }, rss: { metric: 'rssMb', factor: B }, rss_gb: { metric: 'rssMb', factor: GB },
  cpu_pct: { metric: 'cpuPct', factor: 1 }, cpu_percent: { metric: 'cpuPct', factor: 1 }, cpu: { metric: 'cpuPct', factor: 1 },
  open_fds: { metric: 'openFds', factor: 1 }, num_fds: { metric: 'openFds', factor: 1 }, fds: { metric: 'openFds', factor: 1 }, fd_count: { metric: 'openFds', factor: 1 }, open_files: { metric: 'openFds', factor: 1 },
  threads: { metric: 'threads', factor: 1 }, num_threads: { metric: 'threads', factor: 1 }, thread_count: { metric: 'threads', factor: 1 },
  reconnects: { metric: 'reconnects', factor: 1 }, ws_reconnects: { metric: 'reconnects', factor: 1 }, ws_reconnect_attempts_total: { metric: 'reconnects', factor: 1 }, reconnect_count: { metric: 'reconnects', factor: 1 },
  zombies: { metric: 'zombies', factor: 1 }, zombie_processes: { metric: 'zombies', factor: 1 }, zombie_count: { metric: 'zombies', factor: 1 },
  disk_mb: { metric: 'diskMb', factor: 1 }, disk_usage_mb: { metric: 'diskMb', factor: 1 }, artifacts_mb: { metric: 'diskMb', factor: 1 },
  disk_kb: { metric: 'diskMb', factor: KB }, disk_bytes: { metric: 'diskMb', factor: B }, disk_gb: { metric: 'diskMb', factor: GB },
};

export const TIME_KEYS = ['ts', 'timestamp', 'time', 't', 'elapsed_s', 'elapsed'] as const;
const COUNT_METRICS: ReadonlySet<SampleMetric> = new Set(['openFds', 'threads', 'reconnects', 'zombies']);

/** Dates before 2000 or after 2100 are surely a unit mistake. */
const MIN_T = Date.UTC(2000, 0, 1);
const MAX_T = Date.UTC(2100, 0, 1);

/** A timestamp: ISO string, epoch s/ms (≥ 10⁹ s), or seconds since the start (< 10⁹). */
export function parseTime(v: unknown): number | string {
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return parseTime(Number(s));
    if (s.length > 40 || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return `${shown(v)} is not a time (ISO 8601, epoch seconds or milliseconds)`;
    const t = Date.parse(s.replace(' ', 'T'));
    if (!Number.isFinite(t) || t < MIN_T || t > MAX_T) return `${shown(v)} is not a time between 2000 and 2100`;
    return t;
  }
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
    if (v >= 1e12) return v >= MIN_T && v <= MAX_T ? v : `${v} is not a time between 2000 and 2100`;
    if (v >= 1e9) return v * 1000 <= MAX_T ? Math.round(v * 1000) : `${v} is not a time between 2000 and 2100`;
    return Math.round(v * 1000);
  }
  return `${shown(v)} is not a time (ISO 8601, epoch seconds or milliseconds)`;
}

function numberOf(v: unknown): number | null | string {
  if (v === null || v === undefined || v === '') return null;
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string') {
    const s = v.trim().replace(/%$/, '');
    if (s === '' || /^(null|nan|n\/a|-)$/i.test(s)) return null;
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?$/.test(s)) return `${shown(v)} is not a number`;
    x = Number(s);
  } else return `${shown(v)} is not a number`;
  if (!Number.isFinite(x)) return `${shown(v)} is not a finite number`;
  if (x < 0) return `${x} is negative`;
  if (x > 1e15) return `${x} is too large`;
  return x;
}

/** Which keys of a header / object are known (time key first found; metric keys; unknown ones). */
export function mapKeys(keys: readonly string[]): { timeKey: string | null; metrics: Map<string, { metric: SampleMetric; factor: number }>; unknown: string[] } {
  const lower = keys.map((k) => k.trim().toLowerCase());
  const timeKey = TIME_KEYS.find((t) => lower.includes(t)) ?? null;
  const metrics = new Map<string, { metric: SampleMetric; factor: number }>();
  const seen = new Set<SampleMetric>();
  const unknown: string[] = [];
  keys.forEach((k, i) => {
    const l = lower[i]!;
    if (l === timeKey) return;
    const a = Object.prototype.hasOwnProperty.call(FIELD_ALIASES, l) ? FIELD_ALIASES[l] : undefined;
    if (a && !seen.has(a.metric)) {
      seen.add(a.metric);
      metrics.set(k, a);
    } else if (!a && !TIME_KEYS.includes(l as never)) unknown.push(k);
  });
  return { timeKey, metrics, unknown };
}

/**
 * One record (a JSON object or a CSV row keyed by its header) as a sample. `where(key)` names the
 * place for an error (`line 12, column "rss_mb"`).
 */
export function toSample(file: string, rec: Record<string, unknown>, keys: ReturnType<typeof mapKeys>, where: (key: string | null) => string, line: number | null): SoakSample {
  const timeKey = keys.timeKey === null ? null : Object.keys(rec).find((k) => k.trim().toLowerCase() === keys.timeKey) ?? null;
  if (timeKey === null) throw new SoakParseError(file, where(null), `no time field (one of ${TIME_KEYS.join(', ')})`, line);
  const t = parseTime(rec[timeKey]);
  if (typeof t === 'string') throw new SoakParseError(file, where(timeKey), t, line);
  const s: SoakSample = { t, rssMb: null, cpuPct: null, openFds: null, threads: null, reconnects: null, zombies: null, diskMb: null };
  for (const [k, a] of keys.metrics) {
    const v = numberOf(rec[k]);
    if (typeof v === 'string') throw new SoakParseError(file, where(k), v, line);
    if (v === null) continue;
    if (COUNT_METRICS.has(a.metric) && !Number.isInteger(v)) throw new SoakParseError(file, where(k), `${v} is not a whole number (a count)`, line);
    s[a.metric] = a.factor === 1 ? v : v * a.factor;
  }
  return s;
}
