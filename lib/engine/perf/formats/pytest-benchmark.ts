/**
 * pytest-benchmark `--benchmark-json`: `{ machine_info, commit_info, benchmarks: [{ name, fullname,
 * stats: { min, max, mean, stddev, median, rounds, data? } }] }`, times in seconds. `stats.data`
 * (the raw rounds, with `--benchmark-save-data`) gives the p95; otherwise the median stands in.
 */
import { z } from 'zod';
import type { ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

const num = z.number().nullable().optional();
const shape = z.object({
  machine_info: z.record(z.string(), z.unknown()).optional(),
  benchmarks: z.array(
    z.object({
      name: z.string(),
      fullname: z.string().optional(),
      stats: z.object({ min: num, max: num, mean: num, stddev: num, median: num, rounds: num, data: z.array(z.unknown()).optional() }),
    }),
  ),
});

export function isPytestBenchmark(data: unknown): boolean {
  return isRecord(data) && Array.isArray(data.benchmarks) && (isRecord(data.machine_info) || (isRecord(data.benchmarks[0]) && isRecord(data.benchmarks[0].stats)));
}

export function parsePytestBenchmark(file: string, data: unknown): ParsedPerfFile {
  const doc = parseShape(file, 'pytest-benchmark', shape, data);
  const c = new MetricCollector(file);
  doc.benchmarks.forEach((b, i) => {
    const s = b.stats;
    c.add(`benchmarks[${i}].stats${s.data ? '.data' : ''}`, {
      name: b.fullname ?? b.name, measure: 'latency', unit: 's', samples: s.data ?? null,
      summary: { n: s.rounds ?? null, min: s.min, max: s.max, mean: s.mean, median: s.median, stddev: s.stddev }, prefer: ['median', 'mean'],
    });
  });
  const mi = doc.machine_info ?? {};
  const cpu = isRecord(mi.cpu) ? mi.cpu : {};
  const testbed: Record<string, string> = {};
  if (typeof cpu.brand_raw === 'string') testbed.cpu = cpu.brand_raw.slice(0, 200);
  if (typeof cpu.count === 'number') testbed.cores = String(cpu.count);
  if (typeof mi.system === 'string') testbed.os = mi.system.toLowerCase().slice(0, 40);
  if (typeof mi.python_implementation === 'string' && typeof mi.python_version === 'string') testbed.runtime = `${mi.python_implementation} ${mi.python_version}`.slice(0, 80);
  return { format: 'pytest-benchmark', metrics: c.metrics, testbed, warnings: c.warnings };
}
