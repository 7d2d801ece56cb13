// Values the database cannot store are a 400 naming the field, never a 500.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodIssues } from '@/lib/services/errors';
import { bigintColumn, findUnsafeJson, intColumn, safeDate, safeString } from '@/lib/validation';

describe('findUnsafeJson', () => {
  it('names NUL strings and out-of-range numbers anywhere in a body', () => {
    const issues = findUnsafeJson({ host: 'a\u0000b', record: { disk_usage: { bytes_freed: 1e20 } }, list: [1, 'ok', '\u0000'] });
    expect(issues.map((i) => i.field)).toEqual(['host', 'record.disk_usage.bytes_freed', 'list[2]']);
  });

  it('accepts ordinary values', () => {
    expect(findUnsafeJson({ a: 'text with\nnewline', b: 2 ** 53 - 1, c: [null, true, -1.5] })).toEqual([]);
  });

  it('refuses absurd nesting instead of recursing without end', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findUnsafeJson(deep)[0]?.message).toMatch(/nested/);
  });
});

describe('column helpers', () => {
  const schema = z.object({ deleted: intColumn(), bytes: bigintColumn(), name: safeString(50), from: safeDate() });
  const fields = (v: unknown) => {
    const r = schema.safeParse(v);
    return r.success ? [] : [...new Set(zodIssues(r.error.issues).map((i) => i.field))];
  };

  it('refuses what PostgreSQL columns cannot hold, naming the field', () => {
    expect(fields({ deleted: 1e12, bytes: 1, name: 'x', from: '2026-01-01' })).toEqual(['deleted']);
    expect(fields({ deleted: 1, bytes: 1e20, name: 'x', from: '2026-01-01' })).toEqual(['bytes']);
    expect(fields({ deleted: 1, bytes: 1, name: 'a\u0000', from: '2026-01-01' })).toEqual(['name']);
    expect(fields({ deleted: 1, bytes: 1, name: 'x', from: '-271821-04-20' })).toEqual(['from']);
    expect(fields({ deleted: 1, bytes: 1, name: 'x', from: '+275760-09-13' })).toEqual(['from']);
  });

  it('accepts in-range values', () => {
    expect(fields({ deleted: 2_147_483_647, bytes: 2 ** 53 - 1, name: 'ci-runner-7', from: '2026-12-01' })).toEqual([]);
  });
});
