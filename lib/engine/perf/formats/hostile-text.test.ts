/**
 * Crafted 1 MB lines against every regex in the perf formats: `go test -bench` lines built to make
 * the line regex backtrack, a k6 metric name of many `{` (the tag-set strip was /\{.*$/: 13 s on
 * 100 kB, quadratic), a data.js trailer of spaces that are not at the end (/;?\s*$/: 28 s on
 * 100 kB), units and names the splitting and cleaning regexes see. Each answers in about a second
 * (the bound is 5 s, for a shared machine; a quadratic regex takes many minutes on 1 MB), with a
 * result or a PerfParseError naming the file and line.
 */
import { describe, expect, it } from 'vitest';
import { PerfParseError } from '../errors';
import { resolveUnit } from '../units';
import { parseGabDataJs, parsePerfFile } from './index';

const MB = 1024 * 1024;
/** Runs `f`, returns what it threw (or null) after checking it took under `limitMs`. */
function timed(limitMs: number, f: () => unknown): unknown {
  // eslint-disable-next-line no-restricted-syntax -- the test times a hostile input; engine code never reads the clock
  const t = performance.now();
  let err: unknown = null;
  try { f(); } catch (e) { err = e; }
  // eslint-disable-next-line no-restricted-syntax -- as above
  expect(performance.now() - t).toBeLessThan(limitMs);
  return err;
}
const lineError = (err: unknown, field: string, detail: RegExp) => {
  expect(err).toBeInstanceOf(PerfParseError);
  expect([(err as PerfParseError).field, (err as PerfParseError).detail]).toEqual([field, expect.stringMatching(detail)]);
};

describe('go test -bench: 1 MB crafted lines', { timeout: 30_000 }, () => {
  const go = (text: string) => parsePerfFile('bench.txt', text, { format: 'go-bench' });
  it('value/unit pairs that end on a lone value (the pair group backtracks once per pair)', () => {
    lineError(timed(5000, () => go(`BenchmarkA-8 1${' 1 x'.repeat(MB / 4)} 1`)), 'line 1', /could not be read/);
  });
  it('a megabyte of digits, of spaces, of "1e" — no pair to read', () => {
    lineError(timed(5000, () => go(`BenchmarkA-8 1 ${'1'.repeat(MB)} `)), 'line 1', /could not be read/);
    lineError(timed(5000, () => go(`BenchmarkA-8 1${' '.repeat(MB)}x`)), 'line 1', /could not be read/);
    lineError(timed(5000, () => go(`BenchmarkA-8 1${' 1e'.repeat(MB / 3)}\u0001`)), 'line 1', /could not be read/);
  });
  it('a quarter of a million pairs on one line stop at the sample or metric limit', () => {
    lineError(timed(5000, () => go(`BenchmarkA-8 1${' 1 ns/op'.repeat(MB / 8)}`)), 'line 1', /has more than 100000 samples/);
    lineError(timed(5000, () => go(`BenchmarkA-8 1${Array.from({ length: 100_000 }, (_, i) => ` 1 u${i}`).join('')}`)), 'line 1', /has more than 5000 metrics/);
  });
  it('a name, a header and a unit of a megabyte are read and cut; control characters in them are cleaned', () => {
    let p: ReturnType<typeof go> | undefined;
    expect(timed(5000, () => (p = parsePerfFile('bench.txt', `cpu:${' '.repeat(MB)}EPYC\u0007\nBenchmark${'N'.repeat(MB)}-8 10 5 ${'u'.repeat(MB)}\u0001`)))).toBeNull();
    expect(p!.testbed).toEqual({ cpu: 'EPYC' });
    expect(p!.metrics[0]!.name).toHaveLength(300);
    expect(p!.metrics[0]!.unit).toBe('u'.repeat(40));
  });
  it('detection over a megabyte of near-miss lines', () => {
    const err = timed(5000, () => parsePerfFile('bench.txt', `${'Benchmark'.padEnd(1000)}\n`.repeat(1000)));
    expect((err as PerfParseError).detail).toMatch(/is neither JSON nor go test -bench output/);
  });
});

describe('regexes in the JSON formats', { timeout: 30_000 }, () => {
  it('a k6 metric name of a million `{` and a newline (the tag strip was quadratic)', () => {
    const name = `${'{'.repeat(MB)}\n`;
    const text = `{"metrics":{${JSON.stringify(name)}:{"p(95)":1}},"root_group":{}}`;
    expect(timed(5000, () => parsePerfFile('k6.json', text))).toBeNull();
  });
  it('a data.js whose JSON is followed by a megabyte of spaces and one more character (the trailer strip was quadratic)', () => {
    const err = timed(5000, () => parseGabDataJs('data.js', `window.BENCHMARK_DATA = {"entries":{}}${' '.repeat(MB)}x`));
    expect((err as PerfParseError).detail).toMatch(/holds no valid JSON after "window.BENCHMARK_DATA ="/);
    expect(timed(5000, () => parseGabDataJs('data.js', `window.BENCHMARK_DATA = {"entries":{}};${' \n'.repeat(MB / 2)}`))).toBeNull();
  });
  it('units and names of a megabyte: the per-unit split, the seed key and the name cleaning stay linear', () => {
    expect(timed(5000, () => resolveUnit(`a${' '.repeat(MB)}/`))).toBeNull();
    expect(timed(5000, () => resolveUnit(`${' '.repeat(MB)}a/${' '.repeat(MB)}x/`))).toBeNull();
    const seed = timed(5000, () => parsePerfFile('seed.json', JSON.stringify({ [`${'a'.repeat(MB)}_p95_m`]: 1 })));
    expect((seed as PerfParseError).detail).toMatch(/is JSON of an unknown shape/);
    expect(timed(5000, () => parsePerfFile('gab.json', JSON.stringify([{ name: `a${' \u0001\u202e'.repeat(MB / 3)}b`, unit: 'ms', value: 1 }])))).toBeNull();
    expect(timed(5000, () => parsePerfFile('k6.json', JSON.stringify({ metrics: { [`${'_'.repeat(MB)}x`]: { 'p(95)': 1 } }, root_group: {} })))).toBeNull();
  });
});
