import { describe, expect, it } from 'vitest';
import { PerfParseError } from '../errors';
import type { ParsedPerfFile } from '../types';
import { perfFixture as fixture } from '@/tests/support/perf-fixtures';
import { detectFormat, parseGabDataJs, parsePerfFile } from './index';

const metric = (p: ParsedPerfFile, name: string, measure = 'latency') => {
  const m = p.metrics.find((x) => x.name === name && x.measure === measure);
  if (!m) throw new Error(`no ${name} (${measure}) in ${p.metrics.map((x) => `${x.name}/${x.measure}`).join(', ')}`);
  return m;
};
const rejects = (file: string, text: string, field: string | RegExp, detail: RegExp, opts = {}) => {
  let err: unknown;
  try { parsePerfFile(file, text, opts); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(PerfParseError);
  const e = err as PerfParseError;
  if (typeof field === 'string') expect(e.field).toBe(field); else expect(e.field).toMatch(field);
  expect(e.detail).toMatch(detail);
  expect(e.message.startsWith(file)).toBe(true);
};

describe('Google Benchmark', () => {
  const p = parsePerfFile('gb.json', fixture('google-benchmark.json'));
  it('is detected, repetitions become samples in ms and p95 comes from them', () => {
    expect(p.format).toBe('google-benchmark');
    const enc = metric(p, 'BM_Encode/64');
    expect(enc.samples).toEqual([0.0015, 0.0016, 0.002]);
    // type 7: h = 2 * 0.95 = 1.9 → 0.0016 + 0.9 * 0.0004
    expect(enc.value).toBeCloseTo(0.00196, 12);
    expect(enc.valueKind).toBe('p95');
    expect(enc.unit).toBe('ms');
    expect(enc.direction).toBe('smaller');
  });
  it('reads cpu time and throughput as their own measures', () => {
    expect(metric(p, 'BM_Encode/64', 'cpu').samples).toEqual([0.0014, 0.0015, 0.0019]);
    const thr = metric(p, 'BM_Encode/64', 'throughput');
    expect(thr).toMatchObject({ kind: 'throughput', unit: 'ops/s', direction: 'bigger' });
    expect(thr.samples).toEqual([6.6e5, 6.2e5, 5.0e5]);
  });
  it('uses the median aggregate when only aggregates exist, NaN aggregates are read', () => {
    const v = metric(p, 'BM_Verify');
    expect(v).toMatchObject({ value: 7.25, valueKind: 'median', samples: null });
    expect(v.summary.mean).toBe(7.5);
  });
  it('skips an errored benchmark with a warning and reads the context', () => {
    expect(p.metrics.some((m) => m.name === 'BM_Broken')).toBe(false);
    expect(p.warnings.join('\n')).toMatch(/BM_Broken.*setup failed/);
    expect(p.testbed).toEqual({ cores: '4', mhz: '2450' });
  });
  it('warns about a debug build', () => {
    const debug = fixture('google-benchmark.json').replace('"release"', '"debug"');
    expect(parsePerfFile('gb.json', debug).warnings.join()).toMatch(/debug mode/);
  });
  it('names the field of a bad time unit', () => {
    rejects('gb.json', fixture('google-benchmark.json').replace('"time_unit": "ms"', '"time_unit": "hours"'), 'benchmarks[5].time_unit', /Google Benchmark/);
  });
});

describe('pytest-benchmark', () => {
  const p = parsePerfFile('pb.json', fixture('pytest-benchmark.json'));
  it('uses stats.data for the p95 when saved', () => {
    expect(p.format).toBe('pytest-benchmark');
    const v = metric(p, 'tests/test_perf.py::test_verify');
    expect(v.samples).toEqual([5, 5.5, 6, 6.5, 9]);
    expect(v.value).toBeCloseTo(8.5, 10); // h = 4 * .95 = 3.8 → 6.5 + .8 * 2.5
  });
  it('falls back to the median without data, in ms', () => {
    const e = metric(p, 'tests/test_perf.py::test_encode[1MB]');
    expect(e).toMatchObject({ valueKind: 'median', samples: null });
    expect(e.value).toBeCloseTo(79, 10);
    expect(e.summary.n).toBe(12);
  });
  it('reads the machine as testbed', () => {
    expect(p.testbed).toEqual({ cpu: 'AMD EPYC 7763 64-Core Processor', cores: '4', os: 'linux', runtime: 'CPython 3.12.4' });
  });
});

describe('hyperfine', () => {
  const p = parsePerfFile('hf.json', fixture('hyperfine.json'));
  it('times[] are samples in ms; non-zero exit codes warn', () => {
    expect(p.format).toBe('hyperfine');
    const m = metric(p, 'steward rotate --dry-run /srv/soak');
    expect(m.samples).toEqual([180, 190, 200, 210, 220]);
    expect(m.value).toBeCloseTo(218, 10);
    expect(p.warnings.join()).toMatch(/1 run\(s\) of "find \/srv\/soak -printf x" exited non-zero/);
  });
});

describe('k6', () => {
  it('summary-export: p(95) is the value, legacy threshold booleans are inverted', () => {
    const p = parsePerfFile('k6.json', fixture('k6-summary-export.json')) as ParsedPerfFile & { thresholds: unknown[] };
    expect(p.format).toBe('k6');
    expect(metric(p, 'http_req_duration')).toMatchObject({ value: 120.4, valueKind: 'p95-reported', unit: 'ms' });
    expect(metric(p, 'http_req_failed', 'rate')).toMatchObject({ value: 0.3, unit: '%', direction: 'smaller' });
    expect(metric(p, 'checks', 'rate')).toMatchObject({ value: 99, direction: 'bigger' });
    expect(metric(p, 'http_reqs', 'throughput')).toMatchObject({ value: 33.3, direction: 'bigger' });
    expect(p.thresholds).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<150', ok: true },
      { metric: 'http_req_failed', expression: 'rate<0.01', ok: true },
      { metric: 'checks', expression: 'rate>0.995', ok: false },
    ]);
    expect(p.warnings.join()).toMatch(/thresholds failed: checks rate>0.995/);
  });
  it('handleSummary: contains decides the unit, thresholds use ok', () => {
    const p = parsePerfFile('k6.json', fixture('k6-handle-summary.json')) as ParsedPerfFile & { thresholds: unknown[] };
    expect(metric(p, 'http_req_duration')).toMatchObject({ value: 120.4, unit: 'ms', kind: 'time' });
    expect(metric(p, 'gql_cost')).toMatchObject({ value: 8, kind: 'other' });
    expect(p.thresholds).toEqual([{ metric: 'http_req_duration', expression: 'p(95)<100', ok: false }]);
  });
});

describe('go test -bench', () => {
  const p = parsePerfFile('bench.txt', fixture('go-bench.txt'));
  it('lines of one benchmark are samples; each unit is a measure', () => {
    expect(p.format).toBe('go-bench');
    const v = metric(p, 'example.com/hologram/verify.BenchmarkVerify-4');
    expect(v.samples).toEqual([0.006402, 0.006377, 0.006901]);
    expect(metric(p, 'example.com/hologram/verify.BenchmarkVerify-4', 'memory')).toMatchObject({ value: 512, unit: 'B', samples: [512, 512, 512] });
    expect(metric(p, 'example.com/hologram/verify.BenchmarkEncode/1MB-4')).toMatchObject({ value: 11.203444, samples: null, valueKind: 'value' });
    expect(metric(p, 'example.com/hologram/verify.BenchmarkVerify-4', 'allocs')).toMatchObject({ value: 7, unit: 'count' });
    expect(metric(p, 'example.com/hologram/verify.BenchmarkEncode/1MB-4', 'bandwidth')).toMatchObject({ value: 93.6e6, unit: 'B/s', direction: 'bigger' });
    expect(metric(p, 'example.com/hologram/verify.BenchmarkAux-4', 'auxmetricunits')).toMatchObject({ value: 4, kind: 'other' });
    expect(p.testbed).toEqual({ os: 'linux', arch: 'amd64', cpu: 'AMD EPYC 7763 64-Core Processor' });
  });
  it('a garbled result line is named by its line number', () => {
    rejects('bench.txt', 'BenchmarkX-8   100   12 ns/op   oops\n', 'line 1', /could not be read/);
  });
  it('text without benchmark lines is refused', () => {
    rejects('x.txt', 'PASS\nok  example.com 0.1s\n', '', /neither JSON nor go test -bench/);
  });
});

describe('seed JSON, BMF, custom JSON, Steward JSON', () => {
  it('seed: flat `_p95_ms` keys', () => {
    const p = parsePerfFile('baseline.json', '{"verify_p95_ms": 6.2, "encode_p95_ms": 71.5, "gql_p95_ms": 64, "_comment": "x"}');
    expect(p.format).toBe('seed');
    expect(p.metrics.map((m) => [m.name, m.value, m.valueKind])).toEqual([['verify', 6.2, 'p95-reported'], ['encode', 71.5, 'p95-reported'], ['gql', 64, 'p95-reported']]);
  });
  it('seed: nested with samples (samples win)', () => {
    const p = parsePerfFile('b.json', '{"metrics": {"verify": {"p95_ms": 99, "samples_ms": [1, 2, 3, 4, 5]}}}');
    expect(metric(p, 'verify')).toMatchObject({ value: 4.8, valueKind: 'p95' });
  });
  it('seed: a string p95 names its field', () => {
    rejects('b.json', '{"verify": {"p95_ms": "6"}}', 'verify.p95_ms', /not a number/, { format: 'seed' });
  });
  it('BMF: built-in measures carry units, custom measures keep theirs', () => {
    const p = parsePerfFile('bmf.json', JSON.stringify({ bench_fib_10: { latency: { value: 254, lower_value: 219, upper_value: 289 }, throughput: { value: 3.9e6 } }, 'app.wasm': { 'file-size': { value: 2048 }, score: { value: 7 } } }));
    expect(p.format).toBe('bmf');
    expect(metric(p, 'bench_fib_10')).toMatchObject({ value: 0.000254, unit: 'ms' });
    expect(metric(p, 'bench_fib_10').summary.min).toBeCloseTo(0.000219, 12);
    expect(metric(p, 'bench_fib_10', 'throughput')).toMatchObject({ direction: 'bigger' });
    expect(metric(p, 'app.wasm', 'file-size')).toMatchObject({ value: 2048, unit: 'B' });
    expect(metric(p, 'app.wasm', 'score')).toMatchObject({ kind: 'other', unit: 'score', direction: 'smaller' });
  });
  it('custom JSON: the unit or --direction decides the direction', () => {
    const text = '[{"name": "fib", "unit": "ops/sec", "value": 100}, {"name": "score", "unit": "points", "value": 3}]';
    const p = parsePerfFile('c.json', text);
    expect(p.format).toBe('gab-custom');
    expect(metric(p, 'fib', 'value')).toMatchObject({ kind: 'throughput', direction: 'bigger' });
    expect(metric(p, 'score', 'value').direction).toBe('smaller');
    expect(metric(parsePerfFile('c.json', text, { direction: 'bigger' }), 'score', 'value').direction).toBe('bigger');
  });
  it('Steward JSON: samples, units, testbed; a metric without samples or value is named', () => {
    const p = parsePerfFile('s.json', JSON.stringify({ format: 'steward-perf/1', testbed: { cpu: 'EPYC', cores: 4 }, metrics: [{ name: 'verify', unit: 'us', samples: [6000, 7000, 8000] }, { name: 'qps', measure: 'throughput', unit: 'req/s', value: 900 }] }));
    expect(metric(p, 'verify').samples).toEqual([6, 7, 8]);
    expect(metric(p, 'qps', 'throughput')).toMatchObject({ value: 900, direction: 'bigger' });
    expect(p.testbed).toEqual({ cpu: 'EPYC', cores: '4' });
    rejects('s.json', '{"format": "steward-perf/1", "metrics": [{"name": "a", "unit": "ms"}]}', 'metrics[0]', /needs "samples" or "value"/);
    rejects('s.json', '{"format": "steward-perf/1", "metrics": [{"name": "a", "unit": "ms", "samples": [1, "2"]}]}', 'metrics[0].samples[1]', /expected number/);
  });
});

describe('hostile and broken input', () => {
  it('invalid JSON names line and column', () => {
    rejects('x.json', '{\n  "a": 1,,\n}', 'line 2, column 10', /not valid JSON/);
  });
  it('an unknown JSON shape asks for --format', () => {
    rejects('x.json', '{"hello": "world"}', '', /unknown shape.*--format/);
  });
  it('an unknown --format is refused', () => {
    rejects('x.json', '{}', 'format', /not a known format/, { format: 'csv' });
  });
  it('__proto__ keys do not pollute and are just names', () => {
    const p = parsePerfFile('x.json', '{"__proto__": {"latency": {"value": 1}}, "b": {"latency": {"value": 2}}}');
    expect(({} as Record<string, unknown>).latency).toBeUndefined();
    expect(p.metrics.map((m) => m.name)).toEqual(['__proto__', 'b']);
  });
  it('control and bidi characters are removed from names', () => {
    const p = parsePerfFile('x.json', JSON.stringify([{ name: 'a\u001b[31m\u202eb\nc', unit: 'ms', value: 1 }]));
    expect(p.metrics[0]!.name).toBe('a [31m b c');
  });
  it('non-finite and negative samples are dropped with a warning; all-bad is skipped', () => {
    const p = parsePerfFile('x.json', '{"format": "steward-perf/1", "metrics": [{"name": "a", "unit": "ms", "samples": [1, -2, 3]}, {"name": "b", "unit": "ms", "value": 1}]}');
    expect(metric(p, 'a').samples).toEqual([1, 3]);
    expect(p.warnings.join()).toMatch(/1 non-finite or negative sample/);
  });
  it('too many samples are refused, naming the metric', () => {
    const samples = new Array(100_001).fill(1);
    rejects('x.json', JSON.stringify({ format: 'steward-perf/1', metrics: [{ name: 'a', unit: 'ms', samples }] }), 'metrics[0]', /more than 100000 samples/);
  });
  it('a file that yields no metric is refused', () => {
    rejects('x.json', '{"format": "steward-perf/1", "metrics": []}', '', /holds no metrics/);
  });
  it('detection never reads a go-bench file as JSON and vice versa', () => {
    expect(detectFormat(fixture('go-bench.txt'))).toBe('go-bench');
    expect(detectFormat('[]', [])).toBe(null);
  });
});

describe('github-action-benchmark data.js import', () => {
  const text = `window.BENCHMARK_DATA = ${JSON.stringify({ lastUpdate: 1, repoUrl: 'x', entries: { 'Rust Benchmark': [
    { commit: { id: 'b840614fd88743f234aac0dc747a0a70616f450f', message: 'second\nbody', timestamp: 't' }, date: 2000, tool: 'cargo', benches: [{ name: 'bench_fib_10', value: 242, unit: 'ns/iter', range: '+/- 73' }] },
    { commit: { id: '45d78258e495044a551046f50604da3c893052ce', message: 'first' }, date: 1000, tool: 'cargo', benches: [{ name: 'bench_fib_10', value: 254, unit: 'ns/iter' }] },
  ], Custom: [{ commit: { id: 'abcdef1' }, date: 1500, tool: 'customBiggerIsBetter', benches: [{ name: 'score', value: 3, unit: 'points' }] }] } })};`;
  it('gives the runs in time order with their metrics', () => {
    const runs = parseGabDataJs('data.js', text);
    expect(runs.map((r) => [r.suite, r.commit.slice(0, 7), r.at])).toEqual([['Rust Benchmark', '45d7825', 1000], ['Custom', 'abcdef1', 1500], ['Rust Benchmark', 'b840614', 2000]]);
    expect(runs[2]!.message).toBe('second');
    expect(runs[2]!.metrics[0]).toMatchObject({ name: 'bench_fib_10', value: 0.000242, unit: 'ms' });
    expect(runs[1]!.metrics[0]!.direction).toBe('bigger');
  });
  it('a file that is not data.js is refused', () => {
    expect(() => parseGabDataJs('data.js', '{}')).toThrow(/window.BENCHMARK_DATA/);
    expect(() => parseGabDataJs('data.js', 'window.BENCHMARK_DATA = {"entries": {"s": [{"commit": {"id": "zz"}, "date": 1, "tool": "go", "benches": []}]}}')).toThrow(/entries.s\[0\].commit.id: must be a commit hash/);
  });
});
