/**
 * Bencher Metric Format: `{ "<benchmark>": { "<measure>": { "value", "lower_value"?, "upper_value"? } } }`.
 * Bencher's built-in measures carry their units (latency in ns, throughput in operations per second,
 * file size in bytes, build time in seconds); any other measure slug is kept with its own name and
 * judged smaller-is-better, Bencher's default.
 */
import { PerfParseError } from '../errors';
import type { Direction, ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';

const MEASURES: Record<string, { unit: string; direction: Direction }> = {
  latency: { unit: 'ns', direction: 'smaller' },
  throughput: { unit: 'ops/s', direction: 'bigger' },
  'file-size': { unit: 'B', direction: 'smaller' },
  'build-time': { unit: 's', direction: 'smaller' },
};

export function isBmf(data: unknown): boolean {
  if (!isRecord(data)) return false;
  const benches = Object.values(data);
  return benches.length > 0 && benches.every((b) => isRecord(b) && Object.values(b).length > 0 && Object.values(b).every((m) => isRecord(m) && 'value' in m));
}

export function parseBmf(file: string, data: unknown): ParsedPerfFile {
  if (!isRecord(data)) throw new PerfParseError(file, '', data, 'is not a Bencher Metric Format object');
  const c = new MetricCollector(file);
  for (const [bench, measures] of Object.entries(data)) {
    if (!isRecord(measures)) throw new PerfParseError(file, JSON.stringify(bench), measures, 'is not an object of measures');
    for (const [slug, m] of Object.entries(measures)) {
      const field = `${JSON.stringify(bench)}.${slug}`;
      if (!isRecord(m) || typeof m.value !== 'number' || !Number.isFinite(m.value)) throw new PerfParseError(file, `${field}.value`, isRecord(m) ? m.value : m, 'is not a finite number');
      // Bounds that are not finite numbers are left out (they are only shown).
      const known = Object.hasOwn(MEASURES, slug) ? MEASURES[slug]! : { unit: slug, direction: 'smaller' as Direction };
      const lo = typeof m.lower_value === 'number' && Number.isFinite(m.lower_value) ? m.lower_value : null;
      const hi = typeof m.upper_value === 'number' && Number.isFinite(m.upper_value) ? m.upper_value : null;
      c.add(field, { name: bench, measure: slug, unit: known.unit, direction: known.direction, value: m.value, summary: { min: lo, max: hi }, prefer: ['value'] });
    }
  }
  return { format: 'bmf', metrics: c.metrics, testbed: {}, warnings: c.warnings };
}
