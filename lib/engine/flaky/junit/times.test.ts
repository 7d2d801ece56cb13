import { describe, expect, it } from 'vitest';
import { parseJunit } from './index';
import { parseSeconds, parseTimeSpan, parseTimestamp } from './times';

describe('parseSeconds', () => {
  it.each([
    ['1.5', 1500],
    ['0.', 0],
    ['.25', 250],
    ['1e-3', 1],
    ['2.5E1', 25_000],
    ['1,234.5', 1_234_500],
    ['1,234', 1_234_000],
    ['0,5', 500],
    ['0.1', 100],
    ['  3 ', 3000],
  ])('%s s → %d ms', (raw, ms) => expect(parseSeconds(raw)).toEqual({ value: ms, warning: null }));

  it('missing or empty is null without a warning', () => {
    expect(parseSeconds(undefined)).toEqual({ value: null, warning: null });
    expect(parseSeconds('')).toEqual({ value: null, warning: null });
  });

  it.each([
    ['-1', 'negative time "-1" ignored'],
    ['NaN', 'unreadable time "NaN"'],
    ['1e999', 'unreadable time "1e999"'],
    ['abc', 'unreadable time "abc"'],
    ['1.2.3', 'unreadable time "1.2.3"'],
  ])('%s → null + warning', (raw, warning) => expect(parseSeconds(raw)).toEqual({ value: null, warning }));
});

describe('parseTimeSpan (TRX)', () => {
  it('reads hh:mm:ss.fffffff and days', () => {
    expect(parseTimeSpan('00:00:01.5000000').value).toBe(1500);
    expect(parseTimeSpan('01:02:03').value).toBe(3_723_000);
    expect(parseTimeSpan('1.00:00:00').value).toBe(86_400_000);
    expect(parseTimeSpan('soon')).toEqual({ value: null, warning: 'unreadable duration "soon"' });
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-05-06T07:08:09', '2024-05-06T07:08:09.000Z'],
    ['2024-05-06T07:08:09.123456', '2024-05-06T07:08:09.123Z'],
    ['2024-05-06 07:08:09', '2024-05-06T07:08:09.000Z'],
    ['2024-05-06T07:08:09Z', '2024-05-06T07:08:09.000Z'],
    ['2024-05-06T07:08:09.5+02:00', '2024-05-06T05:08:09.500Z'],
    ['2024-05-06T07:08:09-0530', '2024-05-06T12:38:09.000Z'],
    ['2024-05-06T07:08:09 UTC', '2024-05-06T07:08:09.000Z'],
    ['Mon, 06 May 2024 07:08:09 GMT', '2024-05-06T07:08:09.000Z'],
    ['6 May 2024 07:08:09 +0200', '2024-05-06T05:08:09.000Z'],
    ['2024-05-06', '2024-05-06T00:00:00.000Z'],
  ])('%s', (raw, iso) => expect(parseTimestamp(raw).value?.toISOString()).toBe(iso));

  it('garbage and impossible dates are null + warning', () => {
    expect(parseTimestamp('yesterday')).toEqual({ value: null, warning: 'unreadable timestamp "yesterday"' });
    expect(parseTimestamp('2024-02-30T00:00:00')).toEqual({ value: null, warning: 'impossible timestamp "2024-02-30T00:00:00"' });
    expect(parseTimestamp(undefined)).toEqual({ value: null, warning: null });
  });

  it('startedAt is the earliest timestamp; bad times become warnings with their line', () => {
    const r = parseJunit(
      '<testsuites>\n<testsuite name="a" timestamp="2024-05-06T09:00:00Z">\n<testcase name="x" time="-2"/>\n</testsuite>\n<testsuite name="b" timestamp="2024-05-06T10:00:00+02:00"><testcase name="y" time="1,5e"/></testsuite>\n<testsuite name="c" timestamp="never"/></testsuites>',
      { file: 't.xml' },
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.report.startedAt?.toISOString()).toBe('2024-05-06T08:00:00.000Z');
    expect(r.report.cases.map((c) => c.durationMs)).toEqual([null, null]);
    expect(r.report.warnings).toEqual([
      { line: 3, message: 'negative time "-2" ignored' },
      { line: 5, message: 'unreadable time "1,5e"' },
      { line: 6, message: 'unreadable timestamp "never"' },
    ]);
  });
});
