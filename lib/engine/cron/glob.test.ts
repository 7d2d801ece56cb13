import { describe, expect, it } from 'vitest';
import { compileSegmentGlob, isGlob, newestMatch, splitArtifactPattern } from './glob';

/** Wall time of `fn` in ms: the test times a hostile input; engine code never reads the clock. */
function elapsed(fn: () => void): number {
  // eslint-disable-next-line no-restricted-syntax -- the test times a hostile input; engine code never reads the clock
  const t = performance.now();
  fn();
  // eslint-disable-next-line no-restricted-syntax -- as above
  return performance.now() - t;
}

const m = (pattern: string, name: string) => compileSegmentGlob(pattern)(name);

describe('isGlob', () => {
  it.each([['a*', true], ['a?', true], ['[ab]', true], ['a.json', false], ['reports/x.json', false], ['a]b', false], ['', false]] as const)('%j → %s', (p, want) => {
    expect(isGlob(p)).toBe(want);
  });
});

describe('compileSegmentGlob', () => {
  it.each([
    ['nightly_*.json', 'nightly_2026-12-01.json', true],
    ['nightly_*.json', 'nightly_.json', true],
    ['nightly_*.json', 'nightly_2026.json.bak', false],
    ['nightly_*.json', 'xnightly_1.json', false],
    ['*', 'anything', true],
    ['*.json', 'a.json', true],
    ['*.json', 'json', false],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[abc].txt', 'b.txt', true],
    ['[abc].txt', 'd.txt', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[!a-c]x', 'dx', true],
    ['[!a-c]x', 'ax', false],
    ['[^a]x', 'bx', true],
    ['[]]', ']', true],
    ['[!]]', 'a', true],
    ['[!]]', ']', false],
    ['[a-]', '-', true],
    ['[', '[', true],
    ['a[b', 'a[b', true],
    ['a[b', 'ab', false],
    ['**', 'abc', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['*a', 'bbbba', true],
    ['report-?.json', 'report-ä.json', true],
    ['report-?.json', 'report-😀.json', true],
    ['[😀]', '😀', true],
    ['Report.json', 'report.json', false],
  ] as const)('%j vs %j → %s', (p, n, want) => {
    expect(m(p, n)).toBe(want);
  });

  it('a leading dot is matched only by a literal dot', () => {
    expect(m('*.json', '.hidden.json')).toBe(false);
    expect(m('?hidden', '.hidden')).toBe(false);
    expect(m('[.]hidden', '.hidden')).toBe(false);
    expect(m('.*.json', '.hidden.json')).toBe(true);
    expect(m('.hidden', '.hidden')).toBe(true);
    expect(m('a*', 'a.b')).toBe(true); // a dot that is not leading is ordinary
  });
  it('never matches ".", "..", empty names, or anything with "/" or NUL', () => {
    for (const p of ['*', '.*', '..', '?', '.?']) for (const n of ['.', '..', '']) expect(m(p, n)).toBe(false);
    expect(m('*', 'a/b')).toBe(false);
    expect(m('?', '/')).toBe(false);
    expect(m('[!a]', '/')).toBe(false);
    expect(m('*', 'a\u0000')).toBe(false);
  });
  it('refuses patterns it cannot honour', () => {
    expect(() => compileSegmentGlob('')).toThrow('the glob is empty');
    expect(() => compileSegmentGlob('a/*')).toThrow('cannot contain "/"');
    expect(() => compileSegmentGlob('a\u0000*')).toThrow('NUL');
    expect(() => compileSegmentGlob('a'.repeat(256))).toThrow('at most 255');
    expect(() => compileSegmentGlob('a'.repeat(255))).not.toThrow();
  });
  it('treats regex metacharacters literally', () => {
    expect(m('a.c', 'abc')).toBe(false);
    expect(m('(a|b)+$', '(a|b)+$')).toBe(true);
    expect(m('\\d', 'd')).toBe(false);
    expect(m('\\d', '\\d')).toBe(true);
  });
  it('stays fast on the classic backtracking bomb', () => {
    const bomb = compileSegmentGlob('*a*a*a*a*a*a*a*a*a*a*b');
    const name = 'a'.repeat(100_000);
    expect(elapsed(() => {
      expect(bomb(name)).toBe(false);
      expect(bomb(`${name}b`)).toBe(true);
    })).toBeLessThan(1000);
    const classes = compileSegmentGlob(`${'[a-z]*'.repeat(40)}!`);
    expect(elapsed(() => expect(classes('x'.repeat(20_000))).toBe(false))).toBeLessThan(1000);
  });
  it('many unclosed brackets compile fast', () => {
    expect(elapsed(() => expect(compileSegmentGlob('['.repeat(255))('['.repeat(255))).toBe(true))).toBeLessThan(200);
  });
});

describe('splitArtifactPattern', () => {
  it.each([
    ['reports/nightly_*.json', { dir: 'reports', name: 'nightly_*.json', glob: true }],
    ['artifacts/reports/nightly_results.json', { dir: 'artifacts/reports', name: 'nightly_results.json', glob: false }],
    ['x.json', { dir: '.', name: 'x.json', glob: false }],
    ['*.json', { dir: '.', name: '*.json', glob: true }],
    ['/x.json', { dir: '/', name: 'x.json', glob: false }],
    ['/var/backups/db-*.tar.gz', { dir: '/var/backups', name: 'db-*.tar.gz', glob: true }],
    ['../shared/x.json', { dir: '../shared', name: 'x.json', glob: false }],
  ] as const)('%j', (p, want) => {
    expect(splitArtifactPattern(p)).toEqual(want);
  });
  it.each([
    ['', 'the artifact path is empty'],
    ['reports/', 'the artifact path ends with "/": name a file or a glob of files'],
    ['reports/*/x.json', 'a glob is allowed only in the file name (the last path segment), e.g. reports/nightly_*.json'],
    ['rep?rts/x.json', /only in the file name/],
    ['reports/..', /not "\." or "\.\."/],
    ['.', /not "\." or "\.\."/],
    ['a\u0000b', 'the artifact path contains a NUL character'],
    [`reports/${'*'.repeat(256)}`, /at most 255/],
  ] as const)('refuses %j', (p, msg) => {
    const r = splitArtifactPattern(p) as { error: string };
    if (typeof msg === 'string') expect(r.error).toBe(msg);
    else expect(r.error).toMatch(msg);
  });
});

describe('newestMatch', () => {
  const all = () => true;
  it('picks the newest regular file that matches', () => {
    const entries = [
      { name: 'nightly_1.json', mtimeMs: 1000, isFile: true },
      { name: 'nightly_2.json', mtimeMs: 3000, isFile: true },
      { name: 'nightly_dir.json', mtimeMs: 9000, isFile: false },
      { name: 'other.json', mtimeMs: 8000, isFile: true },
      { name: 'nightly_3.json', mtimeMs: 2000, isFile: true },
    ];
    expect(newestMatch(entries, compileSegmentGlob('nightly_*.json'))?.name).toBe('nightly_2.json');
  });
  it('breaks mtime ties by the greatest name, whatever the order', () => {
    const a = { name: 'b_2026-12-01.json', mtimeMs: 5, isFile: true };
    const b = { name: 'b_2026-12-02.json', mtimeMs: 5, isFile: true };
    expect(newestMatch([a, b], all)).toBe(b);
    expect(newestMatch([b, a], all)).toBe(b);
  });
  it('1 ms newer wins over a greater name', () => {
    expect(newestMatch([{ name: 'z', mtimeMs: 5, isFile: true }, { name: 'a', mtimeMs: 6, isFile: true }], all)?.name).toBe('a');
  });
  it('null when nothing matches; skips non-finite mtimes', () => {
    expect(newestMatch([], all)).toBeNull();
    expect(newestMatch([{ name: 'a', mtimeMs: Number.NaN, isFile: true }], all)).toBeNull();
    expect(newestMatch([{ name: '.hidden', mtimeMs: 1, isFile: true }], compileSegmentGlob('*'))).toBeNull();
  });
});
