import { describe, expect, it } from 'vitest';
import { checkGlob, compileGlob, normalizeGlob } from './glob';

// Every line terminator a file name can hold, and the ones JavaScript's `.` refuses without /s.
const TERMINATORS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f'];

describe('compileGlob is total over file names', () => {
  it.each(TERMINATORS.map((t) => [JSON.stringify(t), t]))('names containing %s match like any other', (_label, t) => {
    expect(compileGlob('keep/**')(`keep/a${t}b.txt`)).toBe(true);
    expect(compileGlob('keep/**')(`keep/x${t}/deep/file`)).toBe(true);
    expect(compileGlob('**/ITER_SUMMARY_*.json')(`soak${t}run1/ITER_SUMMARY_1.json`)).toBe(true);
    expect(compileGlob('snapshots/**')(`snapshots/s${t}1.json`)).toBe(true);
    expect(compileGlob('**/*.log')(`a${t}/b${t}.log`)).toBe(true);
    expect(compileGlob('*.log')(`b${t}.log`)).toBe(true);
    expect(compileGlob('logs/?.txt')(`logs/${t === '\r\n' ? '\r' : t}.txt`)).toBe(true);
    // and still only what the pattern says
    expect(compileGlob('keep/**')(`other/a${t}b.txt`)).toBe(false);
    expect(compileGlob('*.log')(`dir/b${t}.log`)).toBe(false);
  });
});

describe('normalizeGlob', () => {
  it('trims, drops every leading "./" and turns a trailing "/" (or several) into "/**"', () => {
    expect(normalizeGlob('  logs/*.txt \t')).toBe('logs/*.txt');
    expect(normalizeGlob('././logs/a')).toBe('logs/a');
    expect(normalizeGlob('logs/')).toBe('logs/**');
    expect(normalizeGlob('./logs//')).toBe('logs/**');
    expect(normalizeGlob('a/b/')).toBe('a/b/**'); // only the trailing slashes go
    expect(normalizeGlob('a/./b')).toBe('a/./b'); // only a leading "./" is dropped
    expect(normalizeGlob('logs/.')).toBe('logs/.'); // no trailing "/": unchanged
  });
  it('leaves a lone "/" alone, so checkGlob refuses it as absolute instead of compiling "/**"', () => {
    expect(normalizeGlob('/')).toBe('/');
    expect(checkGlob('/')).toMatch(/is absolute/);
  });
});

describe('checkGlob', () => {
  it('accepts usable patterns, also written with "./" or a trailing "/"', () => {
    expect(checkGlob('**/*.log')).toBeNull();
    expect(checkGlob(' ./snapshots/ ')).toBeNull();
  });
  it('refuses empty, absolute, ".." and uncompilable patterns, naming the pattern', () => {
    expect(checkGlob('  ')).toMatch(/non-empty/);
    expect(checkGlob('./')).toMatch(/non-empty/);
    expect(checkGlob('/var/log/**')).toBe('"/var/log/**" is absolute; patterns are relative to the root (drop the leading "/")');
    expect(checkGlob('logs/../../etc')).toBe('"logs/../../etc" contains "..": patterns cannot leave the root');
    const long = 'a*'.repeat(40_000);
    expect(checkGlob(long)).toMatch(/^"(a\*)+" is not a valid glob: Input length: 80000, exceeds maximum/);
  });
});

describe('compileGlob', () => {
  it('"**" (also as "./**" or " ** ") matches every path', () => {
    for (const g of ['**', './**', ' ** ']) {
      const m = compileGlob(g);
      expect(m('a')).toBe(true);
      expect(m('.hidden/x/y.txt')).toBe(true);
    }
  });
  it('a trailing "/" or a leading "./" means the same as the plain pattern', () => {
    expect(compileGlob('logs/')('logs/a/b.txt')).toBe(true);
    expect(compileGlob('logs/')('logsx/a')).toBe(false);
    expect(compileGlob('./logs/*.txt')('logs/a.txt')).toBe(true);
    expect(compileGlob(' logs ')('logs/a')).toBe(true);
  });
  it('a literal pattern matches the path itself and what is under it, nothing else', () => {
    const m = compileGlob('rotation/ROTATION_LOG.jsonl');
    expect(m('rotation/ROTATION_LOG.jsonl')).toBe(true);
    expect(m('rotation/ROTATION_LOG.jsonl.1')).toBe(false);
    expect(m('rotation/ROTATION_LOG.jsonl/x')).toBe(true);
    expect(m('x/rotation/ROTATION_LOG.jsonl')).toBe(false);
  });
});
