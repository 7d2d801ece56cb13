/**
 * Google Benchmark `--benchmark_format=json` / `--benchmark_out`:
 * `{ context: { num_cpus, mhz_per_cpu, library_build_type, … }, benchmarks: [{ name, run_name,
 * run_type: "iteration" | "aggregate", aggregate_name?, real_time, cpu_time, time_unit,
 * items_per_second?, bytes_per_second?, error_occurred? }] }`.
 *
 * Repetitions (`--benchmark_repetitions=N`) are samples of one benchmark (its `run_name`): the p95
 * comes from them. When the file holds aggregates only (`--benchmark_report_aggregates_only`), the
 * median aggregate stands in (the mean if there is no median). Failed aggregates are `NaN`, which
 * the JSON5 fallback reads; errored benchmarks are skipped with a warning.
 */
import { z } from 'zod';
import type { ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

// Failed aggregates are NaN and an empty run's rate is Infinity (the library writes both bare; see
// lib/engine/perf/formats/json.ts): a number here may be NaN or ±Infinity (zod's number is finite).
const num = z.custom<number>((v) => typeof v === 'number', 'expected a number').optional();
const shape = z.object({
  context: z.record(z.string(), z.unknown()),
  benchmarks: z.array(
    z.looseObject({
      name: z.string(),
      run_name: z.string().optional(),
      run_type: z.enum(['iteration', 'aggregate']).optional(),
      aggregate_name: z.string().optional(),
      real_time: num,
      cpu_time: num,
      time_unit: z.enum(['ns', 'us', 'ms', 's']).optional(),
      items_per_second: num,
      bytes_per_second: num,
      error_occurred: z.boolean().optional(),
      error_message: z.string().optional(),
    }),
  ),
});

type Bench = z.infer<typeof shape>['benchmarks'][number];

export function isGoogleBenchmark(data: unknown): boolean {
  return isRecord(data) && isRecord(data.context) && Array.isArray(data.benchmarks) && (data.benchmarks.length === 0 || (isRecord(data.benchmarks[0]) && ('time_unit' in data.benchmarks[0] || 'real_time' in data.benchmarks[0])));
}

const MEASURES = [
  { key: 'real_time', measure: 'latency', unit: (b: Bench) => b.time_unit ?? 'ns' },
  { key: 'cpu_time', measure: 'cpu', unit: (b: Bench) => b.time_unit ?? 'ns' },
  { key: 'items_per_second', measure: 'throughput', unit: () => 'items/s' },
  { key: 'bytes_per_second', measure: 'bandwidth', unit: () => 'B/s' },
] as const;

export function parseGoogleBenchmark(file: string, data: unknown): ParsedPerfFile {
  const doc = parseShape(file, 'Google Benchmark', shape, data);
  const c = new MetricCollector(file);
  const groups = new Map<string, { first: number; runs: Bench[]; aggregates: Map<string, Bench> }>();
  doc.benchmarks.forEach((b, i) => {
    if (b.error_occurred) {
      c.warn(`benchmarks[${i}]: "${b.name.slice(0, 80)}" failed (${(b.error_message ?? 'error').slice(0, 120)}); skipped`);
      return;
    }
    const key = b.run_name ?? b.name;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: i, runs: [], aggregates: new Map() }));
    if (b.run_type === 'aggregate') g.aggregates.set(b.aggregate_name ?? '', b);
    else g.runs.push(b);
  });
  for (const [name, g] of groups) {
    for (const m of MEASURES) {
      const samples = g.runs.map((r) => r[m.key]).filter((v) => v !== undefined);
      const unitOf = g.runs[0] ?? g.aggregates.values().next().value!;
      const median = g.aggregates.get('median')?.[m.key];
      const mean = g.aggregates.get('mean')?.[m.key];
      if (!samples.length && median === undefined && mean === undefined) continue;
      c.add(`benchmarks[${g.first}].${m.key}`, {
        name, measure: m.measure, unit: m.unit(unitOf), samples: samples.length ? samples : null,
        summary: { median: median ?? null, mean: mean ?? null, stddev: g.aggregates.get('stddev')?.[m.key] ?? null }, prefer: ['median', 'mean'],
      });
    }
  }
  const ctx = doc.context;
  const testbed: Record<string, string> = {};
  if (typeof ctx.num_cpus === 'number') testbed.cores = String(ctx.num_cpus);
  if (typeof ctx.mhz_per_cpu === 'number') testbed.mhz = String(ctx.mhz_per_cpu);
  if (ctx.library_build_type === 'debug') c.warn('the benchmark library was built in debug mode; timings are not representative');
  if (ctx.cpu_scaling_enabled === true) c.warn('CPU frequency scaling was enabled; timings will be noisy');
  return { format: 'google-benchmark', metrics: c.metrics, testbed, warnings: c.warnings };
}
