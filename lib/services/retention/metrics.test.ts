import { describe, expect, it } from 'vitest';
import { renderMetrics } from './metrics';

describe('renderMetrics (Prometheus text exposition)', () => {
  it('HELP and TYPE lines, then one line per sample with its labels; ends with a newline', () => {
    const text = renderMetrics([
      { name: 'a_bytes', help: 'Size.', type: 'gauge', samples: [{ labels: { root: 'x' }, value: 10 }, { labels: { root: 'y' }, value: 0.5 }] },
      { name: 'b_total', help: 'Count.', type: 'counter', samples: [{ labels: {}, value: 3 }] },
    ]);
    expect(text).toBe(['# HELP a_bytes Size.', '# TYPE a_bytes gauge', 'a_bytes{root="x"} 10', 'a_bytes{root="y"} 0.5', '# HELP b_total Count.', '# TYPE b_total counter', 'b_total 3', ''].join('\n'));
  });

  it('escapes backslash, double quote and newline in label values (a hostile root name cannot add a sample)', () => {
    const text = renderMetrics([{ name: 'm', help: 'h', type: 'gauge', samples: [{ labels: { root: 'a\\b"c\nm{root="evil"} 1e9' }, value: 1 }] }]);
    expect(text.split('\n')).toEqual(['# HELP m h', '# TYPE m gauge', 'm{root="a\\\\b\\"c\\nm{root=\\"evil\\"} 1e9"} 1', '']);
  });

  it('a non-finite value is written as 0, never NaN or Infinity', () => {
    const text = renderMetrics([{ name: 'm', help: 'h', type: 'gauge', samples: [{ labels: {}, value: Number.NaN }, { labels: {}, value: Infinity }, { labels: {}, value: -Infinity }] }]);
    expect(text.split('\n').slice(2, 5)).toEqual(['m 0', 'm 0', 'm 0']);
  });

  it('a metric without samples still declares itself', () => {
    expect(renderMetrics([{ name: 'm', help: 'h', type: 'counter', samples: [] }])).toBe('# HELP m h\n# TYPE m counter\n');
  });
});
