/**
 * k6 end-of-test summaries, both shapes:
 * - `--summary-export` (legacy): `metrics.<name> = { avg, min, med, max, "p(90)", "p(95)", count?,
 *   rate?, value?, thresholds?: { "p(95)<500": <bool> } }`, where a threshold's boolean is **true
 *   when it FAILED** (k6 issue 1498, kept for compatibility) — Steward inverts it;
 * - `handleSummary()` data: `metrics.<name> = { type, contains, values: { … }, thresholds?: {
 *   "<expr>": { ok } } }`.
 *
 * Trends become latency metrics (k6 reports time trends in ms); the reported p(95) is the value,
 * since k6 keeps no samples in its summary. Rates become percentages, counters a throughput.
 */
import { PerfParseError } from '../errors';
import type { Direction, ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';

export interface ToolThreshold { metric: string; expression: string; ok: boolean }

export function isK6(data: unknown): boolean {
  return isRecord(data) && isRecord(data.metrics) && (isRecord(data.root_group) || isRecord(data.state) || isRecord(data.options));
}

const TIME_TRENDS = /(^|_)(duration|time|blocked|connecting|waiting|sending|receiving|tls_handshaking|latency)$/;

export function parseK6(file: string, data: unknown): ParsedPerfFile & { thresholds: ToolThreshold[] } {
  if (!isRecord(data) || !isRecord(data.metrics)) throw new PerfParseError(file, 'metrics', undefined, 'is missing (not a k6 summary)');
  const c = new MetricCollector(file);
  const thresholds: ToolThreshold[] = [];
  for (const [name, raw] of Object.entries(data.metrics)) {
    const field = `metrics.${name}`;
    if (!isRecord(raw)) throw new PerfParseError(file, field, raw, 'is not an object');
    const modern = isRecord(raw.values);
    const v = modern ? (raw.values as Record<string, unknown>) : raw;
    // k6 never writes NaN or Infinity (JSON cannot hold them; only the JSON5 fallback reads them).
    const num = (key: string): number | null => {
      const n = v[key];
      if (typeof n !== 'number') return null;
      if (!Number.isFinite(n)) throw new PerfParseError(file, `${field}${modern ? '.values' : ''}[${JSON.stringify(key)}]`, n, `is ${n}, not a finite number`);
      return n;
    };
    const type = typeof raw.type === 'string' ? raw.type : 'p(95)' in v || 'med' in v ? 'trend' : 'rate' in v && 'count' in v ? 'counter' : 'value' in v && ('passes' in v || 'fails' in v) ? 'rate' : 'gauge';
    if (isRecord(raw.thresholds)) {
      for (const [expression, t] of Object.entries(raw.thresholds)) {
        const ok = modern ? isRecord(t) && t.ok === true : t === false; // legacy: true = failed
        if (typeof t !== 'boolean' && !isRecord(t)) throw new PerfParseError(file, `${field}.thresholds`, t, 'is not a threshold result');
        thresholds.push({ metric: name, expression: expression.slice(0, 200), ok });
      }
    }
    if (type === 'trend') {
      // The name without its tag set (`http_req_duration{scenario:x}`); indexOf, not a regex that
      // backtracks over a name of many `{`.
      const brace = name.indexOf('{');
      const isTime = modern ? raw.contains === 'time' : TIME_TRENDS.test(brace < 0 ? name : name.slice(0, brace));
      c.add(`${field}${modern ? '.values' : ''}["p(95)"]`, {
        name, measure: 'latency', unit: isTime ? 'ms' : 'value',
        summary: { p95: num('p(95)'), median: num('med'), mean: num('avg'), min: num('min'), max: num('max'), n: num('count') }, prefer: ['p95', 'median', 'mean'],
      });
    } else if (type === 'rate') {
      const direction: Direction = /fail|error/.test(name) ? 'smaller' : 'bigger';
      const rate = num(modern ? 'rate' : 'value');
      if (rate !== null) c.add(`${field}${modern ? '.values.rate' : '.value'}`, { name, measure: 'rate', unit: '%', direction, value: rate * 100, prefer: ['value'] });
    } else if (type === 'counter') {
      const rate = num('rate');
      if (rate !== null && /reqs|iterations/.test(name)) c.add(`${field}${modern ? '.values' : ''}.rate`, { name, measure: 'throughput', unit: 'ops/s', value: rate, prefer: ['value'] });
    }
  }
  const failed = thresholds.filter((t) => !t.ok);
  if (failed.length) c.warn(`k6 thresholds failed: ${failed.map((t) => `${t.metric} ${t.expression}`).join(', ').slice(0, 300)}`);
  return { format: 'k6', metrics: c.metrics, testbed: {}, warnings: c.warnings, thresholds };
}
