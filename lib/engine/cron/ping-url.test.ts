import { describe, expect, it } from 'vitest';
import { isUuid, parsePingPath, parseRid } from './ping-url';

/** Wall time of `fn` in ms: the test times a hostile input; engine code never reads the clock. */
function elapsed(fn: () => void): number {
  // eslint-disable-next-line no-restricted-syntax -- the test times a hostile input; engine code never reads the clock
  const t = performance.now();
  fn();
  // eslint-disable-next-line no-restricted-syntax -- as above
  return performance.now() - t;
}

const U = '5b8a3c8e-1f2d-4e6a-9b7c-0d1e2f3a4b5c';
const KEY = 'k7Hs-9_xQ2pLmN4vRt8Z1a';
const byUuid = { by: 'uuid', uuid: U } as const;
const bySlug = { by: 'slug', pingKey: KEY, slug: 'nightly-backup' } as const;
const isError = (r: unknown) => typeof r === 'object' && r !== null && 'error' in r;

describe('parsePingPath: uuid forms', () => {
  it.each([
    [[U], 'success', null],
    [[U, ''], 'success', null],
    [[U, 'start'], 'start', null],
    [[U, 'fail'], 'fail', null],
    [[U, 'log'], 'log', null],
    [[U, '0'], 'success', 0],
    [[U, '1'], 'fail', 1],
    [[U, '255'], 'fail', 255],
    [[U, '007'], 'fail', 7],
    [[U, '000'], 'success', 0],
  ] as const)('%j → %s %s', (segs, kind, exitStatus) => {
    expect(parsePingPath(segs)).toEqual({ target: byUuid, kind, exitStatus });
  });
  it('bounds the exit status segment: 16 characters with leading zeros, not more', () => {
    expect(parsePingPath([U, `${'0'.repeat(15)}1`])).toEqual({ target: byUuid, kind: 'fail', exitStatus: 1 });
    expect(parsePingPath([U, `${'0'.repeat(16)}1`])).toEqual({ error: 'the exit status must be 0–255' });
    expect(parsePingPath([U, `${'0'.repeat(10_000)}1`])).toEqual({ error: 'the exit status must be 0–255' });
  });
  it('accepts any case and returns lower case', () => {
    expect(parsePingPath([U.toUpperCase(), 'fail'])).toEqual({ target: byUuid, kind: 'fail', exitStatus: null });
  });
  it.each([
    [[U, '256'], 'the exit status must be 0–255'],
    [[U, '0256'], 'the exit status must be 0–255'],
    [[U, '9999999999999999'], 'the exit status must be 0–255'],
    [[U, '-1'], /expected start, fail, log or an exit status/],
    [[U, '+1'], /expected start/],
    [[U, '1e2'], /expected start/],
    [[U, '1.0'], /expected start/],
    [[U, ' 1'], /expected start/],
    [[U, '٣'], /expected start/],
    [[U, '１'], /expected start/],
    [[U, 'START'], /expected start/],
    [[U, 'success'], /expected start/],
    [[U, 'backup'], /expected start/],
    [[U, '__proto__'], /expected start/],
    [[U, 'constructor'], /expected start/],
    [[U, '99999999999999999'], 'the exit status must be 0–255'],
    [[U, 'start', ''], 'the ping URL has too many segments after the uuid'],
    [[U, 'start', 'x'], 'the ping URL has too many segments after the uuid'],
    [[U, '', ''], 'the ping URL has too many segments after the uuid'],
  ] as const)('%j is refused', (segs, msg) => {
    const r = parsePingPath(segs);
    expect(isError(r)).toBe(true);
    if (typeof msg === 'string') expect(r).toEqual({ error: msg });
    else expect((r as { error: string }).error).toMatch(msg);
  });
  it.each([
    U.slice(0, -1),
    `${U}0`,
    U.replace(/-/g, ''),
    `{${U}}`,
    U.replace('5b8a', '5b8g'),
    U.replace('-', '_'),
    ` ${U}`,
    `${U}\n`,
  ])('refuses the not-quite-uuid %j', (v) => {
    expect(isUuid(v)).toBe(false);
    expect(isError(parsePingPath([v]))).toBe(true);
  });
});

describe('parsePingPath: ping key and slug forms', () => {
  it.each([
    [[KEY, 'nightly-backup'], 'success', null],
    [[KEY, 'nightly-backup', 'start'], 'start', null],
    [[KEY, 'nightly-backup', 'fail'], 'fail', null],
    [[KEY, 'nightly-backup', 'log'], 'log', null],
    [[KEY, 'nightly-backup', '0'], 'success', 0],
    [[KEY, 'nightly-backup', '42'], 'fail', 42],
  ] as const)('%j → %s %s', (segs, kind, exitStatus) => {
    expect(parsePingPath(segs)).toEqual({ target: bySlug, kind, exitStatus });
  });
  it('a slug may be named like an action or a number', () => {
    expect(parsePingPath([KEY, 'start'])).toEqual({ target: { by: 'slug', pingKey: KEY, slug: 'start' }, kind: 'success', exitStatus: null });
    expect(parsePingPath([KEY, '42', 'fail'])).toEqual({ target: { by: 'slug', pingKey: KEY, slug: '42' }, kind: 'fail', exitStatus: null });
  });
  it('ping key length: 16 and 64 accepted, 15 and 65 refused', () => {
    expect(isError(parsePingPath(['a'.repeat(16), 'x']))).toBe(false);
    expect(isError(parsePingPath(['a'.repeat(64), 'x']))).toBe(false);
    expect(parsePingPath(['a'.repeat(15), 'x'])).toEqual({ error: 'not a check uuid or a ping key (16–64 letters, digits, "_" or "-")' });
    expect(isError(parsePingPath(['a'.repeat(65), 'x']))).toBe(true);
  });
  it('slug length: 1 and 100 accepted, 101 refused; lower case only', () => {
    expect(isError(parsePingPath([KEY, 'a']))).toBe(false);
    expect(isError(parsePingPath([KEY, 'a'.repeat(100)]))).toBe(false);
    expect(parsePingPath([KEY, 'a'.repeat(101)])).toEqual({ error: 'the slug must be 1–100 lower-case letters, digits, "_" or "-"' });
    expect(isError(parsePingPath([KEY, 'Nightly']))).toBe(true);
  });
  it.each([
    [[KEY], 'a ping key must be followed by a slug: /ping/<ping-key>/<slug>'],
    [[KEY, ''], 'a ping key must be followed by a slug: /ping/<ping-key>/<slug>'],
    [[KEY, 'nightly-backup', ''], /expected start/],
    [[KEY, 'nightly-backup', '256'], 'the exit status must be 0–255'],
    [[KEY, 'nightly-backup', 'start', 'x'], 'the ping URL has too many segments'],
    [[KEY, '..'], /the slug must be/],
    [[KEY, '.', 'start'], /the slug must be/],
    [[KEY, 'a/b'], /the slug must be/],
    [[KEY, 'bäckup'], /the slug must be/],
    [[KEY, 'backup\u0000'], /the slug must be/],
    [[KEY, '%2e%2e'], /the slug must be/],
    [['..', 'x'], /not a check uuid or a ping key/],
    [['k7Hs-9_xQ2pLmN4vRt8Zé', 'x'], /not a check uuid or a ping key/],
  ] as const)('%j is refused', (segs, msg) => {
    const r = parsePingPath(segs);
    if (typeof msg === 'string') expect(r).toEqual({ error: msg });
    else expect((r as { error: string }).error).toMatch(msg);
  });
});

describe('parsePingPath: hostile and empty input', () => {
  it('nothing after /ping/', () => {
    expect(parsePingPath([])).toEqual({ error: 'the ping URL needs a check uuid or a ping key and slug after /ping/' });
    expect(isError(parsePingPath(['']))).toBe(true);
    expect(isError(parsePingPath(['', U]))).toBe(true);
  });
  it('refuses a bare non-uuid with a uuid hint', () => {
    expect(parsePingPath(['hello'])).toEqual({ error: 'not a check uuid (8-4-4-4-12 hex digits)' });
  });
  it('a very long segment is refused fast and never echoed', () => {
    const huge = 'a'.repeat(1_000_000);
    const ms = elapsed(() => {
      for (const segs of [[huge], [huge, 'x'], [KEY, huge], [U, huge], [KEY, 'x', huge]]) {
        const r = parsePingPath(segs);
        expect(isError(r)).toBe(true);
        expect(JSON.stringify(r).length).toBeLessThan(200);
      }
    });
    expect(ms).toBeLessThan(200);
  });
  it('many segments are refused by count', () => {
    expect(parsePingPath(Array.from({ length: 10_000 }, () => U))).toEqual({ error: 'the ping URL has too many segments' });
  });
  it.each([['../../etc/passwd'], ['\u202e' + U], ['<script>'], ['%00']])('refuses %j', (s) => {
    expect(isError(parsePingPath([s]))).toBe(true);
  });
});

describe('parseRid', () => {
  it('absent or empty → null', () => {
    expect(parseRid(null)).toBeNull();
    expect(parseRid('')).toBeNull();
  });
  it('a uuid, lower-cased', () => {
    expect(parseRid(U.toUpperCase())).toBe(U);
  });
  it.each(['x', U.slice(1), `${U} `, '1', 'a'.repeat(10_000)])('refuses %j', (v) => {
    expect(parseRid(v)).toEqual({ error: 'rid must be a uuid (8-4-4-4-12 hex digits)' });
  });
});
