import { describe, expect, it } from 'vitest';
import { resolveUnit, toCanonical } from './units';

const conv = (unit: string, v: number) => {
  const r = resolveUnit(unit);
  return { kind: r.kind, unit: r.unit, value: toCanonical(v, r.factor), direction: r.direction };
};

describe('resolveUnit', () => {
  it.each([
    ['ns', 1_500, 0.0015], ['us', 1_500, 1.5], ['µs', 2, 0.002], ['μs', 2, 0.002], ['ms', 7, 7], ['s', 0.25, 250],
    ['seconds', 2, 2000], ['Seconds', 2, 2000], ['ns/op', 6402, 0.006402], ['ns/iter', 254, 0.000254], ['ms/iter', 3, 3], ['min', 1, 60_000],
  ])('time %s: %d → %d ms', (unit, v, ms) => {
    expect(conv(unit, v)).toEqual({ kind: 'time', unit: 'ms', value: ms, direction: 'smaller' });
  });
  it('short time units are case-sensitive: Ms is not milliseconds', () => {
    expect(resolveUnit('Ms').kind).toBe('other');
  });
  it.each([
    ['ops/s', 10, 10], ['ops/sec', 10, 10], ['iter/sec', 10, 10], ['req/ms', 2, 2000], ['items/s', 5, 5], ['op/ns', 1, 1e9],
  ])('throughput %s', (unit, v, ops) => {
    expect(conv(unit, v)).toEqual({ kind: 'throughput', unit: 'ops/s', value: ops, direction: 'bigger' });
  });
  it('sizes: SI is decimal, IEC binary, B/op is bytes, a lone b is not', () => {
    expect(conv('kB', 2).value).toBe(2000);
    expect(conv('KiB', 2).value).toBe(2048);
    expect(conv('MiB', 1).value).toBe(1_048_576);
    expect(conv('B/op', 512)).toEqual({ kind: 'bytes', unit: 'B', value: 512, direction: 'smaller' });
    expect(resolveUnit('b').kind).toBe('other');
  });
  it('bandwidth and counts', () => {
    expect(conv('MB/s', 93.6)).toEqual({ kind: 'bytes-per-second', unit: 'B/s', value: 93_600_000, direction: 'bigger' });
    expect(conv('allocs/op', 7)).toEqual({ kind: 'count', unit: 'count', value: 7, direction: 'smaller' });
  });
  it('unknown units are kept verbatim (bounded) with the fallback direction', () => {
    expect(resolveUnit(' points ', 'bigger')).toEqual({ kind: 'other', unit: 'points', factor: 1, direction: 'bigger' });
    expect(resolveUnit('x'.repeat(100)).unit).toHaveLength(40);
    expect(resolveUnit('constructor').kind).toBe('other');
    expect(resolveUnit('__proto__').kind).toBe('other');
  });
});
