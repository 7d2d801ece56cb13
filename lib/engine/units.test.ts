import { describe, expect, it } from 'vitest';
import { compactDuration, compactSize, formatBytes, formatDuration, parseDuration, parseSize, UnitParseError } from './units';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * M],
    ['36h', 36 * H],
    ['7d', 7 * D],
    ['2w', 14 * D],
    ['90s', 90 * S],
    ['1.5h', 90 * M],
    ['.5d', 12 * H],
    ['3600', H],
    [' 7D ', 7 * D],
    ['1d 12h', 36 * H],
    ['1h30m', 90 * M],
    ['250ms', 250],
    [3600, H],
    [0, 0],
    [1.5, 1500],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input, 'ttl')).toBe(ms);
  });

  it('names the field and the value in the error', () => {
    expect(() => parseDuration('7x', 'ttl')).toThrow('ttl: "7x" is not a duration (use 30m, 36h, 7d or seconds)');
    try {
      parseDuration('7x', 'rules[2].ttl');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnitParseError);
      const e = err as UnitParseError;
      expect(e.field).toBe('rules[2].ttl');
      expect(e.value).toBe('7x');
      expect(e.detail).toBe('"7x" is not a duration (use 30m, 36h, 7d or seconds)');
    }
  });

  it.each(['', '   ', '-5', '-1d', 'd', 'abc', '7 days', '1e3', 'NaN', '7d x', '1.2.3h'])('rejects %j', (v) => {
    expect(() => parseDuration(v, 'ttl')).toThrow(UnitParseError);
  });

  it('rejects negative, NaN and infinite numbers', () => {
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => parseDuration(v, 'ttl')).toThrow(/^ttl: /);
  });

  it('rejects upper-case M as ambiguous', () => {
    expect(() => parseDuration('6M', 'ttl')).toThrow(/ambiguous/);
  });

  it('rejects values too large to be exact', () => {
    expect(() => parseDuration('1e308', 'ttl')).toThrow(UnitParseError);
    expect(() => parseDuration(`${'9'.repeat(30)}d`, 'ttl')).toThrow(/too large|not a duration/);
  });
});

describe('parseSize', () => {
  it.each([
    ['500MB', 500 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['2GB', 2 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['100K', 100 * 1024],
    ['100kb', 100 * 1024],
    ['512', 512],
    ['512b', 512],
    ['1 TB', 1024 ** 4],
    ['900mb', 900 * 1024 ** 2],
    [512, 512],
    [0, 0],
  ] as const)('%j → %d bytes', (input, bytes) => {
    expect(parseSize(input, 'maxSize')).toBe(bytes);
  });

  it('uses binary multiples (1 KB = 1024 bytes)', () => {
    expect(parseSize('1KB', 'x')).toBe(1024);
    expect(parseSize('1MB', 'x')).toBe(1048576);
  });

  it.each(['', '-1', '-1G', '2X', 'G', '2 GBs', 'ten', '1,5G'])('rejects %j naming the field', (v) => {
    expect(() => parseSize(v, 'maxSize')).toThrow(/^maxSize: /);
  });

  it('rejects negative and NaN numbers', () => {
    expect(() => parseSize(-1, 'maxSize')).toThrow(UnitParseError);
    expect(() => parseSize(Number.NaN, 'maxSize')).toThrow(UnitParseError);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [1.5 * 1024 ** 2, '1.5 MB'],
    [900 * 1024 ** 2, '900 MB'],
    [2000 * 1024 ** 2, '2 GB'],
    [1024 ** 2 - 1, '1 MB'],
    [-2048, '-2 KB'],
  ] as const)('%d → %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });
});

describe('formatDuration', () => {
  it.each([
    [8 * D + 2 * H + 5 * M, '8d 2h'],
    [45 * M, '45m'],
    [30 * S, '30s'],
    [90 * M, '1h 30m'],
    [D + 5 * M, '1d'],
    [0, '0s'],
    [250, '250ms'],
    [-2 * H, '-2h'],
  ] as const)('%d → %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it('formats output that parseDuration reads back (for whole units)', () => {
    expect(parseDuration(formatDuration(8 * D + 2 * H), 'x')).toBe(8 * D + 2 * H);
  });
});

describe('compact forms round-trip', () => {
  it.each([7 * D, 36 * H, 90 * M, 45 * S, 1500, 30 * D])('duration %d', (ms) => {
    expect(parseDuration(compactDuration(ms), 'x')).toBe(ms);
  });
  it('prefers days over weeks', () => {
    expect(compactDuration(7 * D)).toBe('7d');
    expect(compactDuration(36 * H)).toBe('36h');
  });
  it.each([900 * 1024 ** 2, 2 * 1024 ** 3, 2000 * 1024 ** 2, 1234, 100 * 1024])('size %d', (b) => {
    expect(parseSize(compactSize(b), 'x')).toBe(b);
  });
  it('prints sizes like 900MB and 2GB', () => {
    expect(compactSize(900 * 1024 ** 2)).toBe('900MB');
    expect(compactSize(2 * 1024 ** 3)).toBe('2GB');
    expect(compactSize(2000 * 1024 ** 2)).toBe('2000MB');
  });
});

// Boundaries and messages that mutation testing showed were unchecked.
describe('units: exact messages and edges', () => {
  const err = (f: () => unknown): UnitParseError => {
    try {
      f();
    } catch (e) {
      return e as UnitParseError;
    }
    throw new Error('did not throw');
  };

  it('the error is a named UnitParseError whose messages say what was expected', () => {
    const e = err(() => parseDuration('', 'ttl'));
    expect([e.name, e.message]).toEqual(['UnitParseError', 'ttl: "" is empty; expected a duration (use 30m, 36h, 7d or seconds)']);
    expect(err(() => parseSize('  ', 'maxSize')).message).toBe('maxSize: "  " is empty; expected a size (use 500MB, 2G, 1.5GiB or a number of bytes)');
    expect(err(() => parseSize(-1, 'maxSize')).message).toBe('maxSize: -1 is not a size (use 500MB, 2G, 1.5GiB or a number of bytes); it must be a number of bytes >= 0');
    expect(err(() => parseDuration(Number.NaN, 'ttl')).message).toBe('ttl: NaN is not a duration (use 30m, 36h, 7d or seconds); it must be a number of seconds >= 0');
  });

  it('non-string, non-number input (from JSON) is a UnitParseError, not a crash', () => {
    for (const v of [null, true, {}, []]) {
      expect(err(() => parseDuration(v as never, 'ttl'))).toBeInstanceOf(UnitParseError);
      expect(err(() => parseSize(v as never, 'maxSize'))).toBeInstanceOf(UnitParseError);
    }
  });

  it('fractional numbers with several digits, in seconds and in sizes; sizes are trimmed', () => {
    expect([parseDuration('1.25', 'x'), parseDuration('.25', 'x'), parseDuration('1.5', 'x')]).toEqual([1250, 250, 1500]);
    expect([parseSize('1.25K', 'x'), parseSize('.25K', 'x'), parseSize('.5K', 'x'), parseSize(' 5 ', 'x')]).toEqual([1280, 256, 512, 5]);
  });

  it('an upper-case M anywhere before a non-s is ambiguous, even with a space or other parts after it', () => {
    for (const v of ['6 M', '6M 1d', '1d 6M']) expect(err(() => parseDuration(v, 'ttl')).detail).toBe(`${JSON.stringify(v)} is ambiguous (minutes or months?); write 30m for minutes or 180d for months`);
    expect(parseDuration('5Ms', 'ttl')).toBe(5); // "Ms" is milliseconds
  });

  it('a number too big for a double is "not a duration", not silently "too large"', () => {
    expect(err(() => parseDuration(`${'9'.repeat(400)}d`, 'ttl')).detail).toMatch(/ is not a duration \(use 30m, 36h, 7d or seconds\)$/);
  });

  it('formatBytes: non-finite values as is, whole bytes below 1 KB, PB as the largest unit', () => {
    expect([formatBytes(Number.NaN), formatBytes(Infinity), formatBytes(512.4), formatBytes(1024 ** 6)]).toEqual(['NaN', 'Infinity', '512 B', '1024 PB']);
  });

  it('formatDuration: non-finite as is, exactly one second is "1s"', () => {
    expect([formatDuration(Number.NaN), formatDuration(1000), formatDuration(999), formatDuration(-1500)]).toEqual(['NaN', '1s', '999ms', '-1s']);
  });

  it('compact forms of zero and of the largest unit', () => {
    expect([compactDuration(0), compactDuration(1500), compactSize(0), compactSize(1024 ** 6)]).toEqual(['0s', '1.5s', '0B', '1024PB']);
  });
});
