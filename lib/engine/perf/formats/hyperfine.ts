/** hyperfine `--export-json`: `{ results: [{ command, mean, stddev, median, min, max, times: [...] }] }`, seconds. */
import { z } from 'zod';
import type { ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

const num = z.number().nullable().optional();
const shape = z.object({
  results: z.array(
    z.object({
      command: z.string(),
      mean: num, stddev: num, median: num, min: num, max: num,
      times: z.array(z.unknown()).optional(),
      exit_codes: z.array(z.number().nullable()).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export function isHyperfine(data: unknown): boolean {
  return isRecord(data) && Array.isArray(data.results) && isRecord(data.results[0]) && typeof data.results[0].command === 'string';
}

export function parseHyperfine(file: string, data: unknown): ParsedPerfFile {
  const doc = parseShape(file, 'hyperfine', shape, data);
  const c = new MetricCollector(file);
  doc.results.forEach((r, i) => {
    const failed = (r.exit_codes ?? []).filter((code) => code !== 0).length;
    if (failed) c.warn(`results[${i}]: ${failed} run(s) of "${r.command.slice(0, 80)}" exited non-zero`);
    c.add(`results[${i}]${r.times ? '.times' : ''}`, {
      name: r.command, measure: 'latency', unit: 's', samples: r.times ?? null,
      summary: { n: r.times?.length ?? null, min: r.min, max: r.max, mean: r.mean, median: r.median, stddev: r.stddev }, prefer: ['median', 'mean'],
    });
  });
  return { format: 'hyperfine', metrics: c.metrics, testbed: {}, warnings: c.warnings };
}
