/**
 * The seed's shape (hologram playbook): p95 per metric in milliseconds, as
 * `reports/perf/baseline.json` and the `SLO_<METRIC>_P95_MS` budgets imply. Both spellings:
 *
 *   { "verify_p95_ms": 6.2, "encode_p95_ms": 71.5, "gql_p95_ms": 64 }
 *   { "verify": { "p95_ms": 6.2, "samples_ms": [5.9, 6.0, 6.3] }, "gql": { "p95_ms": 64 } }
 *
 * optionally wrapped in `{ "metrics": { … } }`. Samples, when present, win over the reported p95.
 */
import { PerfParseError } from '../errors';
import type { ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';

const FLAT = /^(.+)_p95_ms$/i;

function body(data: unknown): Record<string, unknown> | null {
  if (!isRecord(data)) return null;
  return isRecord(data.metrics) ? data.metrics : data;
}

export function isSeed(data: unknown): boolean {
  const b = body(data);
  if (!b) return false;
  const entries = Object.entries(b);
  return entries.length > 0 && entries.every(([k, v]) => (FLAT.test(k) && typeof v === 'number') || (isRecord(v) && 'p95_ms' in v) || k.startsWith('_'));
}

export function parseSeed(file: string, data: unknown): ParsedPerfFile {
  const b = body(data);
  if (!b) throw new PerfParseError(file, '', data, 'is not a JSON object of p95 values');
  const prefix = b === data ? '' : 'metrics.';
  const c = new MetricCollector(file);
  for (const [key, v] of Object.entries(b)) {
    if (key.startsWith('_')) continue; // `_comment`, `_generated`
    const field = `${prefix}${key}`;
    const flat = FLAT.exec(key);
    if (flat && typeof v === 'number') {
      if (!Number.isFinite(v)) throw new PerfParseError(file, field, v, `is ${v}, not a number of milliseconds`);
      c.add(field, { name: flat[1]!, measure: 'latency', unit: 'ms', summary: { p95: v }, prefer: ['p95'] });
    } else if (isRecord(v)) {
      const p95 = v.p95_ms;
      if (p95 !== undefined && (typeof p95 !== 'number' || !Number.isFinite(p95))) throw new PerfParseError(file, `${field}.p95_ms`, p95, 'is not a number of milliseconds');
      const samples = v.samples_ms;
      if (samples !== undefined && !Array.isArray(samples)) throw new PerfParseError(file, `${field}.samples_ms`, samples, 'is not an array of milliseconds');
      c.add(`${field}${samples ? '.samples_ms' : '.p95_ms'}`, { name: key, measure: 'latency', unit: 'ms', samples: samples as unknown[] | undefined, summary: { p95: p95 ?? null }, prefer: ['p95'] });
    } else {
      throw new PerfParseError(file, field, v, 'is neither a p95 in milliseconds nor an object with "p95_ms"');
    }
  }
  return { format: 'seed', metrics: c.metrics, testbed: {}, warnings: c.warnings };
}
