/**
 * Steward's own format: raw samples per metric, so p95 is computed from samples.
 *
 *   { "format": "steward-perf/1",
 *     "testbed": { "cpu": "AMD EPYC 7763", "cores": "4", "os": "linux", "runner": "gha-ubuntu-24.04" },
 *     "metrics": [ { "name": "verify", "unit": "ms", "samples": [6.1, 6.4, 7.0] },
 *                  { "name": "encode", "measure": "throughput", "unit": "ops/s", "value": 1200 } ] }
 */
import { z } from 'zod';
import type { ParsedPerfFile } from '../types';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

const shape = z.object({
  format: z.string().regex(/^steward-perf\/1$/, 'must be "steward-perf/1"'),
  testbed: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  metrics: z.array(
    z.object({
      name: z.string().max(1000),
      measure: z.string().max(100).optional(),
      unit: z.string().min(1).max(40),
      direction: z.enum(['smaller', 'bigger']).optional(),
      samples: z.array(z.number()).optional(),
      value: z.number().optional(),
    }).refine((m) => m.samples !== undefined || m.value !== undefined, 'needs "samples" or "value"'),
  ),
});

export function isSteward(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { format?: unknown }).format === 'string' && (data as { format: string }).format.startsWith('steward-perf/');
}

export function parseSteward(file: string, data: unknown): ParsedPerfFile {
  const doc = parseShape(file, 'steward-perf/1', shape, data);
  const c = new MetricCollector(file);
  doc.metrics.forEach((m, i) =>
    c.add(`metrics[${i}]`, { name: m.name, measure: m.measure ?? 'latency', unit: m.unit, direction: m.direction, samples: m.samples, value: m.value ?? null, prefer: ['value'] }),
  );
  const testbed = Object.fromEntries(Object.entries(doc.testbed ?? {}).map(([k, v]) => [k.slice(0, 40), String(v).slice(0, 200)]));
  return { format: 'steward', metrics: c.metrics, testbed, warnings: c.warnings };
}
