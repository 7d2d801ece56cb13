/**
 * Shapes of the performance engine (issue 10). Pure data: no fs, no clock, no database.
 *
 * A parser (`./formats`) turns one uploaded file into `ParsedPerfFile`: metrics in canonical units
 * with their raw samples when the tool gave them. Services store them as a run; `./stats`,
 * `./budgets` and `./regression` judge a run against its budget and its baseline.
 */

/**
 * Canonical units. Every time is stored in milliseconds (the seed's budgets are p95 in ms),
 * throughput in operations per second, sizes in bytes. Anything else keeps the tool's own unit
 * (`other`, with `rawUnit`) and is only ever compared with itself.
 */
export type UnitKind = 'time' | 'throughput' | 'bytes' | 'bytes-per-second' | 'count' | 'percent' | 'other';

/** `smaller`: lower is better (latency, memory); `bigger`: higher is better (ops/s). */
export type Direction = 'smaller' | 'bigger';

export const CANONICAL_UNIT: Record<Exclude<UnitKind, 'other'>, string> = {
  time: 'ms',
  throughput: 'ops/s',
  bytes: 'B',
  'bytes-per-second': 'B/s',
  count: 'count',
  percent: '%',
};

/**
 * How the metric's `value` was obtained, so no one averages p95s:
 * - `p95`: computed by Steward from the raw samples (`./stats` estimator);
 * - `p95-reported`: the tool reported a p95 and gave no samples (seed JSON, k6);
 * - `mean` / `median` / `value`: the tool gave only that single number.
 */
export type ValueKind = 'p95' | 'p95-reported' | 'mean' | 'median' | 'value';

export interface PerfSummary {
  /** Number of samples behind the summary (1 for a single value; null when the tool did not say). */
  n: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  stddev: number | null;
  p95: number | null;
}

export interface ParsedMetric {
  /** Benchmark name as the tool printed it, control characters removed, bounded. */
  name: string;
  /**
   * What is measured on that benchmark: `latency` (time per operation), `throughput`, `cpu`,
   * `memory`, `allocs`, or a tool-specific measure (k6 trend names, BMF measure slugs).
   */
  measure: string;
  kind: UnitKind;
  /** Canonical unit for known kinds (`ms`, `ops/s`, `B`…); the tool's unit for `other`. */
  unit: string;
  direction: Direction;
  /** Raw samples in the canonical unit when the tool gave them; null otherwise. */
  samples: number[] | null;
  summary: PerfSummary;
  /** The number budgets and baselines judge (see `ValueKind`). */
  value: number;
  valueKind: ValueKind;
}

export interface ParsedPerfFile {
  format: PerfFormat;
  metrics: ParsedMetric[];
  /** Testbed hints the file carried (CPU model, cores, OS); the CLI and request may add more. */
  testbed: Record<string, string>;
  /** Non-fatal problems: skipped errored benchmarks, dropped non-finite samples… */
  warnings: string[];
}

export const PERF_FORMATS = [
  'steward',
  'seed',
  'bmf',
  'pytest-benchmark',
  'google-benchmark',
  'hyperfine',
  'k6',
  'go-bench',
  'gab-custom',
] as const;
export type PerfFormat = (typeof PERF_FORMATS)[number];
