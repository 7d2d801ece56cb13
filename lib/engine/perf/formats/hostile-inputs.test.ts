/**
 * Perf files written by an attacker, for every JSON-ish format: depth bombs (100,000 nested arrays
 * or objects), width bombs (over a million containers or values), numbers past what a unit can
 * hold, NaN / Infinity where the tool never writes them, prototype keys, non-string names, a
 * million metrics, very long names, control characters and NUL. Each is a `PerfParseError` naming
 * the file and the field (or is accepted safely), never a stack overflow, a hang or a huge result.
 */
import { describe, expect, it } from 'vitest';
import { PerfParseError } from '../errors';
import { checkJsonLimits, JSON_LIMITS, preview, readJson } from './json';
import { parseGabDataJs, parsePerfFile, PERF_LIMITS } from './index';

const N = 100_000;
const MB = 1024 * 1024;
const deepArray = '['.repeat(N) + ']'.repeat(N);
const deepObject = '{"a":'.repeat(N) + '1' + '}'.repeat(N);
const DEPTH = `is nested more than ${JSON_LIMITS.depth} levels deep`;

function failure(run: () => unknown): PerfParseError {
  let err: unknown;
  try { run(); } catch (e) { err = e; }
  if (!(err instanceof PerfParseError)) throw new Error(`expected a PerfParseError, got ${err instanceof Error ? `${err.name}: ${err.message}` : 'no error'}`);
  return err;
}
const rejects = (text: string, field: string | RegExp, detail: string | RegExp, opts = {}) => {
  const e = failure(() => parsePerfFile('hostile.json', text, opts));
  if (typeof field === 'string') expect(e.field).toBe(field); else expect(e.field).toMatch(field);
  if (typeof detail === 'string') expect(e.detail).toBe(detail); else expect(e.detail).toMatch(detail);
  expect(e.message.startsWith('hostile.json: ')).toBe(true);
  return e;
};
/** The column where `prefix` + a bomb crosses the depth limit: the 65th open bracket. */
const col = (text: string) => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (']}'.includes(text[i]!)) depth--;
    else if ('[{'.includes(text[i]!) && ++depth > JSON_LIMITS.depth) return `line 1, column ${i + 1}`;
  }
  return 'none';
};
/** How long `f` took; its assertion failures propagate. */
const ms = (f: () => unknown) => {
  // eslint-disable-next-line no-restricted-syntax -- the test times a hostile input; engine code never reads the clock
  const t = performance.now();
  f();
  // eslint-disable-next-line no-restricted-syntax -- as above
  return performance.now() - t;
};

describe('depth bombs in every JSON format: refused at the line and column, before any recursive step', () => {
  const cases: [string, string, object?][] = [
    ['steward metrics', `{"format":"steward-perf/1","metrics":[${deepArray}]}`],
    ['steward testbed', `{"format":"steward-perf/1","testbed":${deepObject},"metrics":[{"name":"a","unit":"ms","value":1}]}`],
    ['seed samples', `{"verify":{"p95_ms":1,"samples_ms":${deepArray}}}`],
    ['seed wrapped', `{"metrics":${deepObject}}`],
    ['bmf value', `{"bench":{"latency":{"value":${deepArray}}}}`],
    ['pytest machine_info', `{"machine_info":${deepObject},"benchmarks":[{"name":"a","stats":{"median":1}}]}`],
    ['pytest data', `{"machine_info":{},"benchmarks":[{"name":"a","stats":{"median":1,"data":[${deepArray}]}}]}`],
    ['google-benchmark (JSON5: NaN)', `{"context":{},"benchmarks":[{"name":"a","real_time":NaN,"time_unit":"ns","x":${deepArray}}]}`],
    ['google-benchmark (JSON5: comment)', `{\n// hand-edited\n"context":{},"benchmarks":[{"name":"a","real_time":1,"x":${deepObject}}]}`],
    ['hyperfine times', `{"results":[{"command":"a","median":1,"times":[${deepArray}]}]}`],
    ['k6 summary-export', `{"metrics":{"http_req_duration":{"p(95)":1,"x":${deepArray}}},"root_group":{}}`],
    ['k6 handleSummary', `{"metrics":{"http_req_duration":{"type":"trend","contains":"time","values":${deepObject}}},"state":{}}`],
    ['gab-custom extra', `[{"name":"a","unit":"ms","value":1,"extra":${deepArray}}]`],
    ['no format at all', deepArray],
    ['forced format', deepObject, { format: 'bmf' }],
  ];
  for (const [label, text, opts] of cases) {
    it(label, () => {
      const where = label.includes('comment') ? /^line 3, column \d+$/ : col(text);
      expect(ms(() => rejects(text, where, DEPTH, opts))).toBeLessThan(5000);
    });
  }
  it('gab data.js', () => {
    const text = `window.BENCHMARK_DATA = {"entries":{"s":[{"commit":{"id":"abcdef0"},"date":1,"tool":"cargo","benches":[${deepArray}]}]}}`;
    const e = failure(() => parseGabDataJs('data.js', text));
    expect([e.field, e.detail]).toEqual([col(text), DEPTH]);
  });
  it('brackets inside strings and comments do not count; JSON5 single quotes are strings; 64 levels pass', () => {
    expect(() => checkJsonLimits('f', `{"a":"${'['.repeat(1000)}","b":'x[[[\\''}`)).not.toThrow();
    expect(() => checkJsonLimits('f', `/* ${'['.repeat(1000)} */ // ${'{'.repeat(1000)}\n[]`)).not.toThrow();
    expect(() => checkJsonLimits('f', '['.repeat(64) + ']'.repeat(64))).not.toThrow();
    expect(failure(() => checkJsonLimits('f', '\n\n  ' + '['.repeat(65))).field).toBe('line 3, column 67');
  });
});

describe('width bombs: too many containers or values are refused before parsing allocates them', { timeout: 30_000 }, () => {
  it('over a million objects (32 MB of `{},` is ~600 MB of heap)', () => {
    const prefix = '{"format":"steward-perf/1","metrics":[';
    const text = `${prefix}${'{},'.repeat(JSON_LIMITS.containers)}{}]}`;
    // The prefix opens 2 containers: the limit is crossed at the (limit - 1)th `{}`.
    rejects(text, `line 1, column ${prefix.length + 1 + 3 * (JSON_LIMITS.containers - 2)}`, `holds more than ${JSON_LIMITS.containers} JSON objects and arrays`);
  });
  it('the same in every format, wherever the bomb sits (the scan runs before detection)', () => {
    const bomb = `[${'[],'.repeat(JSON_LIMITS.containers)}[]]`;
    const holders = [
      `{"format":"steward-perf/1","metrics":[{"name":"a","unit":"ms","samples":${bomb}}]}`, `{"verify":{"p95_ms":1,"samples_ms":${bomb}}}`,
      `{"bench":{"latency":{"value":1,"x":${bomb}}}}`, `{"machine_info":{"x":${bomb}},"benchmarks":[]}`, `{"context":{},"benchmarks":${bomb}}`,
      `{"results":[{"command":"a","times":${bomb}}]}`, `{"metrics":{"m":{"p(95)":1,"x":${bomb}}},"root_group":{}}`,
      `{"metrics":{"m":{"type":"trend","values":{"x":${bomb}}}},"state":{}}`, `[{"name":"a","unit":"ms","value":1,"extra":${bomb}}]`,
    ];
    for (const text of holders) rejects(text, /^line 1, column \d+$/, `holds more than ${JSON_LIMITS.containers} JSON objects and arrays`);
    const e = failure(() => parseGabDataJs('data.js', `window.BENCHMARK_DATA = {"entries":{"s":${bomb}}}`));
    expect(e.detail).toBe(`holds more than ${JSON_LIMITS.containers} JSON objects and arrays`);
  });
  it('over four million values', () => {
    rejects(`{"results":[{"command":"a","times":[${'0,'.repeat(JSON_LIMITS.values)}0]}]}`, /^line 1, column \d+$/, `holds more than ${JSON_LIMITS.values} JSON values`);
  });
  it('an object of a million keys is refused by the scan (Object.entries over it takes seconds)', () => {
    const seed = `{${'"m_p95_ms":1,'.repeat(1e6)}"z_p95_ms":1}`;
    // The 50,000th comma of the object starts its 50,001st key.
    const at = 1 + 13 * JSON_LIMITS.keys;
    expect(ms(() => rejects(seed, `line 1, column ${at}`, `is an object with more than ${JSON_LIMITS.keys} keys`))).toBeLessThan(5000);
    const k6 = `{"metrics":{${'"m":{},'.repeat(1e5)}"z":{}},"root_group":{}}`;
    rejects(k6, /^line 1, column \d+$/, `is an object with more than ${JSON_LIMITS.keys} keys`);
  });
  it('a million metrics stop at the metric limit (or the file size), naming the first one too many', () => {
    const seed = `{${Array.from({ length: 20_000 }, (_, i) => `"m${i}_p95_ms":1`).join(',')}}`;
    rejects(seed, `m${PERF_LIMITS.metrics}_p95_ms`, `has more than ${PERF_LIMITS.metrics} metrics`);
    const steward = `{"format":"steward-perf/1","metrics":[${'{"name":"m","unit":"ms","value":1},'.repeat(1e6)}{}]}`;
    rejects(steward, '', 'is larger than 33554432 bytes');
    const gab = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ name: `m${i}`, unit: 'ms', value: 1 })));
    rejects(gab, `[${PERF_LIMITS.metrics}]`, `has more than ${PERF_LIMITS.metrics} metrics`);
    const bmf = JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`b${i}`, { latency: { value: 1 } }])));
    rejects(bmf, `"b${PERF_LIMITS.metrics}".latency`, `has more than ${PERF_LIMITS.metrics} metrics`);
  });
  it('a million duplicates keep 100 warnings and count the rest', () => {
    const text = JSON.stringify({ results: [{ command: 'one', median: 1 }, ...Array.from({ length: 300_000 }, () => ({ command: 'dup', median: 1 }))] });
    const p = parsePerfFile('dups.json', text);
    expect(p.metrics.map((m) => m.name)).toEqual(['one', 'dup']);
    expect(p.warnings).toHaveLength(PERF_LIMITS.warnings + 1);
    expect(p.warnings.at(-1)).toBe(`… and ${300_000 - 1 - PERF_LIMITS.warnings} more warning(s)`);
  });
  it('an error about a huge or deep value shows a bounded preview, not the value', () => {
    const wide = rejects(JSON.stringify({ format: 'steward-perf/1', metrics: [Array.from({ length: 1e6 }, () => 1)] }), 'metrics[0]', /^Invalid input: expected object, received array \(steward-perf\/1; got \[1,1,1,/);
    expect(wide.detail.length).toBeLessThan(200);
    const deep = JSON.parse('['.repeat(60) + ']'.repeat(60)) as unknown;
    expect(preview(deep)).toBe('[[[…]]]');
    expect(preview({ name: 5, unit: 'ms', value: 'x'.repeat(1000) })).toBe(`{"name":5,"unit":"ms","value":"${'x'.repeat(40)}…"}`);
    expect(preview(undefined)).toBe('missing');
  });
});

describe('numbers', () => {
  const beyond = (n: string, unit: string, canonical: string) => `${n} ${unit} is out of range (at most ${PERF_LIMITS.maxValue} ${canonical} once converted)`;
  it('a finite number that overflows when converted (1e308 s is Infinity in ms) is refused, naming the field', () => {
    rejects('{"format":"steward-perf/1","metrics":[{"name":"a","unit":"s","samples":[1,1e308]}]}', 'metrics[0][1]', beyond('1e+308', 's', 'ms'));
    rejects('[{"name":"a","unit":"s","value":1e308}]', '[0]', beyond('1e+308', 's', 'ms'));
    rejects('{"context":{},"benchmarks":[{"name":"a","real_time":1e300,"time_unit":"s"}]}', 'benchmarks[0].real_time[0]', beyond('1e+300', 's', 'ms'));
    rejects('{"results":[{"command":"a","median":1e300}]}', 'results[0]', beyond('1e+300', 's', 'ms'));
  });
  it('a value past 10^15 in its canonical unit is refused in every format', () => {
    rejects('{"verify_p95_ms":1e16}', 'verify_p95_ms', beyond('10000000000000000', 'ms', 'ms'));
    rejects('{"bench":{"throughput":{"value":1e300}}}', '"bench".throughput', beyond('1e+300', 'ops/s', 'ops/s'));
    rejects('{"machine_info":{},"benchmarks":[{"name":"a","stats":{"median":1e20}}]}', 'benchmarks[0].stats', beyond('100000000000000000000', 's', 'ms'));
    rejects('{"metrics":{"http_req_duration":{"p(95)":1e300}},"root_group":{}}', 'metrics.http_req_duration["p(95)"]', beyond('1e+300', 'ms', 'ms'));
    const e = failure(() => parseGabDataJs('data.js', 'window.BENCHMARK_DATA = {"entries":{"s":[{"commit":{"id":"abcdef0"},"date":1,"tool":"cargo","benches":[{"name":"a","value":1e300,"unit":"ns/iter"}]}]}}'));
    expect([e.field, e.detail]).toEqual(['entries["s"][0].benches[0]', beyond('1e+300', 'ns/iter', 'ms')]);
    // 10^15 itself is allowed.
    expect(parsePerfFile('ok.json', '{"bench":{"file-size":{"value":1e15}}}').metrics[0]!.value).toBe(1e15);
  });
  it('NaN and Infinity (read by the JSON5 fallback) are refused where the tool never writes them, tolerated where Google Benchmark does', () => {
    rejects('{"format":"steward-perf/1","metrics":[{"name":"a","unit":"ms","value":NaN}]}', 'metrics[0].value', /expected number, received NaN/);
    rejects('{"verify_p95_ms":NaN}', 'verify_p95_ms', 'is NaN, not a number of milliseconds');
    rejects('{"verify":{"p95_ms":Infinity}}', 'verify.p95_ms', 'is not a number of milliseconds');
    rejects('{"bench":{"latency":{"value":-Infinity}}}', '"bench".latency.value', 'is not a finite number');
    rejects('{"metrics":{"http_req_duration":{"p(95)":NaN}},"root_group":{}}', 'metrics.http_req_duration["p(95)"]', 'is NaN, not a finite number');
    rejects('{"metrics":{"checks":{"type":"rate","values":{"rate":Infinity}}},"state":{}}', 'metrics.checks.values["rate"]', 'is Infinity, not a finite number');
    rejects('[{"name":"a","unit":"ms","value":1e400}]', '[0].value', /expected number, received Infinity/);
    rejects('{"results":[{"command":"a","median":NaN}]}', 'results[0].median', /expected number, received NaN/);
    const g = parsePerfFile('gb.json', '{"context":{},"benchmarks":[{"name":"a","run_type":"aggregate","aggregate_name":"median","real_time":NaN,"cpu_time":2,"time_unit":"ms"}]}');
    expect(g.metrics.map((m) => [m.measure, m.value])).toEqual([['cpu', 2]]);
    // Google Benchmark writes Infinity too (a rate over zero time): the sample is dropped, with a warning.
    const inf = parsePerfFile('gb.json', '{"context":{},"benchmarks":[{"name":"a","real_time":Infinity,"time_unit":"ns"},{"name":"a","real_time":1000000,"time_unit":"ns"}]}');
    expect([inf.metrics.map((m) => [m.measure, m.value]), inf.warnings]).toEqual([[['latency', 1]], ['benchmarks[0].real_time: 1 non-finite or negative sample(s) of "a" dropped']]);
  });
  it('bare NaN/Infinity are read at JSON.parse speed at any size; JSON5 (20 s on 30 MB, blocking) only up to 4 MB', () => {
    const bench = '{"name":"BM_x","run_name":"BM_x","run_type":"aggregate","aggregate_name":"median","real_time":NaN,"cpu_time":-Infinity,"time_unit":"ns","label":"NaN, Infinity"},';
    const big = `{"context":{"note":"NaN"},"benchmarks":[${bench.repeat(Math.ceil((6 * MB) / bench.length))}{"name":"ok","real_time":2,"time_unit":"ms"}]}`;
    let p: ReturnType<typeof parsePerfFile> | undefined;
    expect(ms(() => (p = parsePerfFile('gb.json', big)))).toBeLessThan(5000);
    expect(p!.metrics.map((m) => [m.name, m.measure, m.value])).toEqual([['ok', 'latency', 2]]);
    expect(readJson('f.json', '{"a":NaN,"b":"NaN \\" Infinity","c":[-Infinity,+Infinity,-1]}')).toEqual({ a: NaN, b: 'NaN " Infinity', c: [-Infinity, Infinity, -1] });
    const hand = `{"context":{}, // hand-edited\n"benchmarks":[${'{"name":"a","real_time":1},'.repeat(Math.ceil((5 * MB) / 27))}]}`;
    rejects(hand, '', /^is not valid JSON \(.*\); JSON5 \(comments, trailing commas, quotes\) is read only up to 4 MB per run$/);
    expect(parsePerfFile('small.json', '{"context":{}, // hand-edited\n"benchmarks":[{"name":"a","real_time":1,},]}').metrics).toHaveLength(1);
  });
  it('a count that is not a whole number is unknown, never a value an int column refuses', () => {
    const p = parsePerfFile('py.json', '{"machine_info":{},"benchmarks":[{"name":"a","stats":{"median":1,"rounds":1.5}},{"name":"b","stats":{"median":1,"rounds":-3}},{"name":"c","stats":{"median":1,"rounds":1e300}}]}');
    expect(p.metrics.map((m) => m.summary.n)).toEqual([null, null, 2_147_483_647]);
  });
});

describe('keys and names', () => {
  it('__proto__ and constructor keys are plain names: nothing is polluted', () => {
    const bmf = parsePerfFile('bmf.json', '{"__proto__":{"latency":{"value":1}},"constructor":{"constructor":{"value":2}}}');
    expect(bmf.metrics.map((m) => [m.name, m.measure, m.unit])).toEqual([['__proto__', 'latency', 'ms'], ['constructor', 'constructor', 'constructor']]);
    const k6 = parsePerfFile('k6.json', '{"metrics":{"__proto__":{"p(95)":1},"constructor":{"type":"trend","values":{"p(95)":2}}},"root_group":{}}');
    expect(k6.metrics.map((m) => m.name)).toEqual(['__proto__', 'constructor']);
    const json5 = parsePerfFile('b5.json', '{// c\n"__proto__":{"latency":{"value":1}},"x":{"latency":{"value":2}}}');
    expect(json5.metrics.map((m) => m.name)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).latency).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
  it('non-string names are refused with the field and what was there', () => {
    rejects('{"format":"steward-perf/1","metrics":[{"name":5,"unit":"ms","value":1}]}', 'metrics[0].name', 'Invalid input: expected string, received number (steward-perf/1; got 5)');
    rejects('[{"name":{"a":[1,2]},"unit":"ms","value":1}]', '[0].name', 'Invalid input: expected string, received object (github-action-benchmark custom JSON; got {"a":[1,2]})');
    rejects('{"results":[{"command":"a","median":1},{"command":null,"median":1}]}', 'results[1].command', /expected string, received null/);
    rejects('{"context":{},"benchmarks":[{"name":["x"],"real_time":1}]}', 'benchmarks[0].name', /expected string, received array/);
  });
  it('a very long name is cut at 300 characters; control characters, bidi overrides and NUL become spaces', () => {
    const long = parsePerfFile('l.json', JSON.stringify([{ name: 'n'.repeat(1e6), unit: 'ms', value: 1 }]));
    expect(long.metrics[0]!.name).toBe('n'.repeat(PERF_LIMITS.nameLength));
    const ctl = parsePerfFile('c.json', JSON.stringify({ bench: { 'x\u0000y': { value: 1 } }, 'a\u0000b\u202e\u0007c': { latency: { value: 1 } } }));
    expect(ctl.metrics.map((m) => [m.name, m.measure, m.unit])).toEqual([['bench', 'x y', 'x y'], ['a b c', 'latency', 'ms']]);
    rejects(JSON.stringify([{ name: '\u0000\u0001\u200b', unit: 'ms', value: 1 }]), '[0]', 'has an empty benchmark name');
  });
  it('a unit with control characters is cleaned (it is stored)', () => {
    const p = parsePerfFile('u.json', JSON.stringify([{ name: 'a', unit: 'sc\u0000ore\u0007', value: 1 }]));
    expect(p.metrics[0]!.unit).toBe('sc ore');
  });
  it('testbed attributes from a file follow the request\'s rules: lowercase keys, one printable line, at most 20', () => {
    const testbed = '{"__proto__":"x","CPU Model":"EPYC\\u0000 7763\\n","cores":4,"constructor":"c","":"e"}';
    const p = parsePerfFile('t.json', `{"format":"steward-perf/1","testbed":${testbed},"metrics":[{"name":"a","unit":"ms","value":1}]}`);
    expect(p.testbed).toEqual({ 'cpu-model': 'EPYC 7763', cores: '4', constructor: 'c' });
    // zod's record never copies `__proto__`; the empty key is dropped with a warning.
    expect(p.warnings.filter((w) => w.startsWith('testbed attribute'))).toEqual(['testbed attribute "" dropped (keys are lowercase words: cpu, cores, os, runner)']);
    const many = JSON.stringify({ format: 'steward-perf/1', testbed: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])), metrics: [{ name: 'a', unit: 'ms', value: 1 }] });
    rejects(many, 'testbed', 'has more than 20 attributes');
    const py = parsePerfFile('py.json', JSON.stringify({ machine_info: { cpu: { brand_raw: 'x\u0000y' }, system: 'Linux\u0007' }, benchmarks: [{ name: 'a', stats: { median: 1 } }] }));
    expect(py.testbed).toEqual({ cpu: 'x y', os: 'linux' });
    const go = parsePerfFile('go.txt', 'cpu: AMD\u0000EPYC\u0007\nBenchmarkA-8 10 5 ns/op\n');
    expect(go.testbed).toEqual({ cpu: 'AMD EPYC' });
  });
});
