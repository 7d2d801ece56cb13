import { describe, expect, it } from 'vitest';
import { formatPolicyErrors, parsePolicy, serializePolicy } from './policy';
import { D, H, MiB } from './test-helpers';

function errorsOf(input: unknown) {
  const r = parsePolicy(input);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parsePolicy', () => {
  it('converts durations and sizes and assigns ids by position', () => {
    const r = parsePolicy({
      rules: [
        { match: '**/ITER_SUMMARY_*.json', keepLatest: 100 },
        { id: 'snaps', match: 'snapshots/**', compressAfter: '7d', ttl: 1209600 },
        { match: ' **/*.log ', ttl: '36h' },
      ],
      protect: [{ match: 'rotation/ROTATION_LOG.jsonl', reason: 'rotation log' }],
      maxSize: '900MB',
      sizeCapAction: 'evict-oldest',
    });
    expect(r).toEqual({
      ok: true,
      policy: {
        rules: [
          { id: 'rule-1', match: '**/ITER_SUMMARY_*.json', keepLatest: 100 },
          { id: 'snaps', match: 'snapshots/**', compressAfterMs: 7 * D, ttlMs: 14 * D },
          { id: 'rule-3', match: '**/*.log', ttlMs: 36 * H },
        ],
        protect: [{ id: 'protect-1', match: 'rotation/ROTATION_LOG.jsonl', reason: 'rotation log' }],
        maxSizeBytes: 900 * MiB,
        sizeCapAction: 'evict-oldest',
      },
    });
  });

  it('defaults protect to [] and sizeCapAction to warn; null maxSize means no cap', () => {
    expect(parsePolicy({ rules: [], maxSize: null })).toEqual({ ok: true, policy: { rules: [], protect: [], sizeCapAction: 'warn' } });
  });

  it('names the field path and the bad value', () => {
    const errors = errorsOf({ rules: [{ match: 'a', ttl: '1d' }, { match: 'b', ttl: '1d' }, { match: 'c', ttl: '7x' }] });
    expect(errors).toEqual([{ path: 'rules[2].ttl', message: '"7x" is not a duration (use 30m, 36h, 7d or seconds)' }]);
    expect(formatPolicyErrors(errors)).toBe('rules[2].ttl: "7x" is not a duration (use 30m, 36h, 7d or seconds)');
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({
      rules: [
        { match: '', ttl: '1d' },
        { match: 'x', keepLatest: -1 },
        { match: 'x', keepLatest: 1.5 },
        { match: 'x' },
        { match: 'x', ttl: '7d', compressAfter: '7d' },
        { match: '/etc/**', ttl: '1d' },
        { match: '../x', ttl: '1d' },
        { match: 'x', ttl: 0 },
        { match: 'x', ttl: -5 },
        { match: 'x', ttl: '1d', keep_latest: 3 },
        { match: 42, ttl: '1d' },
      ],
      protect: [{ reason: 'why' }],
      maxSize: '2X',
      sizeCapAction: 'delete',
      extra: true,
    });
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
    expect(byPath['rules[0].match']).toMatch(/non-empty glob/);
    expect(byPath['rules[1].keepLatest']).toBe('must be a whole number >= 0, got -1');
    expect(byPath['rules[2].keepLatest']).toBe('must be a whole number >= 0, got 1.5');
    expect(byPath['rules[3]']).toBe('a rule needs at least one of ttl, keepLatest or compressAfter');
    expect(byPath['rules[4].compressAfter']).toMatch(/^7d must be shorter than ttl 7d/);
    expect(byPath['rules[5].match']).toMatch(/absolute/);
    expect(byPath['rules[6].match']).toMatch(/cannot leave the root/);
    expect(byPath['rules[7].ttl']).toMatch(/longer than 0/);
    expect(byPath['rules[8].ttl']).toMatch(/-5 is not a duration/);
    expect(byPath['rules[9].keep_latest']).toMatch(/unknown field \(expected one of: id, match, ttl, keepLatest, compressAfter\)/);
    expect(byPath['rules[10].match']).toMatch(/must be a glob string.*got 42/);
    expect(byPath['protect[0].match']).toMatch(/is required/);
    expect(byPath.maxSize).toBe('"2X" is not a size (use 500MB, 2G, 1.5GiB or a number of bytes)');
    expect(byPath.sizeCapAction).toBe('must be "warn" or "evict-oldest", got "delete"');
    expect(byPath.extra).toMatch(/unknown field/);
  });

  it('rejects a non-object, a missing rules list, duplicate and reserved ids, and a zero cap', () => {
    expect(errorsOf(null)[0]?.path).toBe('policy');
    expect(errorsOf('x')[0]?.path).toBe('policy');
    expect(errorsOf({})).toEqual([{ path: 'rules', message: expect.stringMatching(/is required/) }]);
    expect(errorsOf({ rules: [{ match: 'a', ttl: 1 }, { id: 'rule-1', match: 'b', ttl: 1 }] })).toEqual([
      { path: 'rules[1].id', message: 'id "rule-1" is already used by rules[0]' },
    ]);
    expect(errorsOf({ rules: [{ id: 'size-cap', match: 'a', ttl: 1 }] })[0]).toMatchObject({ path: 'rules[0].id', message: expect.stringMatching(/reserved/) });
    expect(errorsOf({ rules: [{ id: 'a b', match: 'a', ttl: 1 }] })[0]?.path).toBe('rules[0].id');
    expect(errorsOf({ rules: [], maxSize: 0 })).toEqual([{ path: 'maxSize', message: expect.stringMatching(/larger than 0/) }]);
  });
});

describe('serializePolicy', () => {
  it('writes compact durations and sizes and round-trips', () => {
    const input = {
      rules: [
        { id: 'iter', match: '**/ITER_SUMMARY_*.json', keepLatest: 100 },
        { id: 'snap', match: 'snapshots/**', compressAfter: '7d', ttl: '14d' },
        { id: 'logs', match: '**/*.log', ttl: 129600 },
      ],
      protect: [{ id: 'log', match: 'rotation/ROTATION_LOG.jsonl' }],
      maxSize: 943718400,
      sizeCapAction: 'warn',
    };
    const r = parsePolicy(input);
    if (!r.ok) throw new Error('invalid');
    const doc = serializePolicy(r.policy);
    expect(doc).toEqual({
      rules: [
        { id: 'iter', match: '**/ITER_SUMMARY_*.json', keepLatest: 100 },
        { id: 'snap', match: 'snapshots/**', compressAfter: '7d', ttl: '14d' },
        { id: 'logs', match: '**/*.log', ttl: '36h' },
      ],
      protect: [{ id: 'log', match: 'rotation/ROTATION_LOG.jsonl' }],
      maxSize: '900MB',
      sizeCapAction: 'warn',
    });
    expect(parsePolicy(JSON.parse(JSON.stringify(doc)))).toEqual(r);
  });
});

describe('mutation-testing kills', () => {
  it('parsePolicy sets only the fields that were given, trimmed (strict shape)', () => {
    const r = parsePolicy({ rules: [{ match: ' a/** ', ttl: '1d' }, { match: 'b', keepLatest: 0 }, { match: 'c', compressAfter: '1h' }], protect: [{ match: ' keep/** ', reason: '  ' }, { match: 'k2', reason: ' why ' }] });
    expect(r).toStrictEqual({
      ok: true,
      policy: {
        rules: [
          { id: 'rule-1', match: 'a/**', ttlMs: D },
          { id: 'rule-2', match: 'b', keepLatest: 0 },
          { id: 'rule-3', match: 'c', compressAfterMs: H },
        ],
        protect: [
          { id: 'protect-1', match: 'keep/**' },
          { id: 'protect-2', match: 'k2', reason: 'why' },
        ],
        sizeCapAction: 'warn',
      },
    });
    const capped = parsePolicy({ rules: [], maxSize: null });
    expect(capped.ok && 'maxSizeBytes' in capped.policy).toBe(false);
  });

  it('serializePolicy writes only the fields the policy has (strict shape)', () => {
    expect(serializePolicy({ rules: [{ id: 'r', match: 'a', keepLatest: 2 }], protect: [{ id: 'p', match: 'k' }, { id: 'q', match: 'l', reason: 'x' }], sizeCapAction: 'warn' })).toStrictEqual({
      rules: [{ id: 'r', match: 'a', keepLatest: 2 }],
      protect: [
        { id: 'p', match: 'k' },
        { id: 'q', match: 'l', reason: 'x' },
      ],
      sizeCapAction: 'warn',
    });
  });

  it('names each problem exactly', () => {
    expect(errorsOf({ rules: [{ match: '/abs' }] })).toEqual([
      { path: 'rules[0].match', message: '"/abs" is absolute; patterns are relative to the root (drop the leading "/")' },
      { path: 'rules[0]', message: 'a rule needs at least one of ttl, keepLatest or compressAfter' },
    ]);
    expect(errorsOf({ rules: [{ match: 'a', ttl: 0 }] })).toEqual([{ path: 'rules[0].ttl', message: 'must be longer than 0 (a TTL of 0 would delete every file)' }]);
    expect(errorsOf({ rules: [{ match: 'a', ttl: '1d', compressAfter: '2d' }] })).toEqual([
      { path: 'rules[0].compressAfter', message: '2d must be shorter than ttl 1d: files are deleted at the TTL, so they would never be compressed' },
    ]);
    expect(errorsOf({ rules: [], protect: [{ match: 'a', bogus: 1 }] })).toEqual([{ path: 'protect[0].bogus', message: 'unknown field (expected one of: id, match, reason)' }]);
    expect(errorsOf({ rules: [{ match: 'a', ttl: '1d', extra: 1 }] })).toEqual([{ path: 'rules[0].extra', message: 'unknown field (expected one of: id, match, ttl, keepLatest, compressAfter)' }]);
    expect(errorsOf({ rules: [], nope: 1 })).toEqual([{ path: 'nope', message: 'unknown field (expected one of: rules, protect, maxSize, sizeCapAction)' }]);
  });

  it('shows the bad value, shortened past 60 characters', () => {
    const [e1] = errorsOf({ rules: [{ match: 'a', keepLatest: 'x'.repeat(70) }] });
    expect(e1?.message).toBe(`must be a whole number >= 0, got "${'x'.repeat(56)}...`);
    const [e2] = errorsOf({ rules: [{ match: 'a', keepLatest: 1.5 }] });
    expect(e2?.message).toBe('must be a whole number >= 0, got 1.5');
    const [e3] = errorsOf({ rules: [{ match: 'a', keepLatest: 'x'.repeat(58) }] });
    expect(e3?.message).toBe(`must be a whole number >= 0, got "${'x'.repeat(58)}"`);
    const [e4] = errorsOf({ rules: [{ match: 'a', keepLatest: true }] });
    expect(e4?.message).toBe('must be a whole number >= 0, got true');
    const [e5] = errorsOf({ rules: [{ match: 'a', ttl: '1d' }], sizeCapAction: 'x' });
    expect(e5).toEqual({ path: 'sizeCapAction', message: 'must be "warn" or "evict-oldest", got "x"' });
  });

  it('formatPolicyErrors puts one problem per line', () => {
    expect(formatPolicyErrors([{ path: 'a', message: 'x' }, { path: 'b', message: 'y' }])).toBe('a: x\nb: y');
  });
});
