/** Building a `ParsedMetric` from what a tool gave: unit conversion, limits, the judged value. */
import { PerfParseError } from '../errors';
import { summarize } from '../stats';
import type { Direction, ParsedMetric, PerfSummary, ValueKind } from '../types';
import { resolveUnit, toCanonical, type ResolvedUnit } from '../units';

export const PERF_LIMITS = {
  metrics: 5_000,
  samplesPerMetric: 100_000,
  samplesPerFile: 2_000_000,
  nameLength: 300,
  /** Warnings kept per file; the rest are counted in one last line. */
  warnings: 100,
  /**
   * The largest magnitude of a value in canonical units (ms, B, ops/s): 10¹⁵ ms is 31,000 years,
   * 10¹⁵ B a petabyte. Beyond it a value is a mistake, and sums of 100,000 such samples still stay
   * finite (a 1e308 would make every mean, stddev and comparison Infinity or NaN).
   */
  maxValue: 1e15,
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Control and bidi characters removed, whitespace collapsed, bounded. */
export function cleanName(raw: string): string {
  return raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, PERF_LIMITS.nameLength);
}

export interface MetricInput {
  name: string;
  measure: string;
  unit: string;
  /** Overrides the unit's own direction (BMF, github-action-benchmark say which is better). */
  direction?: Direction;
  /** Raw samples in the tool's unit. */
  samples?: readonly unknown[] | null;
  /** Summary figures in the tool's unit (used when there are no samples). */
  summary?: Partial<Record<keyof PerfSummary, number | null>>;
  /** Which summary figure stands for the metric when there are no samples. */
  prefer?: readonly ('p95' | 'median' | 'mean' | 'value')[];
  /** A single value (BMF, custom JSON, go bench) in the tool's unit. */
  value?: number | null;
}

/** Collects metrics for one file, enforcing the limits and naming the field of a bad value. */
export class MetricCollector {
  readonly metrics: ParsedMetric[] = [];
  readonly warnings: string[] = [];
  private samples = 0;
  private omitted = 0;
  private readonly keys = new Set<string>();

  constructor(private readonly file: string) {}

  /** Adds a warning; past `PERF_LIMITS.warnings` they are only counted (a file of 10⁶ duplicates). */
  warn(message: string): void {
    if (this.warnings.length < PERF_LIMITS.warnings) {
      this.warnings.push(message);
      return;
    }
    this.omitted++;
    const summary = `… and ${this.omitted} more warning(s)`;
    if (this.omitted === 1) this.warnings.push(summary);
    else this.warnings[this.warnings.length - 1] = summary;
  }

  /** A value in canonical units, refused beyond `PERF_LIMITS.maxValue` (1e308 s is Infinity in ms). */
  private inRange(field: string, raw: number, canonical: number, unit: string, canonicalUnit: string): number {
    if (Number.isFinite(canonical) && Math.abs(canonical) <= PERF_LIMITS.maxValue) return canonical;
    throw new PerfParseError(this.file, field, raw, `${raw} ${unit.slice(0, 40)} is out of range (at most ${PERF_LIMITS.maxValue} ${canonicalUnit} once converted)`);
  }

  add(field: string, input: MetricInput): void {
    const name = cleanName(input.name);
    if (!name) throw new PerfParseError(this.file, field, input.name, 'has an empty benchmark name');
    const measure = cleanName(input.measure).toLowerCase() || 'value';
    if (this.metrics.length >= PERF_LIMITS.metrics) throw new PerfParseError(this.file, field, null, `has more than ${PERF_LIMITS.metrics} metrics`);
    const rawUnit = cleanName(input.unit ?? '');
    const unit = resolveUnit(rawUnit, input.direction ?? 'smaller');
    const direction = input.direction ?? unit.direction;
    const key = `${name}\u0000${measure}`;
    if (this.keys.has(key)) {
      this.warn(`${field}: "${name}" (${measure}) appears twice; the first one is kept`);
      return;
    }
    let samples: number[] | null = null;
    if (input.samples && input.samples.length) {
      if (input.samples.length > PERF_LIMITS.samplesPerMetric) throw new PerfParseError(this.file, field, input.samples.length, `has more than ${PERF_LIMITS.samplesPerMetric} samples`);
      samples = [];
      let dropped = 0;
      input.samples.forEach((s, i) => {
        if (typeof s !== 'number') throw new PerfParseError(this.file, `${field}[${i}]`, s, 'is not a number');
        if (Number.isFinite(s) && (unit.kind !== 'time' || s >= 0)) samples!.push(this.inRange(`${field}[${i}]`, s, toCanonical(s, unit.factor), rawUnit, unit.unit));
        else dropped++;
      });
      if (dropped) this.warn(`${field}: ${dropped} non-finite or negative sample(s) of "${name}" dropped`);
      if (!samples.length) samples = null;
      this.samples += samples?.length ?? 0;
      if (this.samples > PERF_LIMITS.samplesPerFile) throw new PerfParseError(this.file, field, this.samples, `has more than ${PERF_LIMITS.samplesPerFile} samples in all`);
    }
    const built = samples ? fromSamples(samples) : this.fromSummary(field, name, input, rawUnit, unit, unit.kind === 'time' || unit.kind === 'bytes');
    if (!built) {
      this.warn(`${field}: "${name}" has no finite value; skipped`);
      return;
    }
    this.keys.add(key);
    this.metrics.push({ name, measure, kind: unit.kind, unit: unit.unit, direction, samples, ...built });
  }

  private fromSummary(field: string, name: string, input: MetricInput, rawUnit: string, unit: ResolvedUnit, nonNegative: boolean): Pick<ParsedMetric, 'summary' | 'value' | 'valueKind'> | null {
    const scaled = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? this.inRange(field, v, toCanonical(v, unit.factor), rawUnit, unit.unit) : null);
    const s = input.summary ?? {};
    const summary: PerfSummary = {
      // A count: a whole number that fits the column, else unknown (it is only shown).
      n: typeof s.n === 'number' && Number.isInteger(s.n) && s.n >= 0 ? Math.min(s.n, 2_147_483_647) : input.value !== undefined ? 1 : null,
      min: scaled(s.min), max: scaled(s.max), mean: scaled(s.mean), median: scaled(s.median), stddev: scaled(s.stddev), p95: scaled(s.p95),
    };
    const single = scaled(input.value);
    for (const pick of input.prefer ?? ['p95', 'median', 'mean', 'value']) {
      const v = pick === 'value' ? single : summary[pick];
      if (v === null) continue;
      if (v < 0 && nonNegative) throw new PerfParseError(this.file, field, v, `"${name}" has a negative ${pick === 'value' ? 'value' : pick}`);
      const valueKind: ValueKind = pick === 'p95' ? 'p95-reported' : pick;
      return { summary, value: v, valueKind };
    }
    return null;
  }
}

function fromSamples(samples: number[]): Pick<ParsedMetric, 'summary' | 'value' | 'valueKind'> {
  const summary = summarize(samples);
  return { summary, value: summary.p95!, valueKind: 'p95' };
}
