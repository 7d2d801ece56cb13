/**
 * `go test -bench` text output (also what `gotestsum`/`benchstat` read):
 *
 *   goos: linux
 *   cpu: AMD EPYC 7763 64-Core Processor
 *   BenchmarkFib20-8   	   30000	     41653 ns/op	     0 B/op	   0 allocs/op
 *
 * Each value/unit pair after the iteration count is one measure (ns/op, B/op, allocs/op, MB/s and
 * custom `b.ReportMetric` units). The same benchmark on several lines (`-count=N`) gives samples.
 */
import { PerfParseError } from '../errors';
import type { ParsedPerfFile } from '../types';
import { MetricCollector } from './metric';

const LINE = /^(Benchmark\S*)\s+(\d+)((?:\s+[-+0-9.eE]+\s+\S+)+)\s*$/;
const PAIR = /\s+([-+0-9.eE]+)\s+(\S+)/g;
const HEADER = /^(goos|goarch|pkg|cpu):\s*(.*)$/;

export function isGoBench(text: string): boolean {
  return /^Benchmark\S*\s+\d+\s+[-+0-9.eE]+\s+\S+/m.test(text);
}

function measureOf(unit: string): string {
  if (unit === 'ns/op' || /^[num]?s\/op$/.test(unit)) return 'latency';
  if (unit === 'B/op') return 'memory';
  if (unit === 'allocs/op') return 'allocs';
  if (unit === 'MB/s') return 'bandwidth';
  return unit.toLowerCase();
}

export function parseGoBench(file: string, text: string): ParsedPerfFile {
  const series = new Map<string, { line: number; unit: string; samples: number[] }>();
  const testbed: Record<string, string> = {};
  let pkg = '';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    const h = HEADER.exec(line);
    if (h) {
      if (h[1] === 'pkg') pkg = h[2]!.trim();
      else testbed[h[1] === 'cpu' ? 'cpu' : h[1] === 'goos' ? 'os' : 'arch'] = h[2]!.trim().slice(0, 200);
      return;
    }
    if (!line.startsWith('Benchmark')) return;
    const m = LINE.exec(line);
    if (!m) {
      if (/^Benchmark\S*\s+\d+\s/.test(line)) throw new PerfParseError(file, `line ${i + 1}`, line.slice(0, 120), 'is a benchmark line whose values could not be read');
      return; // `BenchmarkX` alone: the name printed before a -v run's output
    }
    const name = pkg ? `${pkg}.${m[1]}` : m[1]!;
    for (const [, value, unit] of m[3]!.matchAll(PAIR)) {
      const v = Number(value);
      if (!Number.isFinite(v)) throw new PerfParseError(file, `line ${i + 1}`, value, `"${value}" is not a number`);
      const key = `${name}\u0000${unit}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { line: i + 1, unit: unit!, samples: [] }));
      s.samples.push(v);
    }
  });
  if (!series.size) throw new PerfParseError(file, '', null, 'has no benchmark result lines (expected "BenchmarkName-8  1000  123 ns/op")');
  const c = new MetricCollector(file);
  for (const [key, s] of series) {
    const name = key.slice(0, key.indexOf('\u0000'));
    // One line = one value, not a distribution: with one line, the value is the value.
    c.add(`line ${s.line}`, { name, measure: measureOf(s.unit), unit: s.unit, samples: s.samples.length > 1 ? s.samples : null, value: s.samples[0], prefer: ['value'] });
  }
  return { format: 'go-bench', metrics: c.metrics, testbed, warnings: c.warnings };
}
